package dev.questj.system.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The state of reading one file: its name (for locations), the problems found so far, and the
 * frequency durations are converted at.
 *
 * <p>The scalar readers here share one convention: a value is read from its text as written (the
 * YAML tag only tells an empty value apart), and a reader that finds a problem reports it and
 * returns {@code null}. Callers build a record only when none of its values is null.
 */
final class ReadContext {
    /** Problems reported in one exception, in file order; the rest are counted. */
    static final int MAX_ERRORS = 20;
    /** Used to convert durations while the machine's own frequency is unknown (machine broken). */
    static final long FALLBACK_FREQUENCY_HZ = Units.GHZ;

    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern NEGATIVE = Pattern.compile("-[ \\t]*\\d.*");

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private long frequencyHz = FALLBACK_FREQUENCY_HZ;

    ReadContext(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    long frequencyHz() {
        return frequencyHz;
    }

    void useFrequency(long hz) {
        frequencyHz = hz;
    }

    Location at(Node node, String path) {
        return at(node.getStartMark(), path);
    }

    Location at(Mark mark, String path) {
        return mark == null ? new Location(file, 0, 0, path)
                : new Location(file, mark.getLine() + 1, mark.getColumn() + 1, path);
    }

    void error(Node node, String path, String message) {
        error(at(node, path), message);
    }

    void error(Location at, String message) {
        errors.add(new ConfigError(at, message));
    }

    int errorCount() {
        return errors.size();
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /**
     * All problems in file order, the first {@link #MAX_ERRORS} of them and a count of the rest. The
     * description's own problems come first; those found in files it refers to (packet traces) follow,
     * file by file in the order they were found, each in line order.
     */
    ConfigException exception() {
        List<String> files = new ArrayList<>(List.of(file));
        errors.forEach(e -> {
            if (!files.contains(e.location().file())) {
                files.add(e.location().file());
            }
        });
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt((ConfigError e) -> files.indexOf(e.location().file()))
                .thenComparingInt(e -> e.location().line())
                .thenComparingInt(e -> e.location().column()));
        if (sorted.size() <= MAX_ERRORS) {
            return new ConfigException(sorted);
        }
        List<ConfigError> shown = new ArrayList<>(sorted.subList(0, MAX_ERRORS));
        int more = sorted.size() - MAX_ERRORS;
        shown.add(new ConfigError(new Location(file, 0, 0, ""),
                "and " + more + " more error" + (more == 1 ? "" : "s") + " not shown"));
        return new ConfigException(shown);
    }

    // ---- scalar readers: null means the problem was reported ----

    /** The text of a non-empty scalar; {@code what} names the expected value in the message. */
    String text(Node node, String path, String what) {
        if (node instanceof ScalarNode s && !isEmpty(s)) {
            return s.getValue();
        }
        error(node, path, "expected " + what + ", got " + describe(node));
        return null;
    }

    /** A name: letters, digits, '_', '-' and '.', not starting with '-' or '.'. */
    String name(Node node, String path) {
        String text = text(node, path, "a name");
        if (text != null && !NAME.matcher(text).matches()) {
            error(node, path, "invalid name " + Units.quote(text)
                    + ": use letters, digits, '_', '-' and '.', starting with a letter, digit or '_'");
            return null;
        }
        return text;
    }

    /** A decimal integer in [min, max]. */
    Long integer(Node node, String path, long min, long max) {
        String expected = min == Long.MIN_VALUE && max == Long.MAX_VALUE ? "a 64-bit integer"
                : max == Long.MAX_VALUE ? "an integer of at least " + min
                : "an integer from " + min + " to " + max;
        if (!(node instanceof ScalarNode s) || isEmpty(s) || !DECIMAL_INTEGER.matcher(s.getValue()).matches()) {
            error(node, path, "expected " + expected + ", got " + describe(node));
            return null;
        }
        BigInteger value = new BigInteger(s.getValue());
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            error(node, path, "expected " + expected + ", got " + value);
            return null;
        }
        return value.longValueExact();
    }

    /** A duration in cycles at the current frequency; zero allowed unless {@code positive}. */
    Long duration(Node node, String path, boolean positive) {
        if (!(node instanceof ScalarNode s) || isEmpty(s)) {
            error(node, path, "expected a duration with a unit (" + Units.DURATION_UNITS + "), got " + describe(node));
            return null;
        }
        try {
            long cycles = Units.cycles(s.getValue(), frequencyHz);
            if (positive && cycles == 0) {
                error(node, path, "expected a duration greater than 0, got " + Units.quote(s.getValue()));
                return null;
            }
            return cycles;
        } catch (Units.InvalidQuantityException e) {
            error(node, path, e.getMessage());
            return null;
        }
    }

    /** A frequency in hertz, within [min, max]. */
    Long frequency(Node node, String path, long minHz, long maxHz) {
        if (!(node instanceof ScalarNode s) || isEmpty(s)) {
            error(node, path, "expected a frequency with a unit (" + Units.FREQUENCY_UNITS + "), got " + describe(node));
            return null;
        }
        try {
            long hz = Units.hertz(s.getValue());
            if (hz < minHz || hz > maxHz) {
                error(node, path, "expected a frequency from " + Units.frequency(minHz) + " to "
                        + Units.frequency(maxHz) + ", got " + Units.quote(s.getValue()));
                return null;
            }
            return hz;
        } catch (Units.InvalidQuantityException e) {
            error(node, path, e.getMessage());
            return null;
        }
    }

