package dev.questj.cli;

import dev.questj.system.config.Units;
import dev.questj.system.experiments.PibsVsSs;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Reproduce a published comparison and print it as a Markdown table (docs/EXPERIMENTS.md).",
                "pibs-vs-ss: I/O VCPUs as PIBS versus as sporadic servers at rising packet rates."})
final class ExperimentCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The experiment: pibs-vs-ss.")
    String name;

    @Option(names = "--duration", defaultValue = "10s", description = "Simulated time per point (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rates", split = ",", defaultValue = "1000,2000,5000,10000,20000,50000",
            description = "Offered packet rates per second (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Override
    public Integer call() throws Exception {
        if (!name.equals("pibs-vs-ss")) {
            throw new Main.UsageException("unknown experiment \"" + name + "\" (known: pibs-vs-ss)");
        }
        long cycles;
        try {
            cycles = Units.cycles(duration, 1_000_000_000L);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--duration: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(PibsVsSs.markdown(PibsVsSs.run(rates, cycles, seed)));
        out.flush();
        return 0;
    }
}
