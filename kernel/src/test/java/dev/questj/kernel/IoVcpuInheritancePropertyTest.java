package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.questj.kernel.IoSystemGen.DiskSpec;
import dev.questj.kernel.IoSystemGen.IoSystemSpec;
import dev.questj.kernel.IoSystemGen.IoTask;
import dev.questj.kernel.IoSystemGen.IoVcpuSpec;
import dev.questj.kernel.IoSystemGen.MainSpec;
import dev.questj.kernel.IoSystemGen.Mode;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Test;

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
     *       run's own bookkeeping), and when idle it holds no budget (blocking forfeits it);</li>
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
        check(spec);
    }

    /**
     * The same on systems where every device interrupts the PCPU of the I/O VCPU serving it, so no
     * bottom half is ever woken by IPI and the bug above cannot arise (requesters are still woken
     * across PCPUs, and devices of one I/O VCPU still interrupt at the same instants).
     */
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void withBottomHalvesWokenLocallyABusyIoVcpuRunsAtTheShortestPeriodSinceItWasLastIdle(@ForAll("anySystem") IoSystemSpec spec) {
        check(IoSystemGen.withLocalBottomHalfWakeups(spec));
    }

    /**
     * The smallest case of the bug (shrunk by jqwik from seed 3044304861773423888, then trimmed by
     * hand): io0 on PCPU 0 serves two disks, each with one client on PCPU 0: p0c0 (T 20) on dev0,
     * whose interrupt goes to PCPU 1, and p0c1 (T 21) on dev1, interrupting PCPU 0. Both requests
     * complete at 1. dev0's top half runs first: io0 inherits 20 and its bottom half is woken by an
     * IPI (delivered later in the instant). dev1's top half runs before that IPI: io0 is neither
     * running nor runnable yet, so {@code IoSystem.enqueue} passes idle = true and io0's period is
     * reset to 21, while p0c0's request (T 20) waits at the head of its queue. Section 3: an I/O
     * VCPU with work is busy, and inherits min(20, 21) = 20. Seen: it serves p0c0 at period 21.
     */
    @Test
    void aSecondInterruptBeforeTheIpiKeepsTheShorterPeriod() {
        IoSystemSpec spec = new IoSystemSpec(Mode.ANY, 2, List.of(true, true),
                List.of(new IoVcpuSpec("io0@p0", 0, 5, 20)),
                List.of(new MainSpec("p0c0", 0, 1, 20, new IoTask(0, "write", 1, 1, 0, -1, 0)),
                        new MainSpec("p0c1", 0, 1, 21, new IoTask(1, "write", 1, 1, 0, -1, 0))),
                List.of(new DiskSpec("dev0", 1, 0, new IoSystem.DriverCost(0, 0, 0), 0, 1_000_000),
                        new DiskSpec("dev1", 0, 0, new IoSystem.DriverCost(0, 0, 0), 0, 1_000_000)),
                100);
        IoSimRun run = IoSimRun.run(spec);
        Vcpu io0 = run.ioVcpus.getFirst();
        IoSimRun.ServedSlice first = run.servedSlices.getFirst();
        assertThat(first.served().name()).isEqualTo("p0c0");
        assertThat(first.start()).isEqualTo(1);
        assertThat(((PibsServer) io0.server()).periodsSeen()).as("periods io0 inherited").containsExactly(20L);
    }

    static void check(IoSystemSpec spec) {
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
            if (!busy && pibs.budget() != 0) {
                fail("at %d %s is idle but holds budget %d (section 3: blocking forfeits the budget): %s", now, v, pibs.budget(), pibs);
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
