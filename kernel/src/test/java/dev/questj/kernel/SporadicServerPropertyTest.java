package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.questj.kernel.SimRun.Post;
import dev.questj.kernel.SystemGen.SystemSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The guarantees of a Main VCPU's sporadic server (QUEST-ALGORITHMS.md section 2), checked on
 * random systems of 1-3 PCPUs with 1-6 VCPUs each, running threads that compute, block and wake at
 * random. These three hold whether or not a PCPU is overloaded (they say nothing about how soon a
 * VCPU gets to run), so the generator also draws sets over the admission bound.
 */
class SporadicServerPropertyTest {

    @Provide
    Arbitrary<SystemSpec> anySystem() {
        return SystemGen.systems(false);
    }

    // ---- 1. the list invariant ----

    /**
     * After every event: each Main VCPU's replenishment amounts sum to its budget C, the list is
     * sorted by time, holds 1..maxReplenishments entries of positive amounts, and the usage charged
     * against the head is in [0, head amount) (a used-up head is re-posted at once; without overheads
     * no overrun leaves usage beyond it).
     */
    @Property(tries = 120)
    void replenishmentAmountsAlwaysSumToTheBudget(@ForAll("anySystem") SystemSpec spec) {
        SimRun.run(spec, (run, now) -> {
            for (Vcpu v : run.vcpus()) {
                checkList(v, spec.maxReplenishments(), now);
            }
        }, SimRun.NO_SETTLED_CHECK);
    }

    static void checkList(Vcpu v, int maxEntries, long now) {
        SporadicServer ss = SimRun.server(v);
        ReplenishmentList r = ss.replenishments();
        long sum = 0;
        for (int i = 0; i < r.size(); i++) {
            if (r.amount(i) <= 0) {
                fail("%s at %d: entry %d has amount %d: %s", v, now, i, r.amount(i), r);
            }
            if (i > 0 && r.time(i) < r.time(i - 1)) {
                fail("%s at %d: list out of time order: %s", v, now, r);
            }
            sum += r.amount(i);
        }
        if (sum != ss.capacity()) {
            fail("%s at %d: amounts sum to %d, budget C = %d: %s", v, now, sum, ss.capacity(), r);
        }
        if (r.size() < 1 || r.size() > maxEntries) {
            fail("%s at %d: %d entries, allowed 1..%d: %s", v, now, r.size(), maxEntries, r);
        }
        if (ss.usage() < 0 || ss.usage() >= r.headAmount()) {
            fail("%s at %d: usage %d outside [0, head amount %d): %s", v, now, ss.usage(), r.headAmount(), r);
        }
    }

    // ---- 2. re-posting ----

    /**
     * Each consumed chunk is re-posted exactly one period after it became available. A post (now,
     * time, amount) names the chunk's activation a = time - T. Budget is consumed head first, so the
     * VCPU's execution, cycle by cycle, is charged to the posts in the order they are made: the k-th
     * post accounts for the next {@code amount} executed cycles. For each post this checks, from the
     * recorded slices alone:
     * <ul>
     *   <li>the amount is positive;</li>
     *   <li>the chunk's first cycle ran at or after a (it was available when used: a too-late
     *       activation, e.g. re-posting at now + T, fails here);</li>
     *   <li>its last cycle ended exactly at the post's now (the chunk is re-posted the moment it is
     *       used up or the VCPU blocks, not later);</li>
     *   <li>a is an instant a chunk can become available at: the VCPU's creation, a wake-up of the
     *       VCPU (unblock-check moves the head there), or the time of an earlier post;</li>
     *   <li>a is not before the wake-up w that began the busy period of the chunk's first cycle
     *       (unblock-check moves a released head to w, an unreleased one is later still, and the
     *       rest of the list is sorted after the head), and the chunk does not span a later wake-up
     *       (blocking re-posts what was used, split-check): an activation left stale across a
     *       sleep, which would hand the budget back too early, fails here;</li>
     *   <li>activations never go back in time from one post to the next (the head is always the
     *       earliest entry, and it only ever moves later).</li>
     * </ul>
     * And at every settled instant nothing is lost: cycles charged to the VCPU = cycles re-posted +
     * the usage still charged against the head.
     */
    @Property(tries = 120)
    void consumedChunksAreRepostedOnePeriodAfterTheyBecameAvailable(@ForAll("anySystem") SystemSpec spec) {
        Map<Vcpu, long[]> postedSoFar = new HashMap<>(); // {posts seen, their amount}
        SimRun run = SimRun.run(spec, SimRun.NO_STEP_CHECK, (r, now, until) -> {
            for (Vcpu v : r.vcpus()) {
                List<Post> ps = r.posts.get(v);
                long[] seen = postedSoFar.computeIfAbsent(v, x -> new long[2]);
                while (seen[0] < ps.size()) {
                    seen[1] += ps.get((int) seen[0]++).amount();
                }
                long usage = SimRun.server(v).usage();
                if (v.consumedCycles() != seen[1] + usage) {
                    fail("%s at %d: charged %d cycles but re-posted %d + usage %d", v, now, v.consumedCycles(), seen[1], usage);
                }
            }
        });
        for (Vcpu v : run.vcpus()) {
            checkPosts(run, v);
        }
    }