    /** A size in bytes; zero allowed unless {@code positive}. */
    Long size(Node node, String path, boolean positive) {
        if (!(node instanceof ScalarNode s) || isEmpty(s)) {
            error(node, path, "expected a size with a unit (" + Units.SIZE_UNITS + "), got " + describe(node));
            return null;
        }
        try {
            long bytes = Units.bytes(s.getValue());
            if (positive && bytes == 0) {
                error(node, path, "expected a size greater than 0, got " + Units.quote(s.getValue()));
                return null;
            }
            return bytes;
        } catch (Units.InvalidQuantityException e) {
            error(node, path, e.getMessage());
            return null;
        }
    }

    /** A bandwidth in bytes per second, greater than zero. */
    Long bandwidth(Node node, String path) {
        if (!(node instanceof ScalarNode s) || isEmpty(s)) {
            error(node, path, "expected a bandwidth with a unit (" + Units.BANDWIDTH_UNITS + "), got " + describe(node));
            return null;
        }
        try {
            long bytesPerSecond = Units.bytesPerSecond(s.getValue());
            if (bytesPerSecond == 0) {
                error(node, path, "expected a bandwidth greater than 0, got " + Units.quote(s.getValue()));
                return null;
            }
            return bytesPerSecond;
        } catch (Units.InvalidQuantityException e) {
            error(node, path, e.getMessage());
            return null;
        }
    }

    /**
     * A rate of events per second, greater than zero and at most one a cycle at the current frequency,
     * exactly as written.
     */
    BigDecimal rate(Node node, String path) {
        return rate(node, path, false);
    }

    /**
     * A rate of events per second, at most one a cycle at the current frequency, exactly as written;
     * zero allowed only if {@code zeroAllowed}.
     */
    BigDecimal rate(Node node, String path, boolean zeroAllowed) {
        if (!(node instanceof ScalarNode s) || isEmpty(s)) {
            error(node, path, "expected a rate such as 2000/s, got " + describe(node));
            return null;
        }
        try {
            BigDecimal rate = Units.perSecond(s.getValue());
            if (rate.signum() == 0 && !zeroAllowed || rate.compareTo(BigDecimal.valueOf(frequencyHz)) > 0) {
                error(node, path, "expected a rate " + (zeroAllowed ? "of 0/s or more" : "greater than 0/s")
                        + " and at most one a cycle (" + frequencyHz + "/s at " + Units.frequency(frequencyHz)
                        + "), got " + Units.quote(s.getValue()));
                return null;
            }
            return rate;
        } catch (Units.InvalidQuantityException e) {
            error(node, path, e.getMessage());
            return null;
        }
    }

    /** A utilisation in (0, 100%], as parts per million. */
    Long utilisation(Node node, String path) {
        if (!(node instanceof ScalarNode s) || isEmpty(s)) {
            error(node, path, "expected a utilisation as a percentage (10%) or a fraction (0.1), got " + describe(node));
            return null;
        }
        String text = s.getValue();
        String outside = "utilisation " + text.strip() + " outside (0, 100%]";
        if (NEGATIVE.matcher(text.strip()).matches()) {
            error(node, path, outside);
            return null;
        }
        try {
            long ppm = Units.ppm(text);
            if (ppm <= 0 || ppm > VcpuConfig.PPM) {
                error(node, path, outside);
                return null;
            }
            return ppm;
        } catch (Units.InvalidQuantityException e) {
            error(node, path, e.getMessage());
            return null;
        }
    }

    /** {@code true} or {@code false}, exactly so (not yes, no, on, off). */
    Boolean bool(Node node, String path) {
        String text = text(node, path, "true or false");
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> {
                error(node, path, "expected true or false, got " + Units.quote(text));
                yield null;
            }
        };
    }

    /** One of {@code choices}, exactly as written. */
    String choice(Node node, String path, List<String> choices) {
        String expected = "one of " + String.join(", ", choices);
        String text = text(node, path, expected);
        if (text != null && !choices.contains(text)) {
            error(node, path, "expected " + expected + ", got " + Units.quote(text));
            return null;
        }
        return text;
    }

    /** The node as a list, or null after reporting that it is not one; {@code what}: "a list of VCPUs". */
    SequenceNode sequence(Node node, String path, String what) {
        if (node instanceof SequenceNode seq) {
            return seq;
        }
        error(node, path, "expected " + what + ", got " + describe(node));
        return null;
    }

    static boolean isEmpty(ScalarNode s) {
        return Tag.NULL.equals(s.getTag());
    }

    /** What a node is, for "got ..." in a message. */
    static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode q -> "a list";
            case ScalarNode s when isEmpty(s) -> "nothing";
            case ScalarNode s -> Units.quote(s.getValue());
            default -> "a " + node.getNodeId();
        };
    }
}
