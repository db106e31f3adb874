package dev.questj.system;

import dev.questj.system.config.Units;
import java.util.Locale;

/**
 * What a run records to schedule.jsonl and trace.json, and when.
 *
 * @param what which lines: {@link What#SLICES} (execution slices and events), {@link What#EVENTS}
 *             (event lines only) or {@link What#NONE} (neither file is written)
 * @param from the window's start in cycles (inclusive)
 * @param to   the window's end in cycles (exclusive); {@code Long.MAX_VALUE}: the end of the run
 */
public record Recording(What what, long from, long to) {
    /** Which lines are recorded. */
    public enum What {
        /** Slices and events (the default). */
        SLICES,
        /** Event lines only (releases, misses, interrupts, I/O requests, faults, ...). */
        EVENTS,
        /** Nothing: no schedule.jsonl, no trace.json. */
        NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Slices and events over the whole run. */
    public static final Recording ALL = new Recording(What.SLICES, 0, Long.MAX_VALUE);
    /** Nothing. */
    public static final Recording NONE = new Recording(What.NONE, 0, Long.MAX_VALUE);

    public Recording {
        if (what == null) {
            throw new IllegalArgumentException("what to record is missing");
        }
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("the recording window must satisfy 0 <= from < to, got " + from + ".." + to);
        }
    }

    public boolean slices() {
        return what == What.SLICES;
    }

    public boolean events() {
        return what != What.NONE;
    }

    public boolean any() {
        return what != What.NONE;
    }

    /** Whether the window is the whole run. */
    public boolean wholeRun() {
        return from == 0 && to == Long.MAX_VALUE;
    }

    public Recording withWindow(long windowFrom, long windowTo) {
        return new Recording(what, windowFrom, windowTo);
    }

    /**
     * Parses {@code --record}: {@code slices} (slices and events), {@code events}, {@code none}, or
     * a comma-separated list of {@code slices} and {@code events} ({@code slices,events} = {@code slices}).
     *
     * @throws IllegalArgumentException with a message naming the accepted words
     */
    public static What parseWhat(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return What.NONE;
        }
        boolean slices = false;
        boolean events = false;
        for (String part : t.split(",", -1)) {
            switch (part.strip()) {
                case "slices" -> slices = true;
                case "events" -> events = true;
                default -> throw new IllegalArgumentException(
                        "--record takes slices, events, slices,events or none, got \"" + text + "\"");
            }
        }
        return slices ? What.SLICES : events ? What.EVENTS : What.NONE;
    }

    /**
     * Parses {@code --record-window FROM..TO} with units ({@code 1s..2s}, {@code 500ms..},
     * {@code ..2s}); an omitted side is the run's start or end.
     *
     * @return {from, to} in cycles
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static long[] parseWindow(String text, long hz) {
        String t = text == null ? "" : text.strip();
        int dots = t.indexOf("..");
        if (dots < 0 || t.indexOf("..", dots + 2) >= 0) {
            throw new IllegalArgumentException("--record-window takes FROM..TO with units, e.g. 1s..2s, got \"" + text + "\"");
        }
        String a = t.substring(0, dots).strip();
        String b = t.substring(dots + 2).strip();
        long from = a.isEmpty() ? 0 : time(a, hz, text);
        long to = b.isEmpty() ? Long.MAX_VALUE : time(b, hz, text);
        if (to <= from) {
            throw new IllegalArgumentException("--record-window: the end must come after the start, got \"" + text + "\"");
        }
        return new long[] {from, to};
    }

    private static long time(String part, long hz, String whole) {
        try {
            return Units.cycles(part, hz);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--record-window \"" + whole + "\": " + e.getMessage(), e);
        }
    }
}