    private static void checkPosts(SimRun run, Vcpu v) {
        long period = v.server().period();
        Timeline exec = run.timeline(v);
        List<Post> posts = run.posts.get(v);
        List<Long> wakes = run.wakes.get(v);
        Set<Long> origins = new HashSet<>(); // creation, wake-ups and post times so far
        origins.add(0L);
        int nextWake = 0;
        long charged = 0; // executed cycles accounted for by earlier posts
        long lastActivation = Long.MIN_VALUE;
        for (int k = 0; k < posts.size(); k++) {
            Post p = posts.get(k);
            long a = p.time() - period;
            String what = v + " post #" + k + " " + p + " (activation " + a + ", T " + period + ")";
            while (nextWake < wakes.size() && wakes.get(nextWake) <= p.now()) {
                origins.add(wakes.get(nextWake++));
            }
            if (p.amount() <= 0) {
                fail("%s: amount not positive", what);
            }
            if (!origins.contains(a)) {
                fail("%s: activation is neither creation (0), a wake-up %s nor an earlier post time", what, wakes.subList(0, nextWake));
            }
            if (a < lastActivation) {
                fail("%s: activation went back in time from %d", what, lastActivation);
            }
            if (charged + p.amount() > exec.total()) {
                fail("%s: %d cycles re-posted in all, only %d executed", what, charged + p.amount(), exec.total());
            }
            long firstCycle = exec.cycleStart(charged);
            long lastCycleEnd = exec.reached(charged + p.amount());
            if (firstCycle < a) {
                fail("%s: its first cycle ran at %d, before the chunk became available", what, firstCycle);
            }
            if (lastCycleEnd != p.now()) {
                fail("%s: its last cycle ended at %d, not when it was re-posted", what, lastCycleEnd);
            }
            long busyFrom = lastAtOrBefore(wakes, firstCycle);
            if (a < busyFrom) {
                fail("%s: activation before the wake-up at %d that began the busy period of its first cycle (%d)", what, busyFrom, firstCycle);
            }
            if (lastAtOrBefore(wakes, lastCycleEnd - 1) != busyFrom) {
                fail("%s: the chunk's cycles [%d, %d) span a block and a wake-up", what, firstCycle, lastCycleEnd);
            }
            charged += p.amount();
            lastActivation = a;
            origins.add(p.time());
        }
    }

    /** The last of the sorted instants that is <= t (the VCPU is runnable when it runs, so one exists). */
    private static long lastAtOrBefore(List<Long> sorted, long t) {
        int i = Collections.binarySearch(sorted, t);
        int at = i >= 0 ? i : -i - 2;
        if (at < 0) {
            fail("execution at %d before the VCPU ever woke up %s", t, sorted);
        }
        return sorted.get(at);
    }

    // ---- 3. the bound from a fresh start ----

    /**
     * From any instant x at which the VCPU's whole budget is still ahead of it (no usage against the
     * head and every replenishment entry at a time >= x, e.g. at creation or at a wake-up after a long
     * sleep), it runs at most C in [x, x + T). Between two events the list does not change, so the
     * instants qualifying in [now, next event) form the interval [now, min(head time, next - 1)];
     * the execution in [x, x + T) is piecewise linear in x, so it is checked at both ends of that
     * interval and wherever x or x + T meets a slice boundary inside it.
     */
    @Property(tries = 120)
    void fromAnInstantWithTheWholeBudgetAheadAVcpuRunsAtMostItsBudgetInOnePeriod(@ForAll("anySystem") SystemSpec spec) {
        Map<Vcpu, List<long[]>> fresh = new HashMap<>();
        SimRun run = SimRun.run(spec, SimRun.NO_STEP_CHECK, (r, now, until) -> {
            for (Vcpu v : r.vcpus()) {
                SporadicServer ss = SimRun.server(v);
                ReplenishmentList list = ss.replenishments();
                long earliest = Long.MAX_VALUE;
                for (int i = 0; i < list.size(); i++) {
                    earliest = Math.min(earliest, list.time(i));
                }
                if (ss.usage() == 0 && earliest >= now) {
                    fresh.computeIfAbsent(v, x -> new ArrayList<>()).add(new long[] {now, Math.min(earliest, until - 1)});
                }
            }
        });
        for (Vcpu v : run.vcpus()) {
            long c = SimRun.server(v).capacity();
            long t = v.server().period();
            Timeline exec = run.timeline(v);
            List<long[]> intervals = fresh.getOrDefault(v, List.of());
            assertThat(intervals).as("%s: time 0 (creation) always has the whole budget ahead", v).isNotEmpty();
            for (long[] iv : intervals) {
                for (long x : candidates(exec, iv[0], iv[1], t)) {
                    long used = exec.usage(x, x + t);
                    if (used > c) {
                        fail("%s (C %d, T %d) had its whole budget ahead at %d but ran %d in [%d, %d)", v, c, t, x, used, x, x + t);
                    }
                }
            }
        }
    }

    /** The x in [lo, hi] where exec in [x, x + t) can be largest: the ends and the slice boundaries. */
    private static List<Long> candidates(Timeline exec, long lo, long hi, long t) {
        List<Long> xs = new ArrayList<>(List.of(lo, hi));
        for (int i = exec.firstStartAfter(lo); i < exec.size() && exec.start(i) < hi; i++) {
            xs.add(exec.start(i));
        }
        for (int i = exec.firstEndAfter(lo + t); i < exec.size() && exec.end(i) < hi + t; i++) {
            xs.add(exec.end(i) - t);
        }
        return xs;
    }
}
