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
    private Event[] heap = new Event[64];
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
        if (e.heapIndex >= 0) {
            e.time = time;
            e.sequence = nextSequence++;
            int i = e.heapIndex;
            if (!siftUp(i)) {
                siftDown(i);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.time = time;
        e.sequence = nextSequence++;
        heap[size] = e;
        e.heapIndex = size;
        siftUp(size++);
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
        Event last = heap[--size];
        heap[size] = null;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            if (!siftUp(i)) {
                siftDown(i);
            }
        }
        return true;
    }

    /** The time of the next event, or {@code Long.MAX_VALUE} when none is left. */
    public long peekTime() {
        return size == 0 ? Long.MAX_VALUE : heap[0].time;
    }

    /**
     * Fires events in order until the next one would be after {@code endTime} (inclusive bound) or
     * none is left; then the clock stands at {@code endTime}.
     */
    public void runUntil(long endTime) {
        while (size > 0 && heap[0].time <= endTime) {
            Event e = heap[0];
            cancel(e);
            now = e.time;
            fired++;
            e.fire(now);
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
        Event e = heap[0];
        cancel(e);
        now = e.time;
        fired++;
        e.fire(now);
        return true;
    }

    private static boolean before(Event a, Event b) {
        if (a.time != b.time) {
            return a.time < b.time;
        }
        if (a.priority != b.priority) {
            return a.priority < b.priority;
        }
        return a.sequence < b.sequence;
    }

    /** Moves heap[i] up; returns whether it moved. */
    private boolean siftUp(int i) {
        Event e = heap[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Event p = heap[parent];
            if (!before(e, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
        return i != start;
    }

    private void siftDown(int i) {
        Event e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Event c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, e)) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
