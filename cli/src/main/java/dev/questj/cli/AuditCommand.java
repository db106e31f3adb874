package dev.questj.cli;

import dev.questj.system.QuestSystem;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import dev.questj.system.Audit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Boot a Quest-V system and list every host frame mapped into more than one sandbox's EPT,",
                "proving it equals the declared channels (a channel severed before --after declares none).",
                "Exit status 0 when it does, 1 when it does not."})
final class AuditCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SYSTEM.yaml", description = "A Quest-V system description.")
    Path file;

    @Option(names = "--after", defaultValue = "10ms", description = "Simulated time to run before auditing (default: ${DEFAULT-VALUE}; boot takes about 1 ms).")
    String after;

    @Option(names = "--sever", paramLabel = "SPEC",
            description = "Sever a channel before auditing, as quest run --sever does, e.g. \"at=5ms channel=telemetry\"; repeatable.")
    java.util.List<String> sever = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        QuestSystem q = QuestSystem.load(file);
        if (!q.config().questV().enabled()) {
            throw new Main.UsageException(file + " has no sandboxes: the audit is for Quest-V systems");
        }
        q = q.withSeverances(sever);
        long cycles;
        try {
            cycles = dev.questj.system.config.Units.cycles(after, q.config().machine().frequencyHz());
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--after: " + e.getMessage());
        }
        RunResult r = q.run(RunOptions.inMemory().withDuration(Math.max(1, cycles)));
        Audit audit = Audit.of(r);
        Map<String, Long> declared = audit.declaredFrames();
        Map<String, Long> shared = audit.sharedFrames();
        PrintWriter out = spec.commandLine().getOut();
        out.println("frames mapped into more than one sandbox, by owner (declared in parentheses):");
        TreeMap<String, Long> all = new TreeMap<>(declared);
        shared.forEach(all::putIfAbsent);
        for (String severed : audit.severedChannels()) {
            all.putIfAbsent(Audit.owner(severed), 0L);
        }
        for (String owner : all.keySet()) {
            long seen = shared.getOrDefault(owner, 0L);
            long want = declared.getOrDefault(owner, 0L);
            String note = audit.severedChannels().stream().anyMatch(c -> Audit.owner(c).equals(owner)) ? "  severed" : "";
            out.printf("  %-28s %6d (%d)%s%s%n", owner, seen, want, note, seen == want ? "" : "  MISMATCH");
        }
        if (all.isEmpty()) {
            out.println("  none");
        }
        boolean ok = audit.equalsDeclared();
        out.println(ok ? "ok: the shared frames are exactly the declared channels" : "FAILED: shared frames differ from the declared channels");
        out.flush();
        return ok ? 0 : 1;
    }
}
