package dev.questj.system.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line's small specs, "at=2s sandbox=comms kind=kernel-panic" (--inject, --migrate,
 * --sever): key=value pairs separated by spaces or commas, each key known and given once, the
 * required ones present. One parser, one set of messages.
 */
public final class KeyValueSpec {
    private KeyValueSpec() {}

    /**
     * The pairs of {@code spec} in the order given.
     *
     * @param keys     the keys it may have
     * @param required the keys it must have (non-empty values)
     * @param form     the spec's form for messages, e.g. "at=TIME channel=NAME"
     * @param example  an example for messages, e.g. "at=3s channel=telemetry"
     * @throws IllegalArgumentException with one clear message
     */
    public static Map<String, String> parse(String spec, List<String> keys, List<String> required, String form, String example) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : spec.strip().split("[\\s,]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value pairs such as " + example + ", got " + Units.quote(pair));
            }
            String key = pair.substring(0, eq);
            if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown key " + Units.quote(key) + "; keys are: " + String.join(", ", keys));
            }
            if (fields.putIfAbsent(key, pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("key " + key + " is given twice");
            }
        }
        for (String key : required) {
            if (!fields.containsKey(key) || fields.get(key).isEmpty()) {
                throw new IllegalArgumentException("missing " + key + "=...; expected " + form + ", such as " + example);
            }
        }
        return fields;
    }
}
