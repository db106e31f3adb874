package dev.questj.kernel;

import dev.questj.machine.Pcpu;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The per-PCPU scheduler of QUEST-ALGORITHMS.md section 1: VCPUs bound to this PCPU, chosen by static
 * rate-monotonic priority among those with budget, each charged for the time it ran.
 *
 * <p>A pass ({@link #schedule}) (1) charges the running VCPU for the interval since the last pass
 * (end-of-timeslice), (2) picks the highest-priority runnable VCPU whose budget is non-zero after
 * update-budget, (3) arms the one-shot timer for the earliest of its budget running out, its thread's
 * computation ending, its thread's quantum ending (when another thread waits in the VCPU) and the
 * next replenishment of any higher-priority runnable VCPU, (4) switches. With no VCPU to run it idles
 * until the next replenishment of a runnable VCPU.
 *
 * <p>Runnable VCPUs are kept in a bit set indexed by priority rank, so picking scans only the
 * higher-priority VCPUs that are runnable but out of budget (whose replenishment instants the timer
 * needs anyway).
 */
final class PcpuScheduler implements Pcpu.Handler {
    private final Kernel kernel;
    private final Pcpu pcpu;
    private final long quantum;
    private final OverheadModel overheads;
    private final List<Vcpu> vcpus = new ArrayList<>();
    private Vcpu[] byRank = new Vcpu[0];
    private long[] runnable = new long[1];
    private final ArrayDeque<KThread> ipiWakeups = new ArrayDeque<>();

    /** The VCPU running now, or null when idle. */
    private Vcpu current;
    /** When the running VCPU was last charged (the last pass). */
    private long lastCharge;
    /** Kernel cycles still to burn before the running thread makes progress. */
    private long pendingOverhead;
    /** Whether the timer was armed by a request (a wake-up) rather than as a real expiry. */
    private boolean requested;
    /** Inside {@link #schedule}: a wake-up of this PCPU's thread from within the pass must defer. */
    private boolean inPass;
    /** Earliest replenishment among the higher-priority runnable VCPUs skipped by the last pick. */
    private long skippedNextEvent;

    // The open execution slice.
    private Vcpu sliceVcpu;
    private KThread sliceThread;
    /** For a bottom half: whose request the open slice serves. */
    private KThread sliceServed;
    private long sliceStart;

    private long passes;
    private long contextSwitches;
    /**
     * Stopped by a fault (a hung driver spinning here, a halted kernel): no pass, no timer, no
     * interrupt handling until {@link #restart}.
     */
    private boolean halted;

    PcpuScheduler(Kernel kernel, Pcpu pcpu, long quantum, OverheadModel overheads) {
        this.kernel = kernel;
        this.pcpu = pcpu;
        this.quantum = quantum;
        this.overheads = overheads;
        pcpu.setHandler(this);
    }

    int id() {
        return pcpu.id();
    }

    Pcpu pcpu() {
        return pcpu;
    }

    List<Vcpu> vcpus() {
        return vcpus;
    }

    Vcpu current() {
        return current;
    }

    long passes() {
        return passes;
    }

    long contextSwitches() {
        return contextSwitches;
    }

    /** Binds {@code v} here and re-ranks. */
    void add(Vcpu v) {
        v.pcpu = this;
        vcpus.add(v);
        reprioritise();
    }

    /** Re-ranks the VCPUs after a priority change (an I/O VCPU inheriting a period). */
    void reprioritise() {
        Vcpu[] ranked = vcpus.toArray(new Vcpu[0]);
        Arrays.sort(ranked, Comparator.comparingLong((Vcpu x) -> x.server().period()).thenComparingInt(Vcpu::index));
        long[] bits = new long[(ranked.length + 63) >>> 6];
        for (int r = 0; r < ranked.length; r++) {
            ranked[r].rank = r;
            if (ranked[r].isRunnable()) {
                bits[r >>> 6] |= 1L << r;
            }
        }
        byRank = ranked;
        runnable = bits;
    }

    private void markRunnable(Vcpu v) {
        runnable[v.rank >>> 6] |= 1L << v.rank;
    }

    private void markBlocked(Vcpu v) {
        runnable[v.rank >>> 6] &= ~(1L << v.rank);
    }

    // ---- interrupts ----

    @Override
    public void onTimer(long now) {
        if (halted) {
            return;
        }
        long cost = requested ? 0 : overheads.timerInterrupt();
        requested = false;
        schedule(now, cost);
    }

    @Override
    public void onInterrupt(long now, dev.questj.machine.Device device) {
        if (halted) {
            return; // nobody handles it: the device's completions wait (a NIC's ring fills and drops)
        }
        addOverhead(now, kernel.interrupt(device, pcpu.id(), now));
    }

    @Override
    public void onIpi(long now) {
        if (halted) {
            ipiWakeups.clear();
            return;
        }
        addOverhead(now, overheads.ipi());
        while (!ipiWakeups.isEmpty()) {
            makeRunnable(ipiWakeups.pollFirst(), now);
        }
    }

    void chargeOverhead(long now, long cost) {
        addOverhead(now, cost);
    }

    /**
     * Kernel work of {@code cost} cycles starts at {@code now}. On an idle PCPU the idle time before
     * now first burns what was pending, so the new cost delays whatever runs after it.
     */
    private void addOverhead(long now, long cost) {
        if (current == null) {
            pendingOverhead = Math.max(0, pendingOverhead - (now - lastCharge));
            lastCharge = now;
        }
        pendingOverhead += cost;
    }

    /** A thread of this PCPU was made runnable by another PCPU: deliver it by IPI. */
    void wakeByIpi(KThread t) {
        ipiWakeups.addLast(t);
        pcpu.raiseIpi(overheads.ipi());
    }

    /**
     * Runs a scheduling pass at {@code now}, after every other arrival of the instant: at once when
     * no other event of this instant is left (the same state a deferred pass would see, one event
     * fewer), else deferred to this PCPU's timer, which fires after the instant's arrivals.
     */
    void requestSchedule(long now) {
        if (halted) {
            return;
        }
        if (!inPass && kernel.noMoreEventsAt(now)) {
            pcpu.cancelTimer();
            requested = false;
            schedule(now);
            return;
        }
        requested = true;
        pcpu.armTimer(now);
    }

    // ---- wake-up (section 1) ----

    /** {@code t} has computation to do: enqueue it in its VCPU, the VCPU here, preempt if it should. */
    void makeRunnable(KThread t, long now) {
        Vcpu v = t.vcpu();
        t.state = KThread.State.READY;
        t.quantumLeft = quantum;
        boolean vcpuWasBlocked = !v.isRunnable() && v != current;
        if (v.fair != null) {
            v.fair.enqueue(v.runQueue, t, v == current);
        } else {
            v.runQueue.addLast(t);
        }
        if (halted) {
            return; // queued; nothing runs here until a restart clears it
        }
        if (v == current) {
            if (v.runQueue.size() == 2) {
                KThread head = v.runQueue.peekFirst();
                pcpu.armTimerNoLaterThan(Math.max(now, lastCharge + head.quantumLeft));
            }
            return;
        }
        if (vcpuWasBlocked) {
            v.server().unblock(now);
            markRunnable(v);
        }
        considerPreemption(v, now);
    }

    /**
     * {@code v} is runnable and not running: preempt if it has budget and outranks the running VCPU
     * (or the PCPU idles); if it outranks it without budget, make sure the timer fires when its
     * budget returns.
     */
    private void considerPreemption(Vcpu v, long now) {
        v.server().updateBudget(now);
        if (current == null || v.hasHigherPriorityThan(current)) {
            if (v.server().budget() > 0) {
                requestSchedule(now);
            } else {
                long next = v.server().nextEvent(now);
                if (next != Long.MAX_VALUE) {
                    pcpu.armTimerNoLaterThan(next);
                }
            }
        }
    }

    /**
     * {@code v}'s priority changed (an I/O VCPU inherited a shorter period): re-rank, and if it now
     * outranks the running VCPU while runnable, preempt as a wake-up would.
     */
    void priorityChanged(Vcpu v, long now) {
        reprioritise();
        if (!halted && v != current && v.isRunnable()) {
            considerPreemption(v, now);
        }
    }

    // ---- the pass ----

    void schedule(long now) {
        schedule(now, 0);
    }

    /**
     * A pass; {@code interruptCost} is the cost of the interrupt that triggered it. It is added only
     * after the running thread was charged up to now: the interrupt happens at the end of that
     * interval, so it delays what runs next, never the progress already made (charging it before
     * would let every timer expiry eat the progress it was armed for).
     */
    void schedule(long now, long interruptCost) {
        if (halted) {
            return;
        }
        inPass = true;
        passes++;
        if (current != null) {
            charge(current, now);
        } else {
            pendingOverhead = Math.max(0, pendingOverhead - (now - lastCharge));
        }
        lastCharge = now;
        pendingOverhead += interruptCost + overheads.schedule();
        Vcpu next = pick(now);
        KThread thread = next == null ? null : next.runQueue.peekFirst();
        if (thread != sliceThread || (thread != null && thread.serving != sliceServed)) {
            switchTo(next, thread, now);
        }
        current = next;
        armTimer(now, next, thread);
        if (kernel.checking()) {
            checkInvariants(now);
        }
        inPass = false;
    }

    /** end-of-timeslice for {@code v}: its thread progresses, may finish its computation or its quantum. */
    private void charge(Vcpu v, long now) {
        long delta = now - lastCharge;
        long burnt = Math.min(pendingOverhead, delta);
        pendingOverhead -= burnt;
        long progress = delta - burnt;
        v.consumed += delta;
        KThread t = v.runQueue.peekFirst();
        t.remaining -= progress;
        t.addCpu(progress);
        t.quantumLeft -= delta;
        if (v.fair != null) {
            v.fair.charged(v.runQueue, t, delta);
        }
        if (t.remaining < 0) {
            throw new IllegalStateException("thread " + t + " ran " + (-t.remaining) + " cycles past its computation");
        }
        boolean stillRunnable = t.remaining > 0 || kernel.advance(t, now);
        if (!stillRunnable) {
            v.runQueue.pollFirst();
        } else if (t.quantumLeft <= 0) {
            endQuantum(v, t);
        }
        boolean blocked = !v.isRunnable();
        v.server().endOfTimeslice(now, delta, blocked);
        if (blocked) {
            markBlocked(v);
        } else if (v.server().budget() == 0) {
            kernel.watch().budgetExhausted(v, now);
        }
    }

    /** Round robin inside the VCPU: the thread goes to the back with a fresh quantum. */
    private void endQuantum(Vcpu v, KThread t) {
        if (v.fair != null) {
            v.fair.sliceEnded(v.runQueue, t);
            return;
        }
        t.quantumLeft = quantum;
        if (v.runQueue.size() > 1) {
            v.runQueue.pollFirst();
            v.runQueue.addLast(t);
        }
    }

    /** The highest-priority runnable VCPU with budget, noting the replenishments of those skipped. */
    private Vcpu pick(long now) {
        long skipped = Long.MAX_VALUE;
        for (int w = 0; w < runnable.length; w++) {
            long bits = runnable[w];
            while (bits != 0) {
                int r = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                Vcpu v = byRank[r];
                BudgetServer s = v.server();
                s.updateBudget(now);
                if (s.budget() > 0) {
                    skippedNextEvent = skipped;
                    return v;
                }
                skipped = Math.min(skipped, s.nextEvent(now));
            }
        }
        skippedNextEvent = skipped;
        return null;
    }

    private void armTimer(long now, Vcpu next, KThread thread) {
        long at = skippedNextEvent;
        if (next != null) {
            at = Math.min(at, now + next.server().budget());
            at = Math.min(at, now + pendingOverhead + thread.remaining);
            if (next.runQueue.size() > 1) {
                at = Math.min(at, now + thread.quantumLeft);
            }
        }
        if (at == Long.MAX_VALUE) {
            pcpu.cancelTimer();
        } else {
            pcpu.armTimer(at);
        }
    }

    private void switchTo(Vcpu next, KThread thread, long now) {
        closeSlice(now);
        if (thread != null) {
            pendingOverhead += overheads.contextSwitch();
            contextSwitches++;
        }
        sliceVcpu = next;
        sliceThread = thread;
        sliceServed = thread == null ? null : thread.serving;
        sliceStart = now;
        if (thread != null) {
            kernel.sink().sliceStart(pcpu.id(), next, thread, now, next.server().budget());
        }
    }

    private void closeSlice(long now) {
        if (sliceThread != null && now > sliceStart) {
            sliceVcpu.windowUsage().add(sliceStart, now);
            if (sliceServed != null) {
                kernel.sink().slice(pcpu.id(), sliceVcpu, sliceThread, sliceServed, sliceStart, now);
            } else {
                kernel.sink().slice(pcpu.id(), sliceVcpu, sliceThread, sliceStart, now);
            }
        }
    }

    boolean halted() {
        return halted;
    }

    /**
     * Stops this PCPU at {@code now} (a fault): the open slice is accounted and closed, the timer
     * disarmed; from now on it runs nothing and ignores its timer, IPIs and interrupts.
     */
    void halt(long now) {
        if (halted) {
            return;
        }
        finish(now);
        halted = true;
        ipiWakeups.clear();
        pendingOverhead = 0;
        requested = false;
    }

    /**
     * A recovered kernel starts this PCPU again at {@code now}: every VCPU empty with a fresh
     * server (full budget, no history), nothing running.
     */
    void restart(long now) {
        halted = false;
        current = null;
        sliceThread = null;
        sliceVcpu = null;
        sliceServed = null;
        lastCharge = now;
        pendingOverhead = 0;
        requested = false;
        ipiWakeups.clear();
        pcpu.cancelTimer();
        for (Vcpu v : vcpus) {
            v.runQueue.clear();
            v.restartServer(now);
            if (v.fair != null) {
                v.fair.restart();
            }
        }
        reprioritise();
    }

    /** The run ends at {@code end}: account the open slice without asking any guest for more. */
    void finish(long end) {
        if (halted) {
            return;
        }
        if (current != null) {
            long delta = end - lastCharge;
            current.consumed += delta;
            long progress = Math.max(0, delta - pendingOverhead);
            KThread t = current.runQueue.peekFirst();
            t.addCpu(progress);
            t.remaining -= progress;
        }
        closeSlice(end);
        sliceThread = null;
        current = null;
        pcpu.cancelTimer();
    }

    /** The scheduler's invariants at the end of a pass (for --check-invariants and the tests). */
    private void checkInvariants(long now) {
        for (Vcpu v : byRank) {
            if (v.server() instanceof SporadicServer ss) {
                ss.checkInvariants();
            }
            boolean bit = (runnable[v.rank >>> 6] & (1L << v.rank)) != 0;
            if (bit != v.isRunnable()) {
                throw new IllegalStateException("runnable set out of step for VCPU " + v + " on " + pcpu);
            }
            if (v == current) {
                break;
            }
            if (v.isRunnable() && v.server().budget() > 0) {
                throw new IllegalStateException("VCPU " + v + " has budget and work but " + (current == null ? "the PCPU idles" : current + " runs") + " on " + pcpu + " at " + now);
            }
        }
    }
}
