package dev.questj.vmm;

import java.util.List;

/**
 * The migration admission test (QUEST-ALGORITHMS.md section 5, from the Quest-V migration paper): a
 * copy of {@code delta} cycles by a migration thread on a Main VCPU (Cm, Tm) must fit the time
 * available before the migrating thread must run again, E_s:
 *
 * <pre>  E_s >= floor(delta / Cm) * Tm + (delta mod Cm)</pre>
 *
 * <p>That bound is exact when the migration VCPU starts with its whole budget and nothing on its
 * PCPU outranks it: it copies Cm at once, waits for the chunk to come back one period later, and so
 * on, the last partial chunk running at once. When Main VCPUs of shorter period share the PCPU,
 * Quest/J replaces the last term by that chunk's worst-case response time against them (the
 * classic fixed-point iteration R = r + sum ceil(R / Tj) Cj): every full chunk still completes
 * within its period on an admitted PCPU, but the last one may be preempted. With no higher-priority
 * VCPU the two bounds are the same.
 */
public final class MigrationAdmission {
    private MigrationAdmission() {}

    /** A higher-priority Main VCPU on the migration VCPU's PCPU: budget and period in cycles. */
    public record Interferer(long budget, long period) {}

    /** The paper's bound: floor(delta / Cm) * Tm + (delta mod Cm). */
    public static long paperBound(long delta, long cm, long tm) {
        check(delta, cm, tm);
        return Math.addExact(Math.multiplyExact(delta / cm, tm), delta % cm);
    }

    /** The bound Quest/J enforces: the paper's, with the last chunk's response time against {@code higher}. */
    public static long bound(long delta, long cm, long tm, List<Interferer> higher) {
        check(delta, cm, tm);
        return Math.addExact(Math.multiplyExact(delta / cm, tm), response(delta % cm, higher));
    }

    /** The worst-case response time of {@code work} cycles under {@code higher} (the work itself when none). */
    static long response(long work, List<Interferer> higher) {
        if (work == 0 || higher.isEmpty()) {
            return work;
        }
        long r = work;
        for (int i = 0; i < 10_000; i++) {
            long next = work;
            for (Interferer h : higher) {
                next = Math.addExact(next, Math.multiplyExact(ceilDiv(r, h.period()), h.budget()));
            }
            if (next == r) {
                return r;
            }
            if (next > Long.MAX_VALUE / 4) {
                return Long.MAX_VALUE / 4; // no fixed point: the higher-priority VCPUs leave no room
            }
            r = next;
        }
        return r;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static void check(long delta, long cm, long tm) {
        if (delta < 0 || cm <= 0 || tm < cm) {
            throw new IllegalArgumentException("migration bound needs delta >= 0 and 0 < Cm <= Tm, got delta " + delta
                    + ", Cm " + cm + ", Tm " + tm);
        }
    }
}
