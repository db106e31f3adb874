package dev.questj.system.config;

import dev.questj.system.config.MilsConfig.SeveranceConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Severances asked for on the command line ({@code quest run --sever "at=3s channel=telemetry"}):
 * parsed, checked against the system exactly as the file's {@code severances} are, and added to it.
 * A spec is {@code key=value} pairs separated by blanks or commas, in any order: {@code at} (a
 * duration greater than 0) and {@code channel} (a channel's name), both required.
 */
public final class SeveranceSpec {
    static final List<String> KEYS = List.of("at", "channel");

    private SeveranceSpec() {}

    /**
     * {@code config} with the severances of {@code specs} appended after the file's; every problem in
     * every spec is reported in one exception, each line starting with {@code --sever "SPEC": }.
     */
    public static SystemConfig apply(SystemConfig config, List<String> specs) throws ConfigException {
        if (specs.isEmpty()) {
            return config;
        }
        QuestVConfig q = config.questV();
        List<ConfigError> errors = new ArrayList<>();
        List<SeveranceConfig> all = new ArrayList<>(q.mils().severances());
        List<SeveranceConfig> added = new ArrayList<>();
        Set<String> channelNames = new LinkedHashSet<>();
        q.channels().forEach(c -> channelNames.add(c.name()));
        for (String spec : specs) {
            Location at = new Location("--sever " + Units.quote(spec), 0, 0, "");
            if (!q.enabled()) {
                errors.add(new ConfigError(at, "the system has no sandboxes and so no channels to sever (SMP mode)"));
                continue;
            }
            try {
                SeveranceConfig s = parse(spec, config.machine().frequencyHz(), at);
                String problem = MilsReader.severanceProblem(s.channel(), channelNames, all, q.monitors().removeAfterBoot(), null);
                if (problem != null) {
                    errors.add(new ConfigError(at, problem));
                    continue;
                }
                all.add(s);
                added.add(s);
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(at, e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        QuestVConfig withMore = q.withMils(q.mils().withSeverances(added));
        return config.withQuestV(withMore);
    }

    /** One spec: "at=3s channel=telemetry"; throws with the problem in words. */
    static SeveranceConfig parse(String spec, long frequencyHz, Location at) {
        Map<String, String> fields = KeyValueSpec.parse(spec, KEYS, KEYS, "at=TIME channel=NAME", "at=3s channel=telemetry");
        long cycles;
        try {
            cycles = Units.cycles(fields.get("at"), frequencyHz);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("at: " + e.getMessage());
        }
        if (cycles <= 0) {
            throw new IllegalArgumentException("at: expected a duration greater than 0, got " + Units.quote(fields.get("at")));
        }
        return new SeveranceConfig(fields.get("channel"), cycles, at);
    }
}
