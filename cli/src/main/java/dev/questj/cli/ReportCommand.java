package dev.questj.cli;

import dev.questj.system.output.ReportWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write report.html again from a run's output directory (metrics.json, schedule.jsonl).",
                "schedule.jsonl is read as a stream; the page is self-contained: open it from disk, no network needed."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "OUT_DIR", description = "A run's output directory (default: out).")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the page (default: OUT_DIR/report.html).")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Path d = dir != null ? dir : Path.of("out");
        Path target = output != null ? output : d.resolve("report.html");
        try {
            ReportWriter.write(d, target);
        } catch (ReportWriter.BadInput e) {
            throw new Main.UsageException(e.getMessage());
        }
        if (!quiet) {
            spec.commandLine().getOut().println("report: " + target);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
