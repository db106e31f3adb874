package dev.questj.system.config;

import dev.questj.vmm.Faults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads what dependability adds to a Quest-V system: each sandbox's {@code recovery} policy and
 * {@code watchdog}, and the top-level {@code faults} to inject; and parses {@code --inject} specs
 * ("at=2s sandbox=comms kind=kernel-panic") into the same {@link FaultConfig}, checked the same way.
 */
public final class FaultReader {
    /** The kinds, as the config writes them ({@link Faults.Kind}'s labels). */
    public static final List<String> KINDS = Faults.Kind.labels();
    static final List<String> FAULT_FIELDS = List.of("at", "sandbox", "kind", "thread", "device", "channel");
    static final List<String> RECOVERY_FIELDS = List.of("policy", "maxRestarts");
    static final List<String> POLICIES = List.of("restart", "stay-down");
    static final List<String> WATCHDOG_FIELDS = List.of("heartbeat", "timeout");
    static final String DEFAULT_HEARTBEAT = "1ms";

    private FaultReader() {}

    /** The field a kind's target goes in (thread, device, channel), or null when it takes none. */
    public static String targetField(String kind) {
        Faults.Kind k = Faults.Kind.of(kind);
        return k == null ? null : k.target();
    }

    // ---- per sandbox ----

    /** {@code recovery: restart | stay-down | {policy, maxRestarts}}; null after a reported problem. */
    static RecoveryConfig recovery(ReadContext ctx, Mapping sandbox) {
        if (!sandbox.has("recovery")) {
            return RecoveryConfig.RESTART;
        }
        Node node = sandbox.value("recovery");
        String path = sandbox.path("recovery");
        if (node instanceof ScalarNode) {
            String policy = ctx.choice(node, path, POLICIES);
            return policy == null ? null : policy.equals("restart") ? RecoveryConfig.RESTART : RecoveryConfig.STAY_DOWN;
        }
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        m.acceptOnly(RECOVERY_FIELDS);
        String policy = m.choice("policy", "restart", POLICIES);
        Long max = m.integer("maxRestarts", -1, 0, 1_000_000);
        if (policy == null || max == null) {
            return null;
        }
        if (policy.equals("stay-down")) {
            if (m.has("maxRestarts")) {
                ctx.error(m.location("maxRestarts"), "maxRestarts applies only to policy restart");
                return null;
            }
            return RecoveryConfig.STAY_DOWN;
        }
        return new RecoveryConfig(true, max.intValue());
    }

    /** {@code watchdog: {heartbeat, timeout}}; null when absent or after a reported problem. */
    static WatchdogConfig watchdog(ReadContext ctx, Mapping sandbox) {
        if (!sandbox.has("watchdog")) {
            return null;
        }
        Mapping m = Mapping.of(ctx, sandbox.value("watchdog"), sandbox.path("watchdog"));
        if (m == null) {
            return null;
        }
        m.acceptOnly(WATCHDOG_FIELDS);
        Long heartbeat = m.positiveDuration("heartbeat", DEFAULT_HEARTBEAT);
        Long timeout = m.requiredPositiveDuration("timeout");
        if (heartbeat == null || timeout == null) {
            return null;
        }
        long microsecond = Math.max(1, ctx.frequencyHz() / 1_000_000);
        if (heartbeat < microsecond) {
            ctx.error(m.has("heartbeat") ? m.location("heartbeat") : m.location(), "a heartbeat more often than every 1us would"
                    + " cost more simulation than it shows; got " + heartbeat + " cycles");
            return null;
        }
        if (timeout < 2 * heartbeat) {
            ctx.error(m.location("timeout"), "timeout must be at least twice the heartbeat (" + heartbeat
                    + " cycles), so that a live PCPU always posts one between two looks; got " + timeout + " cycles");
            return null;
        }
        return new WatchdogConfig(heartbeat, timeout, m.location());
    }

    // ---- faults ----

