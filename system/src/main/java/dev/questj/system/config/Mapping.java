package dev.questj.system.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One YAML mapping of the system description, keyed by field name in file order. Duplicate keys and
 * keys that are not plain names are reported when it is made; the first occurrence of a key wins.
 * The typed getters follow {@link ReadContext}'s convention: null means a problem was reported.
 */
final class Mapping {
    private final ReadContext ctx;
    private final MappingNode node;
    private final String path;
    /** Field name -> its key and value nodes, in file order. */
    private final Map<String, NodeTuple> fields = new LinkedHashMap<>();

    private Mapping(ReadContext ctx, MappingNode node, String path) {
        this.ctx = ctx;
        this.node = node;
        this.path = path;
        for (NodeTuple entry : node.getValue()) {
            add(entry);
        }
    }

    /** The mapping at {@code node}, or null after reporting that it is not one. */
    static Mapping of(ReadContext ctx, Node node, String path) {
        if (node instanceof MappingNode m) {
            return new Mapping(ctx, m, path);
        }
        ctx.error(node, path, "expected a mapping, got " + ReadContext.describe(node));
        return null;
    }

    private void add(NodeTuple entry) {
        Node key = entry.getKeyNode();
        if (!(key instanceof ScalarNode s) || ReadContext.isEmpty(s)) {
            ctx.error(key, path, "expected a field name, got " + ReadContext.describe(key));
            return;
        }
        NodeTuple first = fields.putIfAbsent(s.getValue(), entry);
        if (first != null) {
            ctx.error(key, path(s.getValue()), "duplicate field " + Units.quote(s.getValue())
                    + " (first given on line " + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
        }
    }

    /** Reports every field not in {@code accepted}, listing the accepted ones. */
    void acceptOnly(List<String> accepted) {
        for (String field : fields.keySet()) {
            if (!accepted.contains(field)) {
                reportUnknown(field, accepted);
            }
        }
    }

    /**
     * For a mapping whose fields depend on a variant (a thread's model, a device's type): a field of
     * another variant "is not used by" this one, a field of none is unknown. With {@code variant} null
     * (it could not be read) every field of every variant is accepted.
     *
     * @param what the variant as messages name it: "model periodic", "type disk"
     */
    void acceptVariant(List<String> common, Map<String, List<String>> variants, String variant, String what) {
        Set<String> all = new LinkedHashSet<>(common);
        variants.values().forEach(all::addAll);
        if (variant == null) {
            acceptOnly(List.copyOf(all));
            return;
        }
        List<String> accepted = new ArrayList<>(common);
        accepted.addAll(variants.get(variant));
        for (String field : fields.keySet()) {
            if (accepted.contains(field)) {
                continue;
            }
            if (all.contains(field)) {
                reportAtKey(field, "field " + Units.quote(field) + " is not used by " + what
                        + "; its fields are: " + String.join(", ", accepted));
            } else {
                reportUnknown(field, accepted);
            }
        }
    }

    void reportUnknown(String field, Collection<String> accepted) {
        reportAtKey(field, "unknown field " + Units.quote(field) + "; accepted fields: " + String.join(", ", accepted));
    }

    void reportAtKey(String field, String message) {
        ctx.error(fields.get(field).getKeyNode(), path(field), message);
    }

    Set<String> fieldNames() {
        return fields.keySet();
    }

    boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The value of {@code field}, or null if absent. */
    Node value(String field) {
        NodeTuple entry = fields.get(field);
        return entry == null ? null : entry.getValueNode();
    }

    /** The value of {@code field}, or null after reporting that it is missing. */
    Node required(String field) {
        Node value = value(field);
        if (value == null) {
            ctx.error(node, path, "missing required field " + Units.quote(field));
        }
        return value;
    }

    /** The text of a scalar field as written, for messages; null if absent or not a scalar. */
    String textOf(String field) {
        return value(field) instanceof ScalarNode s ? s.getValue() : null;
    }

    /** This mapping's own path: "machine", "sandboxes[0]", "" at the top. */
    String path() {
        return path;
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    Location location() {
        return ctx.at(node, path);
    }

    Location location(String field) {
        return ctx.at(value(field), path(field));
    }

    // ---- typed getters ----

    String requiredName(String field) {
        Node value = required(field);
        return value == null ? null : ctx.name(value, path(field));
    }

    String text(String field, String defaultText, String what) {
        return has(field) ? ctx.text(value(field), path(field), what) : defaultText;
    }

    Long integer(String field, long defaultValue, long min, long max) {
        return has(field) ? ctx.integer(value(field), path(field), min, max) : Long.valueOf(defaultValue);
    }

    Long requiredInteger(String field, long min, long max) {
        Node value = required(field);
        return value == null ? null : ctx.integer(value, path(field), min, max);
    }

    /** A duration greater than zero that must be given. */
    Long requiredPositiveDuration(String field) {
        Node value = required(field);
        return value == null ? null : ctx.duration(value, path(field), true);
    }

    /** A duration greater than zero, {@code defaultText} (such as "1ms") when absent. */
    Long positiveDuration(String field, String defaultText) {
        return has(field) ? ctx.duration(value(field), path(field), true) : defaultCycles(defaultText);
    }

    /** A duration of zero or more, {@code defaultText} when absent. */
    Long duration(String field, String defaultText) {
        return has(field) ? ctx.duration(value(field), path(field), false) : defaultCycles(defaultText);
    }

    Long frequency(String field, String defaultText, long minHz, long maxHz) {
        return has(field) ? ctx.frequency(value(field), path(field), minHz, maxHz) : Long.valueOf(Units.hertz(defaultText));
    }

    /** A size of zero or more bytes, {@code defaultText} (such as "64B") when absent. */
    Long size(String field, String defaultText) {
        return has(field) ? ctx.size(value(field), path(field), false) : Long.valueOf(Units.bytes(defaultText));
    }

    /** A size greater than zero, {@code defaultText} when absent. */
    Long positiveSize(String field, String defaultText) {
        return has(field) ? ctx.size(value(field), path(field), true) : Long.valueOf(Units.bytes(defaultText));
    }

    /** A bandwidth greater than zero, {@code defaultText} (such as "125MB/s") when absent. */
    Long bandwidth(String field, String defaultText) {
        return has(field) ? ctx.bandwidth(value(field), path(field)) : Long.valueOf(Units.bytesPerSecond(defaultText));
    }

    /** A duration of zero or more that must be given. */
    Long requiredDuration(String field) {
        Node value = required(field);
        return value == null ? null : ctx.duration(value, path(field), false);
    }

    Boolean bool(String field, boolean defaultValue) {
        return has(field) ? ctx.bool(value(field), path(field)) : Boolean.valueOf(defaultValue);
    }

    String choice(String field, String defaultChoice, List<String> choices) {
        return has(field) ? ctx.choice(value(field), path(field), choices) : defaultChoice;
    }

    private Long defaultCycles(String defaultText) {
        return Units.cycles(defaultText, ctx.frequencyHz());
    }
}
