package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.questj.kernel.IoSystemGen.IoSystemSpec;
import dev.questj.kernel.IoSystemGen.Mode;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Section 3's priority inheritance, against the run's own record of the requests enqueued to each
 * I/O VCPU ({@link IoSimRun}): on every interrupt an I/O VCPU inherits the period of the Main VCPU
 * whose thread the request is for, taking the minimum while it is busy and starting afresh when it
 * was idle.
 */
class IoVcpuInheritancePropertyTest {

    @Provide
    Arbitrary<IoSystemSpec> anySystem() {
        return IoSystemGen.systems(Mode.ANY, true);
    }

    /**
     * At every settled instant, for each PIBS I/O VCPU:
     * <ul>
     *   <li>it is runnable exactly when it has work (requests enqueued since it was last idle, by the
     *       run's own bookkeeping);</li>
     *   <li>when busy, its period is the shortest period of the Main VCPUs whose requests were enqueued
     *       to it since it was last idle;</li>
     *   <li>while its bottom half serves a request of a thread on a Main VCPU of period T, its period
     *       is at most T.</li>
     * </ul>
     * At the end, the periods it inherited ({@link PibsServer#periodsSeen()}) are exactly the periods
     * that rule prescribed after each enqueue: all of them periods of Main VCPUs that issued I/O to
     * it; and {@link PibsServer#longestPeriod()} is the longest of them.
     */
    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void aBusyIoVcpuRunsAtTheShortestPeriodOfTheRequestersSinceItWasLastIdle(@ForAll("anySystem") IoSystemSpec spec) {
        IoSimRun run = IoSimRun.run(spec, IoSimRun.NO_STEP_CHECK, IoVcpuInheritancePropertyTest::checkInheritance);
        assertThat(run.anomalies).as("bookkeeping anomalies").isEmpty();
        for (Vcpu v : run.ioVcpus) {
            PibsServer pibs = (PibsServer) v.server();
            TreeSet<Long> prescribed = run.prescribedPeriods.get(v);
            assertThat(pibs.periodsSeen()).as("%s: periods inherited vs prescribed by the enqueues %s", v, enqueuesTo(run, v))
                    .containsExactlyElementsOf(prescribed);
            assertThat(pibs.longestPeriod()).as("%s: longest period", v).isEqualTo(prescribed.isEmpty() ? 0 : prescribed.last());
        }
    }

    static void checkInheritance(IoSimRun run, long now, long until) {
        for (Vcpu v : run.ioVcpus) {
            PibsServer pibs = (PibsServer) v.server();
            List<KThread> requesters = run.busyRequesters.get(v);
            boolean busy = !requesters.isEmpty();
            if (v.isRunnable() != busy) {
                fail("at %d %s is %s, but by the enqueues it is %s (requesters since idle: %s; bottom half %s)", now, v,
                        v.isRunnable() ? "runnable" : "not runnable", busy ? "busy" : "idle", requesters, run.bottomHalf(v).state());
            }
            if (busy && pibs.period() != run.prescribedPeriod(v)) {
                fail("at %d %s runs at period %d, but the requesters enqueued since it was last idle are %s, with periods %s (minimum %d); enqueues: %s",
                        now, v, pibs.period(), requesters, requesters.stream().map(t -> t.vcpu().server().period()).toList(),
                        run.prescribedPeriod(v), recentEnqueues(run, v, now));
            }
            KThread served = run.bottomHalf(v).serving();
            if (served != null && pibs.period() > served.vcpu().server().period()) {
                fail("at %d %s serves a request of %s (T %d) at period %d", now, v, served, served.vcpu().server().period(), pibs.period());
            }
        }
    }

    private static List<IoSimRun.Enqueue> enqueuesTo(IoSimRun run, Vcpu v) {
        return run.enqueues.stream().filter(e -> e.io() == v).limit(20).toList();
    }

    private static List<IoSimRun.Enqueue> recentEnqueues(IoSimRun run, Vcpu v, long now) {
        List<IoSimRun.Enqueue> es = run.enqueues.stream().filter(e -> e.io() == v && e.time() <= now).toList();
        return es.subList(Math.max(0, es.size() - 6), es.size());
    }
}
