package dev.questj.cli;

import dev.questj.system.QuestSystem;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import dev.questj.system.config.ChannelConfig;
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
                "proving it equals the declared channels. Exit status 0 when it does, 1 when it does not."})
final class AuditCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SYSTEM.yaml", description = "A Quest-V system description.")
    Path file;

    @Option(names = "--after", defaultValue = "10ms", description = "Simulated time to run before auditing (default: ${DEFAULT-VALUE}; boot takes about 1 ms).")
    String after;

    @Override
    public Integer call() throws Exception {
        QuestSystem q = QuestSystem.load(file);
        if (!q.config().questV().enabled()) {
            throw new Main.UsageException(file + " has no sandboxes: the audit is for Quest-V systems");
        }
        long cycles;
        try {
            cycles = dev.questj.system.config.Units.cycles(after, q.config().machine().frequencyHz());
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--after: " + e.getMessage());
        }
        RunResult r = q.run(RunOptions.inMemory().withDuration(Math.max(1, cycles)));
        Map<String, Long> declared = new TreeMap<>();
        for (ChannelConfig c : q.config().questV().channels()) {
            long frames = Math.ceilDiv(c.sizeBytes(), 4096) * (c.bidirectional() ? 2 : 1);
            declared.put("channel " + c.name(), frames);
        }
        Map<String, Long> shared = new TreeMap<>(r.isolation().sharedFrames());
        PrintWriter out = spec.commandLine().getOut();
        out.println("frames mapped into more than one sandbox, by owner (declared in parentheses):");
        TreeMap<String, Long> all = new TreeMap<>(declared);
        shared.forEach(all::putIfAbsent);
        boolean ok = true;
        for (String owner : all.keySet()) {
            long seen = shared.getOrDefault(owner, 0L);
            long want = declared.getOrDefault(owner, 0L);
            ok &= seen == want;
            out.printf("  %-28s %6d (%d)%s%n", owner, seen, want, seen == want ? "" : "  MISMATCH");
        }
        if (all.isEmpty()) {
            out.println("  none");
        }
        out.println(ok ? "ok: the shared frames are exactly the declared channels" : "FAILED: shared frames differ from the declared channels");
        out.flush();
        return ok ? 0 : 1;
    }
}
