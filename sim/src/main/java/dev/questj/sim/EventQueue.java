package dev.questj.sim;

import java.util.Arrays;

/**
 * The single event queue of a simulation: a binary min-heap ordered by (time, priority, sequence).
 *
 * <p>Ties in time and priority run in insertion order (FIFO), which is both deterministic and the
 * least surprising order (gem5's LIFO bins are the thing not to copy). Scheduling an event in the
 * past is a programming error and throws. Each event remembers its heap index, so cancelling and
 * re-arming cost O(log n) and allocate nothing.
 */
public final class EventQueue {
    /** Sequence numbers use the low bits of the tie-break key; the priority sits above them. */
    private static final int SEQUENCE_BITS = 52;

    // The heap, as parallel arrays so that comparisons touch no Event object: times[i] and
    // keys[i] (priority << SEQUENCE_BITS | sequence) order events[i].
    private long[] times = new long[64];
    private long[] keys = new long[64];
    private Event[] events = new Event[64];
    private int size;
    private long nextSequence;
    private long now;
    private long fired;

    /** The current simulated time, in cycles. */
    public long now() {
        return now;
    }

    /** Events fired so far. */
    public long firedCount() {
        return fired;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Schedules {@code e} at {@code time}; if it is already scheduled it is moved (re-armed). */
    public void schedule(Event e, long time) {
        if (time < now) {
            throw new IllegalStateException("event scheduled in the past: at " + time + " cycles, now " + now);
        }
        if (e.priority < 0 || e.priority >= 1 << (63 - SEQUENCE_BITS)) {
            throw new IllegalArgumentException("event priority out of range: " + e.priority);
        }
        long key = ((long) e.priority << SEQUENCE_BITS) | nextSequence++;
        e.time = time;
        e.sequence = key;
        int i = e.heapIndex;
        if (i >= 0) {
            times[i] = time;
            keys[i] = key;
            if (!siftUp(i, e, time, key)) {
                siftDown(i, e, time, key);
            }
            return;
        }
        if (size == events.length) {
            grow();
        }
        siftUp(size++, e, time, key);
    }

    private void grow() {
        int n = events.length * 2;
        times = Arrays.copyOf(times, n);
        keys = Arrays.copyOf(keys, n);
        events = Arrays.copyOf(events, n);
    }

    /** Schedules {@code e} after {@code delay} cycles. */
    public void scheduleAfter(Event e, long delay) {
        schedule(e, now + delay);
    }

    /** Removes {@code e} if it is scheduled; returns whether it was. */
    public boolean cancel(Event e) {
        int i = e.heapIndex;
        if (i < 0) {
            return false;
        }
        e.heapIndex = -1;
        int last = --size;
        Event moved = events[last];
        long t = times[last];
        long k = keys[last];
        events[last] = null;
        if (i != last) {
            if (!siftUp(i, moved, t, k)) {
                siftDown(i, moved, t, k);
            }
        }
        return true;
    }

    /** The time of the next event, or {@code Long.MAX_VALUE} when none is left. */
    public long peekTime() {
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    /**
     * Fires events in order until the next one would be after {@code endTime} (inclusive bound) or
     * none is left; then the clock stands at {@code endTime}.
     */
    public void runUntil(long endTime) {
        while (size > 0 && times[0] <= endTime) {
            fireHead();
        }
        if (endTime > now) {
            now = endTime;
        }
    }

    /**
     * Fires every event strictly before {@code endTime}, then stands the clock at {@code endTime}:
     * a run of length L covers the half-open interval [0, L).
     */
    public void runBefore(long endTime) {
        while (size > 0 && times[0] < endTime) {
            fireHead();
        }
        if (endTime > now) {
            now = endTime;
        }
    }

    /** Fires the single next event, if any; returns whether one fired. */
    public boolean step() {
        if (size == 0) {
            return false;
        }
        fireHead();
        return true;
    }

    private void fireHead() {
        Event e = events[0];
        now = times[0];
        cancel(e);
        fired++;
        e.fire(now);
    }

    private static boolean before(long t1, long k1, long t2, long k2) {
        return t1 < t2 || (t1 == t2 && k1 < k2);
    }

    /** Places (e, t, k) at i or above; returns whether it moved up. */
    private boolean siftUp(int i, Event e, long t, long k) {
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, k, times[parent], keys[parent])) {
                break;
            }
            put(i, events[parent], times[parent], keys[parent]);
            i = parent;
        }
        put(i, e, t, k);
        return i != start;
    }

    private void siftDown(int i, Event e, long t, long k) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(times[right], keys[right], times[child], keys[child])) {
                child = right;
            }
            if (!before(times[child], keys[child], t, k)) {
                break;
            }
            put(i, events[child], times[child], keys[child]);
            i = child;
        }
        put(i, e, t, k);
    }

    private void put(int i, Event e, long t, long k) {
        events[i] = e;
        times[i] = t;
        keys[i] = k;
        e.heapIndex = i;
    }
}
