package dev.questj.cli;

import dev.questj.system.QuestSystem;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.Units;
import dev.questj.system.experiments.Campaign;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = {"Inject one random fault (kind, sandbox, target, time) into each of N seeded runs of a Quest-V system",
                "and report what became of them: detected, recovered or contained, recovery times, and the two numbers",
                "that must be 0: deadline misses outside the faulty sandbox and messages lost. The file's own faults",
                "are left out. Exit status 0 when both are 0, 1 when not."})
final class CampaignCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SYSTEM.yaml", description = "A Quest-V system description.")
    Path file;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "100", description = "Runs, one fault each (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the first run; run i uses S + i (default: the file's seed).")
    Long seed;

    @Option(names = "--duration", paramLabel = "TIME", description = "Simulated time per run (default: the file's duration).")
    String duration;

    @Option(names = "--window", paramLabel = "FROM..TO", defaultValue = "10%..70%",
            description = "When in each run the fault comes, as fractions of the run (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--kinds", split = ",", paramLabel = "KIND",
            description = "Only these kinds (default: every kind a sandbox can take): kernel-panic, kernel-wild-write, runaway-thread, hung-driver, corrupt-message, unresponsive.")
    List<String> kinds = List.of();

    @Option(names = "--sandboxes", split = ",", paramLabel = "NAME", description = "Only into these sandboxes (default: any).")
    List<String> sandboxes = List.of();

    @Option(names = "--jobs", paramLabel = "J", description = "Runs in parallel (default: the number of processors).")
    Integer jobs;

    @Override
    public Integer call() throws Exception {
        SystemConfig cfg = QuestSystem.load(file).config();
        long hz = cfg.machine().frequencyHz();
        long cycles = cfg.durationCycles();
        if (duration != null) {
            try {
                cycles = Units.cycles(duration, hz);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--duration: " + e.getMessage());
            }
            if (cycles <= 0) {
                throw new Main.UsageException("--duration must be positive, got \"" + duration + "\"");
            }
        }
        if (runs <= 0) {
            throw new Main.UsageException("--runs must be positive, got " + runs);
        }
        double[] w = window(window);
        Campaign.Plan plan;
        List<Campaign.Run> results;
        try {
            plan = new Campaign.Plan(runs, seed != null ? seed : cfg.seed(), cycles, w[0], w[1], kinds, sandboxes);
            int parallel = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
            if (parallel <= 0) {
                throw new IllegalArgumentException("--jobs must be positive");
            }
            results = Campaign.run(cfg, plan, parallel);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(Campaign.report(file.toString(), plan, results, hz));
        out.flush();
        return Campaign.clean(results) ? 0 : 1;
    }

    /** "10%..70%" or "0.1..0.7" as two fractions. */
    static double[] window(String text) {
        String[] parts = text.split("\\.\\.", -1);
        if (parts.length != 2) {
            throw new Main.UsageException("--window: expected FROM..TO such as 10%..70%, got \"" + text + "\"");
        }
        double[] w = new double[2];
        for (int i = 0; i < 2; i++) {
            String p = parts[i].trim();
            try {
                w[i] = p.endsWith("%") ? Units.fraction(p) : Double.parseDouble(p);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--window: " + "\"" + p + "\"" + " is not a fraction or a percentage");
            }
        }
        if (!(w[0] >= 0 && w[0] < w[1] && w[1] <= 1)) {
            throw new Main.UsageException("--window: need 0 <= FROM < TO <= 100%, got \"" + text + "\"");
        }
        return w;
    }
}