    /** The top-level {@code faults} list, checked against the sandboxes read; null after a reported problem. */
    static List<FaultConfig> faults(ReadContext ctx, Node node, QuestVConfig q, long durationCycles) {
        SequenceNode list = ctx.sequence(node, "faults", "a list of faults such as {at: 2s, sandbox: comms, kind: kernel-panic}");
        if (list == null) {
            return null;
        }
        List<FaultConfig> faults = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            String path = "faults[" + i + "]";
            Mapping m = Mapping.of(ctx, list.getValue().get(i), path);
            if (m == null) {
                ok = false;
                continue;
            }
            m.acceptOnly(FAULT_FIELDS);
            Long at = m.requiredDuration("at");
            String sandbox = m.requiredName("sandbox");
            Node kindNode = m.required("kind");
            String kind = kindNode == null ? null : ctx.choice(kindNode, m.path("kind"), KINDS);
            if (at == null || sandbox == null || kind == null) {
                ok = false;
                continue;
            }
            Map<String, String> targets = new LinkedHashMap<>();
            for (String field : List.of("thread", "device", "channel")) {
                if (m.has(field)) {
                    String name = ctx.name(m.value(field), m.path(field));
                    if (name == null) {
                        ok = false;
                    }
                    targets.put(field, name);
                }
            }
            String stray = strayTarget(kind, targets);
            if (stray != null) {
                ctx.error(m.location(stray), strayMessage(stray, kind));
                ok = false;
                continue;
            }
            FaultConfig f = resolve(at, sandbox, kind, targets, q, m.location());
            String problem = f == null ? unresolved(sandbox, kind, targets, q) : problem(f, q, durationCycles);
            if (problem != null) {
                String field = problemField(problem);
                String message = problem.startsWith(field + ": ") ? problem.substring(field.length() + 2) : problem;
                ctx.error(m.has(field) ? m.location(field) : m.location(), message);
                ok = false;
                continue;
            }
            faults.add(f);
        }
        return ok ? faults : null;
    }

    /** A target field the kind does not act on (a panic given a thread, a runaway thread given a device), or null. */
    private static String strayTarget(String kind, Map<String, String> targets) {
        String field = targetField(kind);
        return targets.keySet().stream().filter(t -> !t.equals(field)).findFirst().orElse(null);
    }

    private static String strayMessage(String stray, String kind) {
        String field = targetField(kind);
        return "field \"" + stray + "\" is not used by " + ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind + " fault; "
                + (field == null ? "it acts on the sandbox as a whole" : "it acts on a " + field + " (" + field + ": NAME)");
    }

    /** Which field a problem message is about (its first word names it). */
    private static String problemField(String problem) {
        for (String field : FAULT_FIELDS) {
            if (problem.startsWith(field + ":")) {
                return field;
            }
        }
        return "kind";
    }

    /**
     * Parses an {@code --inject} spec, "at=2s sandbox=comms kind=kernel-panic [thread=|device=|channel=NAME]",
     * checked against {@code cfg}; throws IllegalArgumentException with the reason.
     */
    public static FaultConfig parse(String spec, SystemConfig cfg) {
        if (!cfg.questV().enabled()) {
            throw new IllegalArgumentException("faults are injected into sandboxes: " + cfg.source() + " has none (SMP mode)");
        }
        Map<String, String> fields = KeyValueSpec.parse(spec, FAULT_FIELDS, List.of("at", "sandbox", "kind"),
                "at=TIME sandbox=NAME kind=KIND [thread=|device=|channel=NAME]", "at=2s sandbox=comms kind=kernel-panic");
        long at;
        try {
            at = Units.cycles(fields.get("at"), cfg.machine().frequencyHz());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("at: " + e.getMessage());
        }
        String kind = fields.get("kind");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind: unknown fault kind " + Units.quote(kind) + " (expected one of "
                    + String.join(", ", KINDS) + ")");
        }
        Map<String, String> targets = new LinkedHashMap<>();
        for (String field : List.of("thread", "device", "channel")) {
            if (fields.containsKey(field)) {
                targets.put(field, fields.get(field));
            }
        }
        String stray = strayTarget(kind, targets);
        if (stray != null) {
            throw new IllegalArgumentException(stray + ": " + strayMessage(stray, kind));
        }
        QuestVConfig q = cfg.questV();
        FaultConfig f = resolve(at, fields.get("sandbox"), kind, targets, q, Location.NONE.child("--inject"));
        String problem = f == null ? unresolved(fields.get("sandbox"), kind, targets, q) : problem(f, q, Long.MAX_VALUE);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return f;
    }

    /**
     * The fault with its target: the one named, or by default the sandbox's first thread, first
     * device or first ring channel it sends on; null when the sandbox or a default is missing.
     */
    private static FaultConfig resolve(long at, String sandbox, String kind, Map<String, String> targets, QuestVConfig q,
            Location location) {
        SandboxConfig s = sandbox(q, sandbox);
        if (s == null) {
            return null;
        }
        String field = targetField(kind);
        String target = field == null ? null : targets.get(field);
        if (field != null && target == null) {
            target = switch (field) {
                case "thread" -> s.threads().isEmpty() ? null : s.threads().getFirst().name();
                case "device" -> s.devices().isEmpty() ? null : s.devices().getFirst();
                default -> q.channels().stream().filter(c -> sendsFrom(c, sandbox) && c.kind() == ChannelConfig.Kind.RING)
                        .map(ChannelConfig::name).findFirst().orElse(null);
            };
            if (target == null) {
                return null;
            }
        }
        return new FaultConfig(at, sandbox, kind, target, location);
    }

    private static String unresolved(String sandbox, String kind, Map<String, String> targets, QuestVConfig q) {
        if (sandbox(q, sandbox) == null) {
            return "sandbox: no sandbox " + Units.quote(sandbox) + " (sandboxes: "
                    + String.join(", ", q.sandboxes().stream().map(SandboxConfig::name).toList()) + ")";
        }
        String field = targetField(kind);
        return field + ": sandbox " + sandbox + " has no " + switch (field) {
            case "thread" -> "thread";
            case "device" -> "device";
            default -> "ring channel it sends on";
        } + " for a " + kind + " fault to act on";
    }

    /** What is wrong with {@code f} in system {@code q}, or null. */
    private static String problem(FaultConfig f, QuestVConfig q, long durationCycles) {
        if (f.atCycles() >= durationCycles) {
            return "at: the fault comes at or after the end of the run (" + durationCycles + " cycles): it would never happen";
        }
        SandboxConfig s = sandbox(q, f.sandbox());
        String field = targetField(f.kind());
        if (field == null) {
            return null;
        }
        String t = f.target();
        return switch (field) {
            case "thread" -> s.threads().stream().anyMatch(x -> x.name().equals(t)) ? null
                    : "thread: sandbox " + s.name() + " has no thread " + Units.quote(t);
            case "device" -> s.devices().contains(t) ? null
                    : "device: sandbox " + s.name() + " has no device " + Units.quote(t) + " (its devices: "
                            + (s.devices().isEmpty() ? "none" : String.join(", ", s.devices())) + ")";
            default -> {
                ChannelConfig c = q.channels().stream().filter(x -> x.name().equals(t)).findFirst().orElse(null);
                if (c == null) {
                    yield "channel: no channel " + Units.quote(t);
                }
                if (!sendsFrom(c, s.name())) {
                    yield "channel: sandbox " + s.name() + " does not send on channel " + t;
                }
                yield c.kind() == ChannelConfig.Kind.RING ? null
                        : "channel: " + t + " is a four-slot channel (it has no checksum to catch a corrupted message); use a ring";
            }
        };
    }

    private static boolean sendsFrom(ChannelConfig c, String sandbox) {
        return c.from().equals(sandbox) || (c.bidirectional() && c.to().equals(sandbox));
    }

    private static SandboxConfig sandbox(QuestVConfig q, String name) {
        for (SandboxConfig s : q.sandboxes()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** A fault as the config writes it, for messages and --explain. */
    public static String describe(FaultConfig f, long hz) {
        String field = targetField(f.kind());
        return String.format(Locale.ROOT, "{at: %s, sandbox: %s, kind: %s%s}", Units.duration(f.atCycles(), hz), f.sandbox(),
                f.kind(), field == null ? "" : ", " + field + ": " + f.target());
    }
}
