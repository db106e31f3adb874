package dev.questj.vmm;

import dev.questj.guest.GuestContext;
import dev.questj.kernel.KThread;
import dev.questj.kernel.Kernel;
import dev.questj.kernel.MigrationThread;
import dev.questj.kernel.Migrator;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.SporadicServer;
import dev.questj.kernel.Vcpu;
import dev.questj.kernel.VcpuState;
import dev.questj.machine.PhysicalMemory;
import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Address-space migration between Quest-V sandboxes (QUEST-ALGORITHMS.md section 5; docs/DESIGN.md
 * "Migration"). A request names a thread and a destination sandbox. The thread is taken at its next
 * job boundary (its job done, asleep until its next release); there the admission test is run with
 * E_s = the time to that release. Refused: the thread stays and keeps running, and the refusal names
 * the numbers. Admitted: the source kernel exports the thread's VCPU state (in its local clock) by a
 * hypercall, the destination's migration thread copies the address space page by page within its own
 * budget, and when it is done the destination imports the state (shifted into its own clock) into an
 * unused Main VCPU of the same budget and period, and the thread wakes there at its next release.
 *
 * <p>A thread can also ask for itself ({@link GuestContext#migrate}, through {@link Migrator}): its
 * call, made between jobs, is its job boundary, so the admission test is run at once with E_s = the
 * resume time it gives - now, and it learns the outcome in its lastStatus when it wakes.
 */
public final class Migration implements Migrator {
    /** Where log lines go: time, who, message. */
    @FunctionalInterface
    public interface Log {
        void line(long time, String who, String message);
    }

    /** What became of one request. Times in cycles; -1 where it did not happen. */
    public record Outcome(String thread, String from, String to, long requested, long started, long finished,
            long pages, long copyCycles, long migrationBudget, long migrationPeriod, long bound, long available,
            String outcome, String reason, long deadlineMissesDuring, String requestedBy) {
        public long durationCycles() {
            return started < 0 || finished < 0 ? -1 : finished - started;
        }

        public boolean done() {
            return outcome.equals(DONE);
        }
    }

    public static final String DONE = "done";
    public static final String REFUSED = "refused";
    /** Still waiting for a job boundary when the run ended. */
    public static final String WAITING = "waiting";
    /** Still copying when the run ended. */
    public static final String COPYING = "copying";
    /** Given up during its copy: the source or the destination failed (the thread stays in the source). */
    public static final String ABORTED = "aborted";
    /** Requested after the run's end. */
    public static final String NOT_REQUESTED = "not-requested";

    /** Who asked: the description's {@code migrations}. */
    public static final String BY_CONFIG = "config";
    /** Who asked: {@code quest run --migrate}. */
    public static final String BY_COMMAND_LINE = "command-line";
    /** Who asked: the thread itself ({@link GuestContext#migrate}). */
    public static final String BY_GUEST = "guest";

    /** A request as it goes. */
    private final class Request {
        final KThread thread;
        final Sandbox to;
        final long at;
        final String by;
        Sandbox from;
        long requested = -1;
        long started = -1;
        long finished = -1;
        long pages;
        long delta;
        long cm;
        long tm;
        long bound = -1;
        long available = -1;
        String outcome = NOT_REQUESTED;
        String reason = "";
        long missesAtStart;
        long missesDuring;
        boolean settled;
        /** When the suspended thread was due to wake in the source (for an abort). */
        long resume = -1;

        Request(KThread thread, Sandbox to, long at, String by) {
            this.thread = thread;
            this.to = to;
            this.at = at;
            this.by = by;
        }

        boolean byGuest() {
            return by.equals(BY_GUEST);
        }
    }

    private final QuestV vmm;
    private final ScheduleSink sink;
    private final Log log;
    private final Map<Sandbox, MigrationThread> movers = new IdentityHashMap<>();
    private final Map<Sandbox, Long> clockOffsets = new IdentityHashMap<>();
    private final Map<KThread, Long> memory = new IdentityHashMap<>();
    private final Map<KThread, Request> active = new IdentityHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final long defaultMemory;

    /** @param defaultMemoryBytes a thread's address space unless {@link #setMemory} says otherwise */
    public Migration(QuestV vmm, ScheduleSink sink, Log log, long defaultMemoryBytes) {
        this.vmm = vmm;
        this.sink = sink;
        this.log = log;
        this.defaultMemory = defaultMemoryBytes;
        vmm.faults().onFailure(this::sandboxFailed);
    }

    /**
     * Sandbox {@code s} failed (its kernel stopped): a request waiting for a job boundary in it or
     * towards it is refused; a copy to or from it is aborted. The thread stays in its source: woken
     * there at its release if the destination failed, restarted by the source's recovery if the
     * source did. Requests are looked at in the order they were made.
     */
    private void sandboxFailed(Sandbox s, long now) {
        MigrationThread own = movers.get(s);
        if (own != null) {
            own.abortAll();
        }
        for (Request r : requests) {
            if (active.get(r.thread) != r || (r.from != s && r.to != s)) {
                continue;
            }
            String why = "sandbox " + s.name() + " failed";
            if (r.outcome.equals(WAITING)) {
                refuse(r, now, why);
                continue;
            }
            if (!r.outcome.equals(COPYING)) {
                continue;
            }
            MigrationThread mover = movers.get(r.to);
            if (mover != null && r.to != s) {
                mover.cancel(r);
            }
            r.outcome = ABORTED;
            r.reason = why + " during the copy";
            active.remove(r.thread);
            if (r.byGuest()) {
                r.thread.setLastStatus(GuestContext.STATUS_REFUSED);
            }
            if (r.from != s) {
                r.from.kernel().resumeAfterAbortedMigration(r.thread, r.resume);
            }
            settle(r);
            String detail = r.thread.name() + " " + r.from.name() + " -> " + r.to.name() + ": " + r.reason;
            sink.event(now, r.from.cores().getFirst(), "migrate-aborted", null, r.thread, detail);
            log.line(now, r.thread.name(), "migration aborted: " + detail);
        }
    }

    /** Sandbox {@code s}'s local clock reads {@code offset} cycles more than the simulator's (TSCs are not synchronised). */
    public void setClockOffset(Sandbox s, long offset) {
        clockOffsets.put(s, offset);
    }

    public long clockOffset(Sandbox s) {
        return clockOffsets.getOrDefault(s, 0L);
    }

    /** Sandbox {@code s} receives migrations through {@code mover}, a thread of its kernel. */
    public void addMigrationThread(Sandbox s, MigrationThread mover) {
        movers.put(s, mover);
    }

    public void setMemory(KThread t, long bytes) {
        memory.put(t, bytes);
    }

    /** Pages copied for an address space of {@code bytes}: its frames, one page table per 512 frames, and the directory. */
    public static long pages(long bytes) {
        long frames = Math.ceilDiv(bytes, PhysicalMemory.FRAME_SIZE);
        return frames + Math.ceilDiv(frames, 512) + 1;
    }

    /** Asks for {@code t} to move to sandbox {@code to} at {@code at}, from the description's {@code migrations}. */
    public void request(long at, KThread t, Sandbox to) {
        request(at, t, to, BY_CONFIG);
    }

    /** Asks for {@code t} to move to sandbox {@code to} at {@code at}; {@code by}: {@link #BY_CONFIG} or {@link #BY_COMMAND_LINE}. */
    public void request(long at, KThread t, Sandbox to, String by) {
        Request r = new Request(t, to, at, by);
        requests.add(r);
        vmm.queue().schedule(Event.of(Priority.CONTROL, now -> requested(r, now)), Math.max(at, vmm.queue().now()));
    }

    /**
     * A thread asks for itself ({@link GuestContext#migrate}), between jobs: the request is a hypercall
     * (a VM exit on the thread's PCPU), checked at once; admitted or not is decided in this instant, once
     * the kernel has put the thread to sleep until {@code resumeAt}, and told in its lastStatus.
     */
    @Override
    public int migrate(KThread t, String sandbox, long resumeAt, long now) {
        Sandbox to = null;
        for (Sandbox s : vmm.sandboxes()) {
            if (s.name().equals(sandbox)) {
                to = s;
            }
        }
        if (to == null) {
            throw new IllegalArgumentException("migrate: unknown sandbox \"" + sandbox + "\"; sandboxes are: "
                    + String.join(", ", vmm.sandboxes().stream().map(Sandbox::name).toList()));
        }
        Request r = new Request(t, to, now, BY_GUEST);
        requests.add(r);
        r.requested = now;
        r.from = sandboxOf(t);
        r.outcome = WAITING;
        vmm.vmExit(r.from, Monitor.ExitReason.HYPERCALL, t.vcpu().pcpuId(), t, "migrate " + t.name() + " to " + to.name());
        String problem = problem(r);
        if (problem == null && t.openJobs() > 0) {
            problem = "the thread asked with " + t.openJobs() + " job" + (t.openJobs() == 1 ? "" : "s")
                    + " open: a thread moves between jobs";
        }
        if (problem == null && resumeAt <= now) {
            problem = "the thread must run again at once (resume time " + resumeAt + " is not after now): E_s is 0";
        }
        if (problem != null) {
            refuse(r, now, problem);
            return GuestContext.STATUS_REFUSED;
        }
        active.put(t, r);
        log.line(now, t.name(), "migration to " + to.name() + " asked for by the thread; its call is its job boundary");
        // after the kernel has put the thread to sleep until resumeAt, and the scheduling pass is over
        vmm.queue().schedule(Event.of(Priority.CONTROL, n -> {
            if (!r.outcome.equals(WAITING)) {
                return;
            }
            if (atJobBoundary(t, n)) {
                begin(r, n);
            } else {
                refuse(r, n, "the thread is no longer asleep between jobs");
            }
        }), now);
        return PENDING;
    }

    /** Why request {@code r} cannot go ahead now, before its job boundary, or null. */
    private String problem(Request r) {
        KThread t = r.thread;
        if (t.state() == KThread.State.EXITED) {
            return "the thread has exited";
        } else if (r.from == r.to) {
            return "the thread is already in sandbox " + r.to.name();
        } else if (active.containsKey(t)) {
            return "the thread is already migrating to " + active.get(t).to.name();
        } else if (!r.from.monitor().isPresent() || !r.to.monitor().isPresent()) {
            return "the monitors were removed after boot: none is left to help a migration";
        } else if (!vmm.faults().isAvailable(r.to)) {
            return "sandbox " + r.to.name() + " is " + (vmm.faults().isDown(r.to) ? "down" : "not running (failed or recovering)");
        } else if (!vmm.faults().isAvailable(r.from)) {
            return "sandbox " + r.from.name() + " is not running (failed or recovering)";
        } else if (r.byGuest() && !(t.vcpu().kind() == Vcpu.Kind.MAIN && t.vcpu().server() instanceof SporadicServer)) {
            return "only a thread on a Main VCPU migrates, and " + t.vcpu().name() + " is not one";
        } else if (r.byGuest() && r.from.kernel().threads().stream().anyMatch(x -> x != t && x.vcpu() == t.vcpu())) {
            return "VCPU " + t.vcpu().name() + " of sandbox " + r.from.name() + " also runs "
                    + String.join(", ", r.from.kernel().threads().stream().filter(x -> x != t && x.vcpu() == t.vcpu())
                            .map(KThread::name).toList()) + ": a migrating thread needs a VCPU of its own";
        } else if (movers.get(r.to) == null) {
            return "sandbox " + r.to.name() + " has no migration thread" + (r.byGuest()
                    ? " (a thread's own request needs one there: give it {name: " + r.to.name()
                            + ", receives: true} in migration.sandboxes)" : "");
        } else if (spare(r) == null) {
            return noSpare(r);
        }
        return null;
    }

    private void requested(Request r, long now) {
        KThread t = r.thread;
        r.requested = now;
        r.from = sandboxOf(t);
        r.outcome = WAITING;
        String problem = problem(r);
        if (problem != null) {
            refuse(r, now, problem);
        } else {
            active.put(t, r);
            log.line(now, t.name(), "migration to " + r.to.name() + " requested; waiting for a job boundary");
            if (atJobBoundary(t, now)) {
                begin(r, now);
            } else {
                t.setJobListener(() -> vmm.queue().schedule(Event.of(Priority.CONTROL, n -> {
                    if (r.outcome.equals(WAITING) && atJobBoundary(t, n)) {
                        begin(r, n);
                    }
                }), vmm.queue().now()));
            }
        }
    }

    /** Its job done and asleep until a later instant (a release due now is a job starting, not a boundary). */
    private static boolean atJobBoundary(KThread t, long now) {
        return t.state() == KThread.State.SLEEPING && t.openJobs() == 0 && t.wakeTime() > now;
    }

    private void begin(Request r, long now) {
        KThread t = r.thread;
        t.setJobListener(null);
        MigrationThread mover = movers.get(r.to);
        SporadicServer ms = (SporadicServer) mover.vcpu().server();
        Vcpu spare = spare(r);
        r.pages = pages(memory.getOrDefault(t, defaultMemory));
        r.delta = Math.multiplyExact(r.pages, mover.pageCycles());
        r.cm = ms.capacity();
        r.tm = ms.period();
        r.available = t.wakeTime() - now;
        if (spare == null) {
            refuse(r, now, noSpare(r));
            return;
        }
        if (mover.busy()) {
            refuse(r, now, "the migration thread of sandbox " + r.to.name() + " is busy with another copy");
            return;
        }
        if (!fullBudget(ms, now)) {
            refuse(r, now, "the migration VCPU " + mover.vcpu().name() + " of sandbox " + r.to.name()
                    + " is still replenishing from its last copy (its whole budget is back at " + lastReplenishment(ms) + ")");
            return;
        }
        List<MigrationAdmission.Interferer> higher = new ArrayList<>();
        for (Vcpu v : r.to.kernel().vcpusOn(mover.vcpu().pcpuId())) {
            if (v != mover.vcpu() && v.hasHigherPriorityThan(mover.vcpu()) && v.server() instanceof SporadicServer ss) {
                higher.add(new MigrationAdmission.Interferer(ss.capacity(), ss.period()));
            }
        }
        r.bound = MigrationAdmission.bound(r.delta, r.cm, r.tm, higher);
        if (r.available < r.bound) {
            refuse(r, now, "admission: E_s " + r.available + " < bound " + r.bound + " = floor(delta " + r.delta + " / Cm "
                    + r.cm + ") x Tm " + r.tm + " + " + (higher.isEmpty() ? "(delta mod Cm) " + (r.delta % r.cm)
                    : "response of (delta mod Cm) " + (r.delta % r.cm) + " under " + higher.size() + " higher-priority VCPU"
                            + (higher.size() == 1 ? "" : "s")) + " (" + r.pages + " pages)");
            return;
        }
        Kernel source = r.from.kernel();
        int sourcePcpu = t.vcpu().pcpuId();
        if (!vmm.faults().isAvailable(r.to) || !vmm.faults().isAvailable(r.from)) {
            refuse(r, now, "sandbox " + (vmm.faults().isAvailable(r.to) ? r.from : r.to).name() + " is not running");
            return;
        }
        long resume = source.suspendForMigration(t);
        r.resume = resume;
        long fromOffset = clockOffset(r.from);
        VcpuState state = ((SporadicServer) t.vcpu().server()).exportState(fromOffset);
        long resumeLocal = Math.addExact(resume, fromOffset);
        if (!r.byGuest()) { // a thread's own request was the hypercall
            vmm.vmExit(r.from, Monitor.ExitReason.HYPERCALL, sourcePcpu, t, "migrate " + t.name() + " to " + r.to.name());
        }
        r.started = now;
        r.outcome = COPYING;
        r.missesAtStart = misses(r);
        String detail = t.name() + " " + r.from.name() + " -> " + r.to.name() + ": " + r.pages + " pages, delta " + r.delta
                + ", bound " + r.bound + ", E_s " + r.available;
        sink.event(now, sourcePcpu, "migrate-start", t.vcpu(), t, detail);
        log.line(now, t.name(), "migration started: " + detail);
        mover.copy(r.pages, () -> vmm.queue().schedule(Event.of(Priority.CONTROL,
                n -> {
                    if (r.outcome.equals(COPYING)) {
                        finish(r, state, resumeLocal, n);
                    }
                }), vmm.queue().now()), sourcePcpu, r);
    }

    /** The copy is done: the destination takes the VCPU state, shifted into its clock, and the thread. */
    private void finish(Request r, VcpuState sourceState, long resumeSourceLocal, long now) {
        KThread t = r.thread;
        Vcpu spare = spare(r);
        long shift = clockOffset(r.to) - clockOffset(r.from);
        VcpuState state = sourceState.shifted(shift);
        ((SporadicServer) spare.server()).importState(state, clockOffset(r.to));
        long resume = Math.subtractExact(Math.addExact(resumeSourceLocal, shift), clockOffset(r.to));
        r.to.kernel().adopt(t, spare, resume);
        int pcpu = movers.get(r.to).vcpu().pcpuId();
        vmm.vmExit(r.to, Monitor.ExitReason.HYPERCALL, pcpu, t, "migrated " + t.name() + " from " + r.from.name());
        r.finished = now;
        r.outcome = DONE;
        active.remove(t);
        if (r.byGuest()) {
            t.setLastStatus(GuestContext.STATUS_OK);
        }
        String detail = t.name() + " " + r.from.name() + " -> " + r.to.name() + " on VCPU " + spare.name() + ": " + r.pages
                + " pages in " + (r.finished - r.started) + " cycles" + (resume < now ? ", " + (now - resume)
                        + " cycles after its release" : ", resumes at " + resume);
        sink.event(now, pcpu, "migrate-done", spare, t, detail);
        log.line(now, t.name(), "migration done: " + detail);
        // deadline misses during the migration: up to the end of the thread's first job in its new sandbox
        t.setJobListener(() -> {
            t.setJobListener(null);
            settle(r);
        });
    }

    private void refuse(Request r, long now, String reason) {
        r.outcome = REFUSED;
        r.reason = reason;
        if (r.byGuest()) {
            r.thread.setLastStatus(GuestContext.STATUS_REFUSED);
        }
        if (active.get(r.thread) == r) {
            active.remove(r.thread);
            r.thread.setJobListener(null);
        }
        int pcpu = r.thread.state() == KThread.State.EXITED ? r.from.cores().getFirst() : r.thread.vcpu().pcpuId();
        String detail = r.thread.name() + " " + r.from.name() + " -> " + r.to.name() + ": " + reason;
        sink.event(now, pcpu, "migrate-refused", r.thread.vcpu(), r.thread, detail);
        log.line(now, r.thread.name(), "migration refused: " + detail);
    }

    private void settle(Request r) {
        if (!r.settled && r.started >= 0) {
            r.missesDuring = misses(r) - r.missesAtStart;
            r.settled = true;
        }
    }

    /** Deadline misses so far of every thread of the two sandboxes (the migrating one counted once). */
    private long misses(Request r) {
        long n = 0;
        for (KThread t : r.from.kernel().threads()) {
            n += t.deadlineMisses();
        }
        for (KThread t : r.to.kernel().threads()) {
            n += t.deadlineMisses();
        }
        return n;
    }

    /** An unused Main VCPU of the destination with the thread's VCPU's budget and period, or null. */
    private Vcpu spare(Request r) {
        SporadicServer own = (SporadicServer) r.thread.vcpu().server();
        Kernel k = r.to.kernel();
        Vcpu mover = movers.containsKey(r.to) ? movers.get(r.to).vcpu() : null;
        for (Vcpu v : k.vcpus()) {
            if (v == mover || v.kind() != Vcpu.Kind.MAIN || !(v.server() instanceof SporadicServer ss)
                    || ss.capacity() != own.capacity() || ss.period() != own.period()) {
                continue;
            }
            if (k.threads().stream().noneMatch(x -> x.vcpu() == v)) {
                return v;
            }
        }
        return null;
    }

    private String noSpare(Request r) {
        SporadicServer own = (SporadicServer) r.thread.vcpu().server();
        return "sandbox " + r.to.name() + " has no unused Main VCPU with budget " + own.capacity() + " and period "
                + own.period() + " cycles (those of VCPU " + r.thread.vcpu().name() + ")";
    }

    private static boolean fullBudget(SporadicServer s, long now) {
        return s.usage() == 0 && lastReplenishment(s) <= now;
    }

    private static long lastReplenishment(SporadicServer s) {
        var list = s.replenishments();
        return list.time(list.size() - 1);
    }

    private Sandbox sandboxOf(KThread t) {
        for (Sandbox s : vmm.sandboxes()) {
            if (s.kernel() == t.kernel()) {
                return s;
            }
        }
        throw new IllegalStateException("thread " + t + " belongs to no sandbox");
    }

    /** The run ended (after the kernels finished): settles what is still open. */
    public void finish() {
        for (Request r : requests) {
            settle(r);
            if (r.from == null) {
                r.from = sandboxOf(r.thread);
            }
        }
    }

    /** Every request, in the order they were made. */
    public List<Outcome> outcomes() {
        List<Outcome> out = new ArrayList<>();
        for (Request r : requests) {
            out.add(new Outcome(r.thread.name(), r.from == null ? sandboxOf(r.thread).name() : r.from.name(), r.to.name(),
                    r.requested >= 0 ? r.requested : r.at, r.started, r.finished, r.pages, r.delta, r.cm, r.tm, r.bound,
                    r.available, r.outcome, r.reason, r.missesDuring, r.by));
        }
        return out;
    }
}
