package dev.questj.system.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantities written with their unit as text, the only place where seconds and hertz meet cycles.
 *
 * <p>Parsing is exact: the number is read as a {@link BigDecimal} and scaled with integer arithmetic.
 * A duration that is not a whole number of cycles at the given frequency (say {@code 1ns} at 1.5 GHz)
 * is rounded to the nearest cycle, halves up. A bare number is refused: the unit is the point.
 *
 * <p>Rendering is exact too: {@link #duration(long, long)} picks the largest unit that divides the
 * cycle count exactly, so parsing the rendered text gives back the same cycles.
 */
public final class Units {
    /** A quantity that cannot be read; the message says what was expected and what was given. */
    public static final class InvalidQuantityException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidQuantityException(String message) {
            super(message);
        }
    }

    public static final String DURATION_UNITS = "cycles, ns, us, ms, s";
    public static final String FREQUENCY_UNITS = "Hz, kHz, MHz, GHz";
    public static final String SIZE_UNITS = "B, KiB, MiB, GiB, KB, MB, GB";
    public static final String BANDWIDTH_UNITS = "B/s, KB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s";
    public static final String RATE_UNITS = "/s";

    public static final long KHZ = 1_000L;
    public static final long MHZ = 1_000_000L;
    public static final long GHZ = 1_000_000_000L;

    public static final long KIB = 1L << 10;
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    /** A non-negative decimal number (no exponent, no sign), optional blanks, then the unit. */
    private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)[ \\t]*([A-Za-zµ%/]+)");
    /** A bare non-negative decimal number, such as a utilisation written as a fraction. */
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern NEGATIVE = Pattern.compile("-[ \\t]*\\d.*");

    /** Seconds per unit, as the divisor of (value * Hz); cycles are handled apart. */
    private static final Map<String, BigInteger> TIME_UNITS = new LinkedHashMap<>();
    private static final Map<String, Long> FREQUENCY_UNIT_HZ = new LinkedHashMap<>();
    /** Bytes per unit; the order is the order {@link #size(long)} tries them in. */
    private static final Map<String, Long> SIZE_UNIT_BYTES = new LinkedHashMap<>();
    /** Bytes per second per unit; the order is the order {@link #bandwidth(long)} tries them in. */
    private static final Map<String, Long> BANDWIDTH_UNIT_BYTES = new LinkedHashMap<>();

    static {
        TIME_UNITS.put("s", BigInteger.ONE);
        TIME_UNITS.put("ms", BigInteger.valueOf(1_000L));
        TIME_UNITS.put("us", BigInteger.valueOf(1_000_000L));
        TIME_UNITS.put("µs", BigInteger.valueOf(1_000_000L));
        TIME_UNITS.put("ns", BigInteger.valueOf(1_000_000_000L));
        FREQUENCY_UNIT_HZ.put("Hz", 1L);
        FREQUENCY_UNIT_HZ.put("kHz", KHZ);
        FREQUENCY_UNIT_HZ.put("MHz", MHZ);
        FREQUENCY_UNIT_HZ.put("GHz", GHZ);
        SIZE_UNIT_BYTES.put("GiB", GIB);
        SIZE_UNIT_BYTES.put("MiB", MIB);
        SIZE_UNIT_BYTES.put("KiB", KIB);
        SIZE_UNIT_BYTES.put("GB", GHZ);
        SIZE_UNIT_BYTES.put("MB", MHZ);
        SIZE_UNIT_BYTES.put("KB", KHZ);
        SIZE_UNIT_BYTES.put("B", 1L);
        BANDWIDTH_UNIT_BYTES.put("GB/s", GHZ);
        BANDWIDTH_UNIT_BYTES.put("GiB/s", GIB);
        BANDWIDTH_UNIT_BYTES.put("MB/s", MHZ);
        BANDWIDTH_UNIT_BYTES.put("MiB/s", MIB);
        BANDWIDTH_UNIT_BYTES.put("KB/s", KHZ);
        BANDWIDTH_UNIT_BYTES.put("KiB/s", KIB);
        BANDWIDTH_UNIT_BYTES.put("B/s", 1L);
    }

    private Units() {}

    /**
     * A duration ({@code "3000 cycles"}, {@code "250ns"}, {@code "250 us"}, {@code "1.5ms"}, {@code "2s"})
     * as cycles at {@code frequencyHz}, rounded to the nearest cycle.
     *
     * @throws InvalidQuantityException if the text is not a non-negative number with a duration unit,
     *                                  or the result does not fit in a {@code long}
     */
    public static long cycles(String text, long frequencyHz) {
        requirePositiveFrequency(frequencyHz);
        Quantity q = quantity(text, "duration", DURATION_UNITS);
        BigDecimal cycles;
        if (q.unit().equals("cycles") || q.unit().equals("cycle")) {
            cycles = q.value();
        } else if (TIME_UNITS.containsKey(q.unit())) {
            cycles = q.value().multiply(BigDecimal.valueOf(frequencyHz))
                    .divide(new BigDecimal(TIME_UNITS.get(q.unit())));
        } else {
            throw expected("duration", DURATION_UNITS, text);
        }
        return toLong(cycles, "duration", text, "cycles");
    }

    /**
     * A frequency ({@code "2GHz"}, {@code "1.5 GHz"}, {@code "800MHz"}) in hertz, rounded to the nearest hertz.
     *
     * @throws InvalidQuantityException if the text is not a non-negative number with a frequency unit
     */
    public static long hertz(String text) {
        Quantity q = quantity(text, "frequency", FREQUENCY_UNITS);
        Long perUnit = FREQUENCY_UNIT_HZ.get(q.unit());
        if (perUnit == null) {
            throw expected("frequency", FREQUENCY_UNITS, text);
        }
        return toLong(q.value().multiply(BigDecimal.valueOf(perUnit)), "frequency", text, "Hz");
    }

    /**
     * A percentage ({@code "10%"}, {@code "2.5 %"}) as a fraction: {@code "10%"} gives 0.10. Not bounded
     * here; the caller checks the range it needs.
     *
     * @throws InvalidQuantityException if the text is not a non-negative number followed by {@code %}
     */
    public static double fraction(String text) {
        Quantity q = quantity(text, "percentage", "%");
        if (!q.unit().equals("%")) {
            throw expected("percentage", "%", text);
        }
        return q.value().movePointLeft(2).doubleValue();
    }

    /**
     * A size ({@code "1500B"}, {@code "4KiB"}, {@code "1.5 MiB"}, {@code "2GB"}) in bytes. KiB, MiB and
     * GiB are powers of 1024; KB, MB and GB powers of 1000. Exact: a size that is not a whole number
     * of bytes ({@code "1.5B"}, {@code "0.1KiB"}) is refused, not rounded.
     *
     * @throws InvalidQuantityException if the text is not a non-negative number with a size unit, is not
     *                                  a whole number of bytes, or does not fit in a {@code long}
     */
    public static long bytes(String text) {
        Quantity q = quantity(text, "size", SIZE_UNITS);
        Long perUnit = SIZE_UNIT_BYTES.get(q.unit());
        if (perUnit == null) {
            throw expected("size", SIZE_UNITS, text);
        }
        BigDecimal bytes = q.value().multiply(BigDecimal.valueOf(perUnit));
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new InvalidQuantityException("the size " + quote(text) + " is not a whole number of bytes");
        }
        return toLong(bytes, "size", text, "bytes");
    }

    /**
     * A bandwidth ({@code "125MB/s"}, {@code "1 GB/s"}, {@code "512KiB/s"}) in bytes per second, rounded
     * to the nearest byte per second.
     *
     * @throws InvalidQuantityException if the text is not a non-negative number with a bandwidth unit
     */
    public static long bytesPerSecond(String text) {
        Quantity q = quantity(text, "bandwidth", BANDWIDTH_UNITS);
        Long perUnit = BANDWIDTH_UNIT_BYTES.get(q.unit());
        if (perUnit == null) {
            throw expected("bandwidth", BANDWIDTH_UNITS, text);
        }
        return toLong(q.value().multiply(BigDecimal.valueOf(perUnit)), "bandwidth", text, "B/s");
    }

    /**
     * A rate of events per second ({@code "2000/s"}, {@code "2.5/s"}), exactly as written.
     *
     * @throws InvalidQuantityException if the text is not a non-negative number followed by {@code /s}
     */
    public static BigDecimal perSecond(String text) {
        Quantity q = quantity(text, "rate", RATE_UNITS);
        if (!q.unit().equals("/s")) {
            throw expected("rate", RATE_UNITS, text);
        }
        return q.value();
    }

    /**
     * A utilisation, as a percentage ({@code "10%"}, {@code "12.5 %"}) or a fraction ({@code "0.1"}), in
     * parts per million rounded to the nearest, halves up: {@code "10%"} and {@code "0.1"} give 100000.
     * Not bounded here; the caller checks the range it needs.
     *
     * @throws InvalidQuantityException if the text is neither, or is negative
     */
    public static long ppm(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (NEGATIVE.matcher(trimmed).matches()) {
            throw new InvalidQuantityException("a utilisation cannot be negative, got " + quote(text));
        }
        BigDecimal fraction;
        if (NUMBER.matcher(trimmed).matches()) {
            fraction = new BigDecimal(trimmed);
        } else {
            Matcher m = QUANTITY.matcher(trimmed);
            if (!m.matches() || !m.group(2).equals("%")) {
                throw new InvalidQuantityException(
                        "expected a utilisation as a percentage (10%) or a fraction (0.1), got " + quote(text));
            }
            fraction = new BigDecimal(m.group(1)).movePointLeft(2);
        }
        return toLong(fraction.movePointRight(6), "utilisation", text, "ppm");
    }

    /**
     * Renders cycles exactly in the largest unit that divides them ({@code "5ms"}, {@code "800us"}),
     * else as {@code "1234 cycles"} (or {@code "1 cycle"}); zero is {@code "0 cycles"}.
     */
    public static String duration(long cycles, long frequencyHz) {
        requirePositiveFrequency(frequencyHz);
        if (cycles < 0) {
            throw new IllegalArgumentException("negative duration: " + cycles + " cycles");
        }
        if (cycles == 0) {
            return "0 cycles";
        }
        BigInteger c = BigInteger.valueOf(cycles);
        BigInteger hz = BigInteger.valueOf(frequencyHz);
        for (String unit : new String[] {"s", "ms", "us", "ns"}) {
            BigInteger[] qr = c.multiply(TIME_UNITS.get(unit)).divideAndRemainder(hz);
            if (qr[1].signum() == 0) {
                return qr[0] + unit;
            }
        }
        return cycles == 1 ? "1 cycle" : cycles + " cycles";
    }

    /** Renders a frequency in the largest unit that divides it exactly: {@code "2GHz"}, {@code "1500MHz"}. */
    public static String frequency(long hz) {
        if (hz <= 0) {
            throw new IllegalArgumentException("frequency must be positive: " + hz + " Hz");
        }
        for (String unit : new String[] {"GHz", "MHz", "kHz"}) {
            long perUnit = FREQUENCY_UNIT_HZ.get(unit);
            if (hz % perUnit == 0) {
                return hz / perUnit + unit;
            }
        }
        return hz + "Hz";
    }

    /**
     * Renders a size exactly: in the largest of GiB, MiB, KiB that divides it, else of GB, MB, KB, else
     * in bytes ({@code "4KiB"}, {@code "2KB"}, {@code "1500B"}); zero is {@code "0B"}.
     */
    public static String size(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes + " bytes");
        }
        return inLargestUnit(bytes, SIZE_UNIT_BYTES);
    }

    /** Renders a bandwidth exactly: {@code "125MB/s"}, {@code "1GiB/s"}, {@code "1500B/s"}. */
    public static String bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("negative bandwidth: " + bytesPerSecond + " B/s");
        }
        return inLargestUnit(bytesPerSecond, BANDWIDTH_UNIT_BYTES);
    }

    private static String inLargestUnit(long value, Map<String, Long> units) {
        for (Map.Entry<String, Long> unit : units.entrySet()) {
            if (value != 0 && value % unit.getValue() == 0) {
                return value / unit.getValue() + unit.getKey();
            }
        }
        return value + (units == SIZE_UNIT_BYTES ? "B" : "B/s");
    }

    /**
     * Renders a rate as the shortest decimal that reads back as the same double: {@code "2000/s"},
     * {@code "2.5/s"}.
     */
    public static String rate(double perSecond) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("not a rate: " + perSecond);
        }
        return BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString() + "/s";
    }

    /** Renders parts per million as an exact percentage: {@code "10%"}, {@code "12.5%"}, {@code "0.0001%"}. */
    public static String percent(long ppm) {
        if (ppm < 0) {
            throw new IllegalArgumentException("negative utilisation: " + ppm + " ppm");
        }
        return BigDecimal.valueOf(ppm).movePointLeft(4).stripTrailingZeros().toPlainString() + "%";
    }

    private record Quantity(BigDecimal value, String unit) {}

    private static Quantity quantity(String text, String what, String units) {
        String trimmed = text == null ? "" : text.strip();
        if (NEGATIVE.matcher(trimmed).matches()) {
            throw new InvalidQuantityException("a " + what + " cannot be negative, got " + quote(text));
        }
        Matcher m = QUANTITY.matcher(trimmed);
        if (!m.matches()) {
            throw expected(what, units, text);
        }
        return new Quantity(new BigDecimal(m.group(1)), m.group(2));
    }

    private static long toLong(BigDecimal exact, String what, String text, String unit) {
        BigInteger rounded = exact.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
        if (rounded.bitLength() > 63) {
            throw new InvalidQuantityException(
                    "the " + what + " " + quote(text) + " is too large (more than " + Long.MAX_VALUE + " " + unit + ")");
        }
        return rounded.longValueExact();
    }

    private static InvalidQuantityException expected(String what, String units, String text) {
        return new InvalidQuantityException("expected a " + what + " with a unit (" + units + "), got " + quote(text));
    }

    private static void requirePositiveFrequency(long frequencyHz) {
        if (frequencyHz <= 0) {
            throw new IllegalArgumentException("frequency must be positive: " + frequencyHz + " Hz");
        }
    }

    /** {@code "text"} for a message, escaped and cut short if long. */
    static String quote(String text) {
        if (text == null) {
            return "nothing";
        }
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        StringBuilder sb = new StringBuilder("\"");
        shown.codePoints().forEach(cp -> appendEscaped(sb, cp));
        return sb.append('"').toString();
    }

    private static void appendEscaped(StringBuilder sb, int cp) {
        switch (cp) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\t' -> sb.append("\\t");
            default -> {
                if (Character.isISOControl(cp)) {
                    sb.append(String.format("\\u%04x", cp));
                } else {
                    sb.appendCodePoint(cp);
                }
            }
        }
    }
}
