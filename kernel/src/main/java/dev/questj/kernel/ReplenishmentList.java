package dev.questj.kernel;

/**
 * A Main VCPU's replenishment list R: entries (time, amount) in cycles, sorted by time, at most
 * {@code capacity} of them, kept in a ring of two parallel arrays (no allocation after creation).
 *
 * <p>Invariant (checked by {@link SporadicServer#checkInvariants}): the amounts sum to the VCPU's
 * budget C. Entries with equal times keep insertion order.
 */
public final class ReplenishmentList {
    private final long[] times;
    private final long[] amounts;
    private int head;
    private int size;

    public ReplenishmentList(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a replenishment list needs room for at least 2 entries, got " + capacity);
        }
        times = new long[capacity];
        amounts = new long[capacity];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return times.length;
    }

    public boolean isFull() {
        return size == times.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    private int slot(int i) {
        int s = head + i;
        return s >= times.length ? s - times.length : s;
    }

    /** Time of the i-th entry (0 = head). */
    public long time(int i) {
        return times[slot(i)];
    }

    /** Amount of the i-th entry (0 = head). */
    public long amount(int i) {
        return amounts[slot(i)];
    }

    public long headTime() {
        return times[head];
    }

    public long headAmount() {
        return amounts[head];
    }

    public void setHeadTime(long t) {
        times[head] = t;
    }

    public void setHeadAmount(long a) {
        amounts[head] = a;
    }

    public void addToAmount(int i, long delta) {
        amounts[slot(i)] += delta;
    }

    /** Removes every entry (a migrated VCPU's list is replaced by the one that travelled). */
    public void clear() {
        head = 0;
        size = 0;
    }

    /** Removes the head entry. */
    public void popHead() {
        if (size == 0) {
            throw new IllegalStateException("pop from an empty replenishment list");
        }
        head = slot(1);
        size--;
    }

    /** Inserts (t, a) after every entry whose time is {@code <= t}. */
    public void insert(long t, long a) {
        if (isFull()) {
            throw new IllegalStateException("replenishment list full (" + times.length + " entries)");
        }
        int i = size;
        // Shift later entries one slot towards the tail; lists are short (Quest: at most 32).
        while (i > 0 && times[slot(i - 1)] > t) {
            int from = slot(i - 1);
            int to = slot(i);
            times[to] = times[from];
            amounts[to] = amounts[from];
            i--;
        }
        int at = slot(i);
        times[at] = t;
        amounts[at] = a;
        size++;
    }

    /**
     * Merges the head and the second entry into one: amounts add, the merged entry keeps the head's
     * time. (Section 2 says "merge head into second" in budget-check and "merge second into head" in
     * unblock-check; both keep the head's time, so they are this one operation.)
     */
    public void mergeHeadWithSecond() {
        long t = headTime();
        long a = headAmount();
        popHead();
        setHeadTime(t);
        setHeadAmount(headAmount() + a);
    }

    /** The sum of all amounts. */
    public long sum() {
        long s = 0;
        for (int i = 0; i < size; i++) {
            s += amount(i);
        }
        return s;
    }

    /** Whether times are non-decreasing from head to tail. */
    public boolean isSorted() {
        for (int i = 1; i < size; i++) {
            if (time(i) < time(i - 1)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('(').append(time(i)).append(", ").append(amount(i)).append(')');
        }
        return sb.append(']').toString();
    }
}
