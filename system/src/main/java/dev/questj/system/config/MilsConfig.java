package dev.questj.system.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MILS separation (multiple independent levels of security) of a Quest-V system: each sandbox's
 * security {@code label}, the information-flow {@code policy} every channel must obey, and the
 * channels severed at run time.
 *
 * @param labels     sandbox name to its label, for the sandboxes that have one, in file order
 * @param policy     the policy, or null when the file has none (then every declared channel is allowed)
 * @param severances channels severed at run time, in the order given (the file's, then the command line's)
 */
public record MilsConfig(Map<String, String> labels, PolicyConfig policy, List<SeveranceConfig> severances) {
    public static final MilsConfig NONE = new MilsConfig(Map.of(), null, List.of());

    public MilsConfig {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        severances = List.copyOf(severances);
    }

    /** The label of {@code sandbox}, or null when it has none. */
    public String label(String sandbox) {
        return labels.get(sandbox);
    }

    /** When {@code channel} is severed, or null when it is never severed. */
    public SeveranceConfig severanceOf(String channel) {
        return severances.stream().filter(s -> s.channel().equals(channel)).findFirst().orElse(null);
    }

    /** The same with {@code more} severances appended. */
    public MilsConfig withSeverances(List<SeveranceConfig> more) {
        List<SeveranceConfig> all = new java.util.ArrayList<>(severances);
        all.addAll(more);
        return new MilsConfig(labels, policy, all);
    }

    /**
     * The information-flow policy: a channel direction from sandbox A to sandbox B is allowed only
     * when some flow rule matches it.
     *
     * @param location where {@code policy} is given
     */
    public record PolicyConfig(List<FlowRule> flows, Location location) {
        public PolicyConfig {
            flows = List.copyOf(flows);
        }
    }

    /**
     * One allowed flow: information may go from {@code from} to {@code to}, each a sandbox's name or
     * a label (every sandbox with that label), through {@code via} (a channel's name) or, when
     * {@code via} is null, through any channel.
     */
    public record FlowRule(String from, String to, String via, Location location) {
        /** Whether this rule allows channel {@code channel} to carry information from sandbox {@code a} to sandbox {@code b}. */
        public boolean allows(String channel, String a, String labelA, String b, String labelB) {
            return names(from, a, labelA) && names(to, b, labelB) && (via == null || via.equals(channel));
        }

        private static boolean names(String term, String sandbox, String label) {
            return term.equals(sandbox) || term.equals(label);
        }
    }

    /**
     * A channel severed at run time: at {@code atCycles} the monitors of both its ends revoke its
     * frames from their EPTs (a hypercall VM exit each).
     *
     * @param location where it was asked for: the file's {@code severances[i]}, or the command line
     */
    public record SeveranceConfig(String channel, long atCycles, Location location) {}
}
