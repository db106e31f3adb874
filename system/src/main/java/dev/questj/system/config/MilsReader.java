package dev.questj.system.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.questj.system.config.MilsConfig.SeveranceConfig;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the MILS part of a Quest-V description (docs/CONFIG.md, "MILS"): each sandbox's
 * {@code label}, the top-level {@code policy} of allowed flows, and the {@code severances}; then
 * checks every channel direction against the policy. Called by {@link SandboxReader} once the
 * sandboxes and channels are read. Follows {@link ReadContext}'s convention: null means a problem was
 * reported.
 */
final class MilsReader {
    static final List<String> POLICY_FIELDS = List.of("flows");
    static final List<String> FLOW_FIELDS = List.of("from", "to", "via");
    static final List<String> SEVERANCE_FIELDS = List.of("at", "channel");

    /** A sandbox as the first pass read it: its name (null if broken) and its mapping. */
    record SandboxEntry(String name, Mapping m) {}

    private final ReadContext ctx;

    MilsReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Reads labels, policy and severances.
     *
     * @param sandboxes    the sandboxes in file order (null entries: not a mapping); null when the list is broken
     * @param channels     the channels that were read without a problem
     * @param channelNames every channel name that was read; null when which channels exist is unknown
     * @param remove       whether the monitors are removed after boot (null: unknown)
     * @param afterBoot    where {@code monitors.afterBoot} is given, or null
     */
    MilsConfig read(Mapping top, List<SandboxEntry> sandboxes, List<ChannelConfig> channels, Set<String> channelNames,
            Boolean remove, Location afterBoot) {
        int errorsBefore = ctx.errorCount();
        Map<String, String> labels = sandboxes == null ? null : labels(sandboxes);
        MilsConfig.PolicyConfig policy = null;
        int policyErrorsBefore = ctx.errorCount();
        if (top.has("policy")) {
            policy = policy(top.value("policy"), labels, sandboxes, channels, channelNames);
        }
        boolean policyOk = ctx.errorCount() == policyErrorsBefore;
        List<SeveranceConfig> severances = top.has("severances")
                ? severances(top.value("severances"), channelNames, remove, afterBoot) : List.of();
        if (policy != null && labels != null && channels != null) {
            checkChannels(policy, labels, channels);
        }
        if (ctx.errorCount() > errorsBefore || labels == null || severances == null || !policyOk) {
            return null;
        }
        return new MilsConfig(labels, policy, severances);
    }

    // ---- labels ----

    private Map<String, String> labels(List<SandboxEntry> sandboxes) {
        Set<String> names = new java.util.LinkedHashSet<>();
        sandboxes.stream().filter(s -> s != null && s.name() != null).forEach(s -> names.add(s.name()));
        Map<String, String> labels = new LinkedHashMap<>();
        for (SandboxEntry s : sandboxes) {
            if (s == null || !s.m().has("label")) {
                continue;
            }
            String label = ctx.name(s.m().value("label"), s.m().path("label"));
            if (label == null) {
                continue;
            }
            if (names.contains(label)) {
                ctx.error(s.m().location("label"), "label " + Units.quote(label) + " is also a sandbox's name: a flow naming "
                        + label + " would be ambiguous; choose another label");
                continue;
            }
            if (s.name() != null) {
                labels.put(s.name(), label);
            }
        }
        return labels;
    }

    // ---- policy ----

