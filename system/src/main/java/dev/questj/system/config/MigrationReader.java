package dev.questj.system.config;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the top-level {@code migration} (settings) and {@code migrations} (requests) sections of a
 * Quest-V description, then makes {@link MigrationConfig#check}'s checks. Follows {@link ReadContext}'s
 * convention: null means a problem was reported.
 */
final class MigrationReader {
    static final List<String> FIELDS = List.of("pageCopy", "memory", "budget", "period", "sandboxes", "threads");
    static final List<String> SANDBOX_FIELDS = List.of("name", "budget", "period", "core", "clockOffset", "receives");
    static final List<String> THREAD_FIELDS = List.of("name", "memory");
    static final List<String> REQUEST_FIELDS = List.of("at", "thread", "to");

    private final ReadContext ctx;

    MigrationReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    /** Reads both sections of {@code top}; {@code questV} (null if broken) is what the requests are checked against. */
    MigrationConfig read(Mapping top, QuestVConfig questV) {
        MigrationConfig.Settings settings = top.has("migration") ? settings(top.value("migration")) : null;
        List<MigrationConfig.Request> requests = top.has("migrations") ? requests(top.value("migrations")) : List.of();
        if (settings == null && top.has("migration") || requests == null) {
            return null;
        }
        if (questV != null) {
            MigrationConfig.check(questV, settings, requests, ctx.frequencyHz()).forEach(e -> ctx.error(e.location(), e.message()));
        }
        return new MigrationConfig(settings, requests);
    }

    private MigrationConfig.Settings settings(Node node) {
        Mapping m = Mapping.of(ctx, node, "migration");
        if (m == null) {
            return null;
        }
        m.acceptOnly(FIELDS);
        Long pageCopy = m.positiveDuration("pageCopy", MigrationConfig.DEFAULT_PAGE_COPY);
        Long memory = m.positiveSize("memory", MigrationConfig.DEFAULT_MEMORY);
        Long budget = m.positiveDuration("budget", MigrationConfig.DEFAULT_BUDGET);
        Long period = m.positiveDuration("period", MigrationConfig.DEFAULT_PERIOD);
        if (budget != null && period != null && budget > period) {
            ctx.error(m.location("budget"), "budget " + m.textOf("budget") + " exceeds period "
                    + (m.has("period") ? m.textOf("period") : MigrationConfig.DEFAULT_PERIOD));
        }
        List<MigrationConfig.SandboxSettings> sandboxes = new ArrayList<>();
        SequenceNode seq = m.has("sandboxes") ? ctx.sequence(m.value("sandboxes"), m.path("sandboxes"), "a list of sandboxes") : null;
        if (seq != null) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Mapping s = Mapping.of(ctx, seq.getValue().get(i), m.path("sandboxes") + "[" + i + "]");
                if (s == null) {
                    continue;
                }
                s.acceptOnly(SANDBOX_FIELDS);
                String name = s.requiredName("name");
                Long b = s.has("budget") ? s.positiveDuration("budget", "1 cycles") : null;
                Long p = s.has("period") ? s.positiveDuration("period", "1 cycles") : null;
                Long core = s.integer("core", -1, 0, Integer.MAX_VALUE);
                Long offset = s.duration("clockOffset", "0 cycles");
                Boolean receives = s.bool("receives", false);
                if (name != null && core != null && offset != null && receives != null) {
                    sandboxes.add(new MigrationConfig.SandboxSettings(name, b, p, core.intValue(), offset, receives, s.location()));
                }
            }
        }
        List<MigrationConfig.ThreadMemory> threads = new ArrayList<>();
        seq = m.has("threads") ? ctx.sequence(m.value("threads"), m.path("threads"), "a list of threads") : null;
        if (seq != null) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Mapping t = Mapping.of(ctx, seq.getValue().get(i), m.path("threads") + "[" + i + "]");
                if (t == null) {
                    continue;
                }
                t.acceptOnly(THREAD_FIELDS);
                String name = t.requiredName("name");
                Node mem = t.required("memory");
                Long bytes = mem == null ? null : ctx.size(mem, t.path("memory"), true);
                if (name != null && bytes != null) {
                    threads.add(new MigrationConfig.ThreadMemory(name, bytes, t.location()));
                }
            }
        }
        if (ConfigReader.anyNull(pageCopy, memory, budget, period)) {
            return null;
        }
        return new MigrationConfig.Settings(pageCopy, memory, budget, period, sandboxes, threads);
    }

    private List<MigrationConfig.Request> requests(Node node) {
        SequenceNode seq = ctx.sequence(node, "migrations", "a list of migrations");
        if (seq == null) {
            return null;
        }
        List<MigrationConfig.Request> requests = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Mapping r = Mapping.of(ctx, seq.getValue().get(i), "migrations[" + i + "]");
            if (r == null) {
                continue;
            }
            r.acceptOnly(REQUEST_FIELDS);
            Node atNode = r.required("at");
            Long at = atNode == null ? null : ctx.duration(atNode, r.path("at"), false);
            String thread = r.requiredName("thread");
            String to = r.requiredName("to");
            if (at != null && thread != null && to != null) {
                requests.add(new MigrationConfig.Request(at, thread, to, r.location()));
            }
        }
        return requests;
    }
}
