package dev.questj.vmm;

/**
 * The isolation ledger: for each kind of access (CPU write, CPU read, DMA, interrupt), how many
 * illegitimate attempts were made, how many each protection blocked, and how many breaches reached
 * a frame or core that the configuration did not grant. Every attempt is counted exactly once, as
 * blocked (by one mechanism) or as a breach.
 */
public final class Isolation {
    /** What was attempted. */
    public enum Kind { CPU_WRITE, CPU_READ, DMA, INTERRUPT }

    /** What stopped it. */
    public enum Blocker {
        PAGE_TABLE, EPT, IOMMU, INTERRUPT_REMAPPING,
        /** An unprogrammed vector on the device's own core: the local APIC ignores it (no remapping needed). */
        LOCAL_APIC
    }

    private final long[] attempts = new long[Kind.values().length];
    private final long[][] blocked = new long[Kind.values().length][Blocker.values().length];
    private final long[] breaches = new long[Kind.values().length];

    void block(Kind kind, Blocker by) {
        attempts[kind.ordinal()]++;
        blocked[kind.ordinal()][by.ordinal()]++;
    }

    void breach(Kind kind) {
        attempts[kind.ordinal()]++;
        breaches[kind.ordinal()]++;
    }

    public long attempts(Kind kind) {
        return attempts[kind.ordinal()];
    }

    public long blocked(Kind kind) {
        long sum = 0;
        for (long b : blocked[kind.ordinal()]) {
            sum += b;
        }
        return sum;
    }

    public long blocked(Kind kind, Blocker by) {
        return blocked[kind.ordinal()][by.ordinal()];
    }

    public long breaches(Kind kind) {
        return breaches[kind.ordinal()];
    }

    public long totalAttempts() {
        long s = 0;
        for (Kind k : Kind.values()) {
            s += attempts(k);
        }
        return s;
    }

    public long totalBreaches() {
        long s = 0;
        for (Kind k : Kind.values()) {
            s += breaches(k);
        }
        return s;
    }
}
