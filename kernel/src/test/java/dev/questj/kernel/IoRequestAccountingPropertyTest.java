package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.kernel.IoSimRun.CheckedGuest;
import dev.questj.kernel.IoSystemGen.IoSystemSpec;
import dev.questj.kernel.IoSystemGen.IoTask;
import dev.questj.kernel.IoSystemGen.MainSpec;
import dev.questj.kernel.IoSystemGen.Mode;
import dev.questj.kernel.IoSystemGen.NicSpec;
import dev.questj.kernel.IoSystemGen.RxTask;
import dev.questj.machine.Device;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Nothing on the I/O path is lost or doubled: every request is answered exactly once, by waking the
 * thread that issued it, while it is blocked on it; every packet a NIC was handed is accounted for.
 * Checked on any system (overloaded, floods, top halves with costs, I/O VCPUs as PIBS or as
 * sporadic servers) against the run's own instruments ({@link IoSimRun.CheckedGuest},
 * {@link IoSimRun.CountingSource}, the enqueue record), not against the kernel's bookkeeping alone.
 */
class IoRequestAccountingPropertyTest {

    @Provide
    Arbitrary<IoSystemSpec> anySystem() {
        return IoSystemGen.systems(Mode.ANY, true);
    }

    @Provide
    Arbitrary<IoSystemSpec> sporadicSystem() {
        return IoSystemGen.systems(Mode.SPORADIC, true);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void everyRequestIsAnsweredOnceAndEveryPacketIsAccountedFor(@ForAll("anySystem") IoSystemSpec spec) {
        run(spec);
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void withSporadicServerIoVcpusToo(@ForAll("sporadicSystem") IoSystemSpec spec) {
        run(spec);
    }

    /** Runs with the checks made along the way ({@link RingAndQueueCheck}), then the final accounting ({@link #check}). */
    static void run(IoSystemSpec spec) {
        RingAndQueueCheck along = new RingAndQueueCheck();
        IoSimRun run = IoSimRun.run(spec, along::afterStep, along::settled);
        assertThat(along.violations).as("NIC rings and run queues").isEmpty();
        check(run);
    }

    /**
     * Along the run:
     * <ul>
     *   <li>a NIC's ring slots in use are the packets it took that its driver has not let go of yet:
     *       taken - completions with a receiver (a slot frees when the bottom half is done), taken -
     *       unclaimed without one (freed by the top half); after every event they are at most the ring's
     *       size, and a packet is dropped at the ring only when all slots were in use;</li>
     *   <li>at every settled instant a READY thread (guest or bottom half) is queued in its VCPU, and
     *       every thread queued in a VCPU is READY: a wake-up, local or by IPI, is never lost.</li>
     * </ul>
     */
    static final class RingAndQueueCheck {
        final List<String> violations = new ArrayList<>();
        private long[] lastDropped;
        private long[] lastInUse;

        void afterStep(IoSimRun run, long now) {
            int nd = run.devices.size();
            if (lastDropped == null) {
                lastDropped = new long[nd];
                lastInUse = new long[nd];
            }
            for (int d = 0; d < nd; d++) {
                if (!(run.spec.devices().get(d) instanceof NicSpec nic) || violations.size() > 5) {
                    continue;
                }
                Device dev = run.devices.get(d);
                IoSystem.Driver drv = run.driver(d);
                long taken = dev.bytes() / nic.traffic().size();
                long inUse = taken - (run.clients.get(d) == null ? drv.unclaimed() : drv.completions());
                if (inUse < 0 || inUse > nic.ring()) {
                    violations.add("at " + now + " " + dev + " has " + inUse + " of its " + nic.ring() + " ring slots in use");
                }
                if (dev.dropped() > lastDropped[d] && lastInUse[d] < nic.ring()) {
                    violations.add("at " + now + " " + dev + " dropped a packet with " + lastInUse[d] + " of its " + nic.ring() + " ring slots in use");
                }
                lastDropped[d] = dev.dropped();
                lastInUse[d] = inUse;
            }
        }

        void settled(IoSimRun run, long now, long until) {
            if (violations.size() > 5) {
                return;
            }
            List<KThread> all = new ArrayList<>(run.threads);
            all.addAll(run.kernel.internalThreads());
            for (KThread t : all) {
                if (t.state() == KThread.State.READY && !t.vcpu().runQueue.contains(t)) {
                    violations.add("at " + now + " " + t + " is READY but not queued in " + t.vcpu());
                }
            }
            for (Vcpu v : run.kernel.vcpus()) {
                for (KThread t : v.runQueue) {
                    if (t.state() != KThread.State.READY) {
                        violations.add("at " + now + " " + t + " is queued in " + v + " but " + t.state());
                    }
                }
            }
        }
    }

    /**
     * <ul>
     *   <li>Every thread: whenever the kernel asks its guest for the next action, the previous one is
     *       over, and in the state it should be: a computation got exactly its cycles (READY), a sleep
     *       reached its time (SLEEPING), an I/O is answered only while the thread is BLOCKED on it and
     *       with its own request (lastIoStart = when it issued it), a packet is taken only when the
     *       thread was woken while blocked on the port or at once from the port's buffer, in arrival
     *       order, never twice, and only packets the NIC was handed.</li>
     *   <li>IoBound thread on device D (its only client): io() calls = D.requests(); answers (wake-ups
     *       after an io) = completions of D's driver; calls = answers + (1 if it is blocked on an io at
     *       the end); D.requests() = completions + that one in flight.</li>
     *   <li>NIC: packets handed to it and due by the end = dropped at the ring ({@link Device#dropped()})
     *       + taken into the ring (its bytes / packet size). Of those taken: with no receiver, all are
     *       unclaimed ({@link IoSystem.Driver#unclaimed()}) and none reaches a bottom half; with one,
     *       completions + still queued for the bottom half, and completions = taken by the receiver +
     *       buffered in its port + unclaimed (port overflow), where the buffer holds 0..256 and is empty
     *       if the receiver is blocked on the port at the end.</li>
     *   <li>Per I/O VCPU: the transfers its clients' devices completed but its driver did not finish
     *       add up to the bottom half's queue (plus the one in service) read from the kernel; and the
     *       run's own enqueue record counts exactly the transfers each device completed for a client.</li>
     * </ul>
     */
    static void check(IoSimRun run) {
        IoSystemSpec spec = run.spec;
        List<String> violations = new ArrayList<>();
        for (CheckedGuest g : run.guests) {
            violations.addAll(g.violations);
        }
        assertThat(violations).as("actions out of turn").isEmpty();
        assertThat(run.anomalies).as("bookkeeping anomalies").isEmpty();
        assertThat(run.kernel.guestFaults()).as("guest faults").isZero();

        long[] unfinished = new long[run.ioVcpus.size()];
        for (int i = 0; i < spec.mains().size(); i++) {
            MainSpec m = spec.mains().get(i);
            KThread t = run.threads.get(i);
            CheckedGuest g = run.guests.get(i);
            switch (m.task()) {
                case IoTask task -> {
                    Device dev = run.devices.get(task.device());
                    IoSystem.Driver drv = run.driver(task.device());
                    long inFlight = g.last == CheckedGuest.Act.IO ? 1 : 0;
                    assertThat(inFlight == 0 || t.state() == KThread.State.BLOCKED).as("%s: blocked on its last io", t).isTrue();
                    assertThat(g.ioCalls).as("%s: io() calls vs %s requests", t, dev).isEqualTo(dev.requests());
                    assertThat(g.ioAnswers).as("%s: answers vs %s completions", t, dev).isEqualTo(drv.completions());
                    assertThat(g.ioCalls).as("%s: io() calls vs answers + in flight", t).isEqualTo(g.ioAnswers + inFlight);
                    assertThat(dev.requests()).as("%s: requests vs completions + in flight", dev).isEqualTo(drv.completions() + inFlight);
                    assertThat(drv.unclaimed()).as("%s: unclaimed", dev).isZero();
                    long completedByDevice = dev.bytes() / task.bytes();
                    assertThat(completedByDevice - drv.completions()).as("%s: completed by the device, not by the driver", dev).isBetween(0L, inFlight);
                    unfinished[run.servingIo[task.device()]] += completedByDevice - drv.completions();
                    assertThat(enqueued(run, t)).as("%s: enqueues recorded", t).isEqualTo(completedByDevice);
                }
                case RxTask task -> {
                    IoSystem.Driver drv = run.driver(task.device());
                    long taken = run.devices.get(task.device()).bytes() / ((NicSpec) spec.devices().get(task.device())).traffic().size();
                    long buffered = drv.completions() - g.packetsTaken - drv.unclaimed();
                    assertThat(buffered).as("%s: completions %d - taken %d - unclaimed %d = buffered in the port", t, drv.completions(),
                            g.packetsTaken, drv.unclaimed()).isBetween(0L, (long) IoSystem.PORT_BUFFER);
                    if (g.last == CheckedGuest.Act.RECEIVE && t.state() == KThread.State.BLOCKED) {
                        assertThat(buffered).as("%s: blocked on its port, yet packets buffered", t).isZero();
                    }
                    assertThat(taken - drv.completions()).as("%s: taken into the ring, not finished by the driver", t).isNotNegative();
                    unfinished[run.servingIo[task.device()]] += taken - drv.completions();
                    assertThat(enqueued(run, t)).as("%s: enqueues recorded", t).isEqualTo(taken);
                }
                default -> assertThat(g.ioCalls + g.receiveCalls).as("%s: a periodic thread does no I/O", t).isZero();
            }
        }
        for (int d = 0; d < spec.devices().size(); d++) {
            if (spec.devices().get(d) instanceof NicSpec nic) {
                Device dev = run.devices.get(d);
                IoSystem.Driver drv = run.driver(d);
                long arrived = run.sources.get(d).arrivedBy(spec.horizon());
                long taken = dev.bytes() / nic.traffic().size();
                assertThat(dev.bytes() % nic.traffic().size()).isZero();
                assertThat(arrived).as("%s: packets handed to it vs dropped %d + taken %d", dev, dev.dropped(), taken)
                        .isEqualTo(dev.dropped() + taken);
                assertThat(dev.requests()).as("%s: requests", dev).isZero();
                if (run.clients.get(d) == null) {
                    assertThat(drv.unclaimed()).as("%s: no receiver, so every packet taken is unclaimed", dev).isEqualTo(taken);
                    assertThat(drv.completions()).as("%s: no receiver, yet bottom-half work", dev).isZero();
                }
            }
        }
        for (int j = 0; j < run.ioVcpus.size(); j++) {
            Vcpu v = run.ioVcpus.get(j);
            assertThat(run.bottomHalfBacklog(v)).as("%s: bottom-half backlog vs transfers completed, not finished", v).isEqualTo(unfinished[j]);
        }
    }

    private static long enqueued(IoSimRun run, KThread t) {
        return run.enqueues.stream().filter(e -> e.requester() == t).mapToLong(IoSimRun.Enqueue::items).sum();
    }
}
