package dev.questj.cli;

import dev.questj.system.Placement;
import dev.questj.system.QuestSystem;
import dev.questj.system.Recording;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import dev.questj.system.config.Units;
import dev.questj.system.output.Summary;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Simulate a system and report what every VCPU and thread was promised and what it got.",
                "Writes metrics.json, schedule.jsonl, trace.json (Perfetto) and report.html to the output directory",
                "and a summary to stdout."})
final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SYSTEM.yaml",
            description = "The system description (default: examples/smp-basic.yaml).")
    Path file;

    @Option(names = "--duration", paramLabel = "TIME", description = "Simulated time, with a unit: 5s, 250ms, 1000000 cycles (default: the file's duration).")
    String duration;

    @Option(names = "--seed", paramLabel = "N", description = "The run's seed (default: the file's seed).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--record", paramLabel = "WHAT", defaultValue = "slices",
            description = "What schedule.jsonl and trace.json record: slices (slices and events, the default), events, or none (neither file).")
    String record;

    @Option(names = "--record-window", paramLabel = "FROM..TO",
            description = "Record only this stretch of simulated time, e.g. 1s..2s, 500ms.., ..2s (default: the whole run).")
    String recordWindow;

    @Option(names = "--check-invariants", description = "Check the scheduler's invariants after every scheduling pass (slow).")
    boolean checkInvariants;

    @Option(names = {"-q", "--quiet"}, description = "No summary table, no progress line.")
    boolean quiet;

    @Option(names = "--sever", paramLabel = "SPEC",
            description = "Sever a channel during the run (Quest-V, monitors kept), e.g. \"at=3s channel=telemetry\"; repeatable; added to the file's severances.")
    java.util.List<String> sever = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path system = file != null ? file : Paths.defaultSystem();
        QuestSystem q = QuestSystem.load(system).withSeverances(sever);
        Recording recording = recording(q);
        boolean recordSlices = recording.any();
        RunOptions options = new RunOptions(durationCycles(q), seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
                out, recordSlices, checkInvariants, !quiet, recording);
        // admission: warn lets an overloaded PCPU run; say so where the user looks, not only in the table
        for (String w : q.warnings()) {
            spec.commandLine().getErr().println("WARNING: " + w);
        }
        for (String w : Placement.of(q.config()).warnings()) {
            spec.commandLine().getErr().println("warning: " + w);
        }
        RunResult r = q.run(options);
        if (!quiet) {
            spec.commandLine().getOut().print(Summary.render(r));
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().println("outputs: " + out.resolve("metrics.json")
                    + (recordSlices ? ", " + out.resolve("schedule.jsonl") + ", " + out.resolve("trace.json") : "")
                    + ", " + out.resolve("report.html"));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Recording recording(QuestSystem q) {
        try {
            Recording.What what = Recording.parseWhat(record);
            if (recordWindow == null) {
                return new Recording(what, 0, Long.MAX_VALUE);
            }
            long[] w = Recording.parseWindow(recordWindow, q.config().machine().frequencyHz());
            return new Recording(what, w[0], w[1]);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    private OptionalLong durationCycles(QuestSystem q) {
        if (duration == null) {
            return OptionalLong.empty();
        }
        try {
            long c = Units.cycles(duration, q.config().machine().frequencyHz());
            if (c <= 0) {
                throw new Main.UsageException("--duration must be positive, got \"" + duration + "\"");
            }
            return OptionalLong.of(c);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--duration: " + e.getMessage());
        }
    }

}
