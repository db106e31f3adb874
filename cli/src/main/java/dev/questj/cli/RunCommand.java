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

    @Option(names = "--realtime", description = {"Pace simulated time to the wall clock and bridge channels declared host: unix:PATH",
            "to real Unix domain sockets (the run is then not deterministic)."})
    boolean realtime;

    @Option(names = "--migrate", paramLabel = "SPEC",
            description = "Quest-V: move a thread to another sandbox, e.g. \"at=4s thread=planner to=spare\" (repeatable; checked like the file's migrations).")
    java.util.List<String> migrate = new java.util.ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "No summary table, no progress line.")
    boolean quiet;

    @Option(names = "--inject", paramLabel = "FAULT",
            description = {"Inject a fault (repeatable), after the file's faults, e.g. \"at=2s sandbox=comms kind=kernel-panic\".",
                    "Kinds: kernel-panic, kernel-wild-write, runaway-thread (thread=NAME), hung-driver (device=NAME),",
                    "corrupt-message (channel=NAME), unresponsive. Without a target: the sandbox's first one."})
    java.util.List<String> inject = new java.util.ArrayList<>();

    @Option(names = "--no-file-faults", description = "Leave out the file's own faults (keep only --inject's), as each run of a campaign does.")
    boolean noFileFaults;
    @Option(names = "--sever", paramLabel = "SPEC",
            description = "Sever a channel during the run (Quest-V, monitors kept), e.g. \"at=3s channel=telemetry\"; repeatable; added to the file's severances.")
    java.util.List<String> sever = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path system = file != null ? file : Paths.defaultSystem();
        QuestSystem q = QuestSystem.load(system);
        if (noFileFaults) {
            q = QuestSystem.of(q.config().withQuestV(q.config().questV().withOnlyFaults(java.util.List.of())));
        }
        q = withInjections(q.withSeverances(sever), inject);
        q = withMigrations(q);
        Recording recording = recording(q);
        boolean recordSlices = recording.any();
        RunOptions options = new RunOptions(durationCycles(q), seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
                out, recordSlices, checkInvariants, !quiet, recording).withRealtime(realtime);
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

    /** The system with the --inject faults added; a bad spec is a usage error naming it. */
    static QuestSystem withInjections(QuestSystem q, java.util.List<String> specs) {
        if (specs.isEmpty()) {
            return q;
        }
        java.util.List<dev.questj.system.config.FaultConfig> faults = new java.util.ArrayList<>();
        for (String spec : specs) {
            try {
                faults.add(dev.questj.system.config.FaultReader.parse(spec, q.config()));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--inject \"" + spec + "\": " + e.getMessage());
            }
        }
        return QuestSystem.of(q.config().withFaults(faults));
    }

    private QuestSystem withMigrations(QuestSystem q) throws dev.questj.system.config.ConfigException {
        if (migrate.isEmpty()) {
            return q;
        }
        java.util.List<dev.questj.system.config.MigrationConfig.Request> requests = new java.util.ArrayList<>();
        for (String spec : migrate) {
            try {
                requests.add(dev.questj.system.Migrations.parse(spec, q.config().machine().frequencyHz()));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage());
            }
        }
        return q.withMigrations(requests);
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