    private MilsConfig.PolicyConfig policy(Node node, Map<String, String> labels, List<SandboxEntry> sandboxes,
            List<ChannelConfig> channels, Set<String> channelNames) {
        Mapping m = Mapping.of(ctx, node, "policy");
        if (m == null) {
            return null;
        }
        m.acceptOnly(POLICY_FIELDS);
        Node flowsNode = m.required("flows");
        SequenceNode list = flowsNode == null ? null : ctx.sequence(flowsNode, m.path("flows"), "a list of flows {from, to, via}");
        if (list == null) {
            return null;
        }
        Set<String> sandboxNames = new java.util.LinkedHashSet<>();
        if (sandboxes != null) {
            sandboxes.stream().filter(s -> s != null && s.name() != null).forEach(s -> sandboxNames.add(s.name()));
        }
        Set<String> labelNames = labels == null ? null : new java.util.LinkedHashSet<>(labels.values());
        boolean known = sandboxes != null && labels != null && sandboxes.stream().allMatch(s -> s != null && s.name() != null);
        List<MilsConfig.FlowRule> flows = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            MilsConfig.FlowRule rule = flow(list.getValue().get(i), m.path("flows") + "[" + i + "]",
                    known ? sandboxNames : null, labelNames, labels, channels, channelNames);
            if (rule != null) {
                flows.add(rule);
            }
        }
        // A broken flow allows nothing: the channels are still checked against the others.
        return new MilsConfig.PolicyConfig(flows, ctx.at(node, "policy"));
    }

    private MilsConfig.FlowRule flow(Node node, String path, Set<String> sandboxes, Set<String> labelNames,
            Map<String, String> labels, List<ChannelConfig> channels, Set<String> channelNames) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        int errorsBefore = ctx.errorCount();
        m.acceptOnly(FLOW_FIELDS);
        String from = end(m, "from", sandboxes, labelNames);
        String to = end(m, "to", sandboxes, labelNames);
        String via = null;
        if (m.has("via")) {
            via = ctx.name(m.value("via"), m.path("via"));
            if (via != null && channelNames != null && !channelNames.contains(via)) {
                ctx.error(m.location("via"), unknownChannel(via, channelNames));
                via = null;
            }
        }
        if (ctx.errorCount() > errorsBefore) {
            return null;
        }
        MilsConfig.FlowRule rule = new MilsConfig.FlowRule(from, to, via, m.location());
        String viaName = via;
        ChannelConfig channel = via == null || channels == null ? null
                : channels.stream().filter(c -> c.name().equals(viaName)).findFirst().orElse(null);
        if (channel != null && labels != null && !allowsSome(rule, channel, labels)) {
            ctx.error(m.location("via"), "flow from " + from + " to " + to + " via " + via + " matches no direction of channel "
                    + via + ", which " + (channel.bidirectional() ? "joins " + end(channel.from(), labels) + " and "
                    : "goes one way from " + end(channel.from(), labels) + " to ") + end(channel.to(), labels));
            return null;
        }
        return rule;
    }

    /** A flow's end: a sandbox's name or a label (when which exist is known). */
    private String end(Mapping m, String field, Set<String> sandboxes, Set<String> labelNames) {
        String name = m.requiredName(field);
        if (name != null && sandboxes != null && labelNames != null && !sandboxes.contains(name) && !labelNames.contains(name)) {
            ctx.error(m.location(field), Units.quote(name) + " is neither a sandbox nor a label; sandboxes are: "
                    + String.join(", ", sandboxes) + (labelNames.isEmpty() ? "; no sandbox has a label"
                    : "; labels are: " + String.join(", ", labelNames)));
            return null;
        }
        return name;
    }

    private static boolean allowsSome(MilsConfig.FlowRule rule, ChannelConfig c, Map<String, String> labels) {
        return allows(rule, c, c.from(), c.to(), labels) || c.bidirectional() && allows(rule, c, c.to(), c.from(), labels);
    }

    private static boolean allows(MilsConfig.FlowRule rule, ChannelConfig c, String a, String b, Map<String, String> labels) {
        return rule.allows(c.name(), a, labels.get(a), b, labels.get(b));
    }

    /** Every direction of every channel must be allowed by some flow. */
    private void checkChannels(MilsConfig.PolicyConfig policy, Map<String, String> labels, List<ChannelConfig> channels) {
        for (ChannelConfig c : channels) {
            checkDirection(policy, labels, c, c.from(), c.to(), false);
            if (c.bidirectional()) {
                checkDirection(policy, labels, c, c.to(), c.from(), true);
            }
        }
    }

    private void checkDirection(MilsConfig.PolicyConfig policy, Map<String, String> labels, ChannelConfig c, String a, String b,
            boolean reverse) {
        if (policy.flows().stream().anyMatch(rule -> allows(rule, c, a, b, labels))) {
            return;
        }
        Location p = policy.location();
        ctx.error(c.location(), "channel " + Units.quote(c.name()) + (reverse ? " (direction both), in its direction" : "")
                + " from " + quotedEnd(a, labels) + " to " + quotedEnd(b, labels) + ": no flow in policy ("
                + p.file() + ":" + p.line() + ":" + p.column() + ") allows " + a + " -> " + b + "; it needs a flow such as {from: "
                + term(a, labels) + ", to: " + term(b, labels) + ", via: " + c.name() + "}");
    }

    /** {@code sandbox "control" (label secret)}. */
    private static String quotedEnd(String sandbox, Map<String, String> labels) {
        String label = labels.get(sandbox);
        return "sandbox " + Units.quote(sandbox) + (label == null ? " (no label)" : " (label " + label + ")");
    }

    /** {@code control (label secret)}. */
    private static String end(String sandbox, Map<String, String> labels) {
        String label = labels.get(sandbox);
        return sandbox + (label == null ? "" : " (label " + label + ")");
    }

    /** What a suggested flow names: the label when there is one, else the sandbox. */
    private static String term(String sandbox, Map<String, String> labels) {
        return labels.getOrDefault(sandbox, sandbox);
    }

    // ---- severances ----

    private List<SeveranceConfig> severances(Node node, Set<String> channelNames, Boolean remove, Location afterBoot) {
        SequenceNode list = ctx.sequence(node, "severances", "a list of severances {at, channel}");
        if (list == null) {
            return null;
        }
        List<SeveranceConfig> severances = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            String path = "severances[" + i + "]";
            Mapping m = Mapping.of(ctx, list.getValue().get(i), path);
            if (m == null) {
                ok = false;
                continue;
            }
            int errorsBefore = ctx.errorCount();
            m.acceptOnly(SEVERANCE_FIELDS);
            Long at = m.requiredPositiveDuration("at");
            String channel = m.requiredName("channel");
            if (channel != null) {
                String problem = severanceProblem(channel, channelNames, severances, remove, afterBoot);
                if (problem != null) {
                    ctx.error(m.location("channel"), problem);
                }
            }
            if (ctx.errorCount() > errorsBefore) {
                ok = false;
                continue;
            }
            severances.add(new SeveranceConfig(channel, at, m.location()));
        }
        return ok ? severances : null;
    }

    /**
     * Why {@code channel} cannot be severed (unknown, already severed, or no monitor to do it), or
     * null when it can; shared with the command line's {@code --sever}.
     */
    static String severanceProblem(String channel, Set<String> channelNames, List<SeveranceConfig> earlier, Boolean remove,
            Location afterBoot) {
        if (channelNames != null && !channelNames.contains(channel)) {
            return unknownChannel(channel, channelNames);
        }
        for (SeveranceConfig s : earlier) {
            if (s.channel().equals(channel)) {
                Location at = s.location();
                return "channel " + channel + " is already severed (" + at.file() + (at.line() > 0 ? ":" + at.line() + ":" + at.column() : "")
                        + "): a channel is severed once";
            }
        }
        if (Boolean.TRUE.equals(remove)) {
            return "channel " + channel + " cannot be severed: the monitors are removed after boot (monitors.afterBoot: remove"
                    + (afterBoot == null || afterBoot.line() == 0 ? "" : ", line " + afterBoot.line())
                    + ") and only the monitors can revoke a channel's frames from the EPTs; keep the monitors to sever channels";
        }
        return null;
    }

    static String unknownChannel(String name, Set<String> channelNames) {
        return "unknown channel " + Units.quote(name) + (channelNames.isEmpty() ? "; there are no channels"
                : "; channels are: " + String.join(", ", channelNames));
    }
}
