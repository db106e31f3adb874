package dev.questj.kernel;

import dev.questj.guest.Guest;
import dev.questj.machine.Machine;
import dev.questj.machine.Pcpu;
import dev.questj.sim.EventQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One Quest kernel instance: in SMP mode one image over all PCPUs, in Quest-V one per sandbox over
 * that sandbox's PCPUs. It owns the VCPUs and threads of its PCPUs and a {@link PcpuScheduler} on
 * each; guests talk to it through their {@link KThread}.
 */
public final class Kernel {
    /** A guest that takes this many actions without simulated time passing is stopped as livelocked. */
    static final int MAX_ZERO_TIME_ACTIONS = 100_000;

    /** Receives guest log lines and faults. */
    public interface LogSink {
        void log(long time, KThread thread, String message);
    }

    private final String sandbox;
    private final Machine machine;
    private final EventQueue queue;
    private final KernelParams params;
    private final ScheduleSink sink;
    private final PcpuScheduler[] schedulers;
    private final List<PcpuScheduler> owned = new ArrayList<>();
    private final List<Vcpu> vcpus = new ArrayList<>();
    private final List<KThread> threads = new ArrayList<>();
    private final List<KThread> internalThreads = new ArrayList<>();
    private final IoSystem io = new IoSystem(this);
    private Ipc ipc = Ipc.NONE;
    private Migrator migrator = Migrator.NONE;
    private MemoryGuard memoryGuard;
    private LogSink logSink = (time, thread, message) -> {};
    private long guestFaults;
    private boolean started;
    /** Stopped by a fault: no thread runs or wakes until {@link #restart}. */
    private boolean halted;
    /** Heartbeats posted per PCPU (indexed by PCPU id), read by the monitor's watchdog. */
    private final long[] heartbeats;
    /** The heartbeat of each PCPU (by id), or null; the period, 0 while none was started. */
    private final dev.questj.sim.Event[] heartbeatEvents;
    private long heartbeatPeriod;
    private Watch watch = Watch.NONE;

    /** What a monitor or fault injector watches in the kernel. */
    public interface Watch {
        Watch NONE = (v, now) -> {};

        /** {@code v} ran out of budget with work left (budget enforcement holding a thread back). */
        void budgetExhausted(Vcpu v, long now);
    }

    /**
     * @param sandbox the sandbox's name ("" in SMP mode)
     * @param pcpus   the ids of the PCPUs this kernel runs on
     */
    public Kernel(String sandbox, Machine machine, List<Integer> pcpus, KernelParams params, ScheduleSink sink) {
        this.sandbox = sandbox;
        this.machine = machine;
        this.queue = machine.queue();
        this.params = params;
        this.sink = sink;
        this.schedulers = new PcpuScheduler[machine.pcpus().size()];
        this.heartbeats = new long[machine.pcpus().size()];
        this.heartbeatEvents = new dev.questj.sim.Event[machine.pcpus().size()];
        for (int id : pcpus) {
            Pcpu p = machine.pcpu(id);
            PcpuScheduler s = new PcpuScheduler(this, p, params.quantumCycles(), params.overheads());
            schedulers[id] = s;
            owned.add(s);
        }
    }

    public String sandbox() {
        return sandbox;
    }

    public KernelParams params() {
        return params;
    }

    public long now() {
        return queue.now();
    }

    public long cyclesPerSecond() {
        return machine.clock().hz();
    }

    public void setIpc(Ipc ipc) {
        this.ipc = ipc;
    }

    Ipc ipc() {
        return ipc;
    }

    /** Who carries out the threads' own migration requests (Quest-V's monitors); {@link Migrator#NONE} by default. */
    public void setMigrator(Migrator migrator) {
        this.migrator = migrator == null ? Migrator.NONE : migrator;
    }

    public void setMemoryGuard(MemoryGuard guard) {
        this.memoryGuard = guard;
    }

    MemoryGuard memoryGuard() {
        if (memoryGuard == null) {
            memoryGuard = MemoryGuard.flat(machine.memory().size());
        }
        return memoryGuard;
    }

    /** Kernel or monitor work of {@code cycles} on PCPU {@code pcpu} starting now (a fault handler, a VM exit). */
    public void chargeOverhead(int pcpu, long cycles) {
        scheduler(pcpu).chargeOverhead(now(), cycles);
    }

    public void setLogSink(LogSink logSink) {
        this.logSink = logSink;
    }

    ScheduleSink sink() {
        return sink;
    }

    /** Whether every event of instant {@code now} has run (the next one is later). */
    boolean noMoreEventsAt(long now) {
        return queue.peekTime() > now;
    }

    boolean checking() {
        return params.checkInvariants();
    }

    /** Creates a Main VCPU (a sporadic server of {@code budget} every {@code period} cycles) on PCPU {@code pcpu}. */
    public Vcpu createMainVcpu(String name, long budget, long period, int pcpu) {
        PcpuScheduler s = scheduler(pcpu);
        SporadicServer server = new SporadicServer(budget, period, params.maxReplenishments(), now());
        Vcpu v = new Vcpu(name, sandbox, Vcpu.Kind.MAIN, vcpus.size(), server);
        v.setServerFactory(at -> new SporadicServer(budget, period, params.maxReplenishments(), at));
        vcpus.add(v);
        s.add(v);
        return v;
    }

    /**
     * Creates the fair VCPU of a Quest-Linux core on PCPU {@code pcpu}: no budget, its threads (processes)
     * shared by a {@link FairScheduler} with scheduling {@code latency} and {@code minGranularity} (cycles).
     */
    public Vcpu createFairVcpu(String name, int pcpu, long latency, long minGranularity) {
        PcpuScheduler s = scheduler(pcpu);
        Vcpu v = new Vcpu(name, sandbox, Vcpu.Kind.FAIR, vcpus.size(), new FairServer(latency));
        v.fair = new FairScheduler(latency, minGranularity);
        v.setServerFactory(at -> new FairServer(latency));
        vcpus.add(v);
        s.add(v);
        return v;
    }

    /** Sets the nice value (-20 to 19) of a process on a fair VCPU. */
    public void setNice(KThread t, int nice) {
        if (t.vcpu().fair == null) {
            throw new IllegalArgumentException("thread " + t + " is not on a fair VCPU");
        }
        t.vcpu().fair.setNice(t, nice);
    }

    /**
     * Creates an I/O VCPU of utilisation {@code num / den} on PCPU {@code pcpu}, with its bottom-half
     * thread: a PIBS server, or with {@code asSporadicServer} a sporadic server of budget
     * floor(U x period) every {@code period} (the paper's comparison).
     */
    public Vcpu createIoVcpu(String name, long num, long den, long period, int pcpu, boolean asSporadicServer,
            SplittableRandom random) {
        PcpuScheduler s = scheduler(pcpu);
        BudgetServer server = asSporadicServer
                ? new SporadicServer(Math.max(1, Math.multiplyExact(period, num) / den), period, params.maxReplenishments(), now())
                : new PibsServer(num, den, period);
        Vcpu v = new Vcpu(name, sandbox, Vcpu.Kind.IO, vcpus.size(), server);
        v.setServerFactory(at -> asSporadicServer
                ? new SporadicServer(Math.max(1, Math.multiplyExact(period, num) / den), period, params.maxReplenishments(), at)
                : new PibsServer(num, den, period));
        vcpus.add(v);
        s.add(v);
        io.addIoVcpu(v, random);
        return v;
    }

    /** Binds a device to its driver here, served by I/O VCPU {@code ioVcpu} (null: only per-task I/O VCPUs). */
    public void attachDevice(dev.questj.machine.Device device, IoSystem.DriverCost cost, Vcpu ioVcpu) {
        io.attach(device, cost, ioVcpu);
    }

    /** Per-task assignment: {@code ioVcpu} serves every I/O of thread {@code t}. */
    public void setTaskIoVcpu(KThread t, Vcpu ioVcpu) {
        io.setTaskIoVcpu(t, ioVcpu);
    }

    public IoSystem io() {
        return io;
    }

    /** A thread of the kernel itself (a bottom half): blocked until woken, not started by {@link #start}. */
    KThread createInternalThread(String name, Vcpu vcpu, Guest guest, SplittableRandom random) {
        KThread t = new KThread(this, name, vcpu, guest, random);
        t.state = KThread.State.BLOCKED;
        internalThreads.add(t);
        return t;
    }

    /** A device interrupt on PCPU {@code pcpu}: the top half; returns its cost in cycles. */
    long interrupt(dev.questj.machine.Device device, int pcpu, long now) {
        sink.event(now, pcpu, "irq", null, null, device.name());
        return io.topHalf(device, pcpu, now);
    }

    /** Creates a thread running {@code guest} on {@code vcpu}; it starts when the kernel starts. */
    public KThread createThread(String name, Vcpu vcpu, Guest guest, SplittableRandom random) {
        if (vcpu.pcpu == null || schedulers[vcpu.pcpuId()] != vcpu.pcpu) {
            throw new IllegalArgumentException("VCPU " + vcpu + " does not belong to this kernel");
        }
        KThread t = new KThread(this, name, vcpu, guest, random);
        t.state = KThread.State.SLEEPING;
        threads.add(t);
        if (started) {
            queue.schedule(t.wake, now());
        }
        return t;
    }

    /**
     * Migration: suspends thread {@code t} of this kernel at a job boundary (sleeping, no open job):
     * its wake-up is cancelled and returned (the instant it was armed for). It stays in this kernel's
     * list until {@link #adopt} takes it. See {@link MigrationThread} and docs/DESIGN.md "Migration".
     */
    public long suspendForMigration(KThread t) {
        if (t.kernel() != this || t.state != KThread.State.SLEEPING || !t.wake.isScheduled() || t.openJobs() > 0) {
            throw new IllegalStateException("thread " + t + " is not at a job boundary in sandbox " + sandbox);
        }
        long at = t.wake.time();
        queue.cancel(t.wake);
        t.state = KThread.State.BLOCKED;
        t.migrating = true;
        return at;
    }

    /**
     * Migration aborted (the destination failed during the copy): thread {@code t}, suspended here by
     * {@link #suspendForMigration}, stays and wakes at {@code wakeAt} (not before now), unless this
     * kernel is itself stopped (its recovery restarts the thread).
     */
    public void resumeAfterAbortedMigration(KThread t, long wakeAt) {
        t.migrating = false;
        if (t.kernel() != this || t.state != KThread.State.BLOCKED || halted) {
            return;
        }
        t.state = KThread.State.SLEEPING;
        queue.schedule(t.wake, Math.max(wakeAt, now()));
    }

    /**
     * Migration: thread {@code t}, suspended by its old kernel, moves to {@code vcpu} of this kernel
     * and wakes at {@code wakeAt} (not before now).
     */
    public void adopt(KThread t, Vcpu vcpu, long wakeAt) {
        if (vcpu.pcpu == null || schedulers[vcpu.pcpuId()] != vcpu.pcpu) {
            throw new IllegalArgumentException("VCPU " + vcpu + " does not belong to this kernel");
        }
        t.kernel().threads.remove(t);
        t.migrating = false;
        t.rebind(this, vcpu);
        t.state = KThread.State.SLEEPING;
        threads.add(t);
        queue.schedule(t.wake, Math.max(wakeAt, now()));
    }

    private PcpuScheduler scheduler(int pcpu) {
        if (pcpu < 0 || pcpu >= schedulers.length || schedulers[pcpu] == null) {
            throw new IllegalArgumentException("PCPU " + pcpu + " is not one of this kernel's");
        }
        return schedulers[pcpu];
    }

    /** Starts every thread now (their first action is asked for at this instant, in creation order). */
    public void start() {
        start(now());
    }

    /** Starts every thread at {@code at} (a Quest-V kernel starts when its sandbox has booted). */
    public void start(long at) {
        started = true;
        for (KThread t : threads) {
            queue.schedule(t.wake, at);
        }
    }

    // ---- faults and recovery ----

    public void setWatch(Watch watch) {
        this.watch = watch == null ? Watch.NONE : watch;
    }

    Watch watch() {
        return watch;
    }

    /** Whether the kernel runs (it was not halted by a fault, or it was restarted since). */
    public boolean isUp() {
        return !halted;
    }

    /** Whether PCPU {@code pcpu} is stopped (a hung driver spinning there, or the kernel halted). */
    public boolean isHalted(int pcpu) {
        return scheduler(pcpu).halted();
    }

    /**
     * The kernel fails at {@code now} (a panic, a fault its monitor caught, a hang): every PCPU stops,
     * every thread's open jobs are abandoned and no thread wakes again until {@link #restart}.
     */
    public void halt(long now) {
        halted = true;
        for (PcpuScheduler s : owned) {
            s.halt(now);
        }
        for (KThread t : threads) {
            queue.cancel(t.wake);
            t.abandon();
            if (t.state != KThread.State.EXITED) {
                t.state = KThread.State.BLOCKED;
            }
        }
        for (KThread t : internalThreads) {
            queue.cancel(t.wake);
            t.abandon();
            t.state = KThread.State.BLOCKED;
        }
        sink.event(now, owned.getFirst().id(), "halt", null, null, sandbox.isEmpty() ? "kernel" : sandbox);
    }

    /** PCPU {@code pcpu} alone stops at {@code now} (a driver spins there with interrupts off); the others go on. */
    public void haltPcpu(int pcpu, long now) {
        scheduler(pcpu).halt(now);
        sink.event(now, pcpu, "halt", null, null, "PCPU " + pcpu);
    }

    /**
     * A recovery restarts the kernel at {@code at}: its VCPUs are re-created (fresh servers, empty),
     * its I/O state reset, and each thread for which {@code fresh} gives a guest starts again with
     * it at {@code at}; the others stay exited. Statistics carry over (a thread has incarnations).
     */
    public void restart(long at, java.util.function.Function<KThread, Guest> fresh) {
        for (PcpuScheduler s : owned) {
            s.restart(at);
        }
        io.reset();
        for (KThread t : internalThreads) {
            t.abandon();
            t.state = KThread.State.BLOCKED;
        }
        for (KThread t : threads) {
            queue.cancel(t.wake);
            t.abandon();
            t.migrating = false; // a migration from here was aborted when this kernel failed
            Guest g = fresh.apply(t);
            if (g == null) {
                t.state = KThread.State.EXITED;
                continue;
            }
            t.restart(g);
            t.state = KThread.State.SLEEPING;
            queue.schedule(t.wake, at);
        }
        if (heartbeatPeriod > 0) {
            for (PcpuScheduler s : owned) {
                queue.schedule(heartbeatEvents[s.id()], at);
            }
        }
        halted = false;
        sink.event(at, owned.getFirst().id(), "restart", null, null, sandbox.isEmpty() ? "kernel" : sandbox);
    }

    /**
     * Posts a heartbeat from every PCPU every {@code period} cycles from {@code first} on (the
     * watchdog's evidence of life): a stopped PCPU posts none.
     */
    public void startHeartbeat(long period, long first) {
        heartbeatPeriod = period;
        for (PcpuScheduler s : owned) {
            int id = s.id();
            heartbeatEvents[id] = new dev.questj.sim.Event(dev.questj.sim.Priority.CONTROL) {
                @Override
                public void fire(long now) {
                    if (!s.halted()) { // a stopped PCPU posts no more (a recovery starts it again)
                        heartbeats[id]++;
                        queue.schedule(this, now + period);
                    }
                }
            };
            queue.schedule(heartbeatEvents[id], first);
        }
    }

    /** Heartbeats PCPU {@code pcpu} has posted. */
    public long heartbeats(int pcpu) {
        scheduler(pcpu);
        return heartbeats[pcpu];
    }

    /**
     * Thread {@code t} runs away (an injected fault): from its next action on it computes forever;
     * asleep or blocked, it wakes at once. Only its VCPU's budget holds it.
     */
    public void runaway(KThread t) {
        if (t.migrating) {
            throw new IllegalStateException("thread " + t + " is being migrated");
        }
        t.replaceGuest(new dev.questj.guest.CpuHog());
        if (t.state == KThread.State.SLEEPING || t.state == KThread.State.BLOCKED) {
            wakeFrom(t, t.vcpu().pcpuId());
        }
    }

    /** The thread's sleep is over (or it starts): ask for its next action, and if it computes, wake it. */
    void wakeup(KThread t, long now) {
        if (t.vcpu().pcpu.halted()) {
            return; // its PCPU is stopped (a hung driver spins there): the thread cannot run, nor ask for more
        }
        if (advance(t, now)) {
            t.vcpu().pcpu.makeRunnable(t, now);
        }
    }

    /**
     * Makes a sleeping thread runnable from code running on PCPU {@code fromPcpu}; a thread of another
     * PCPU is reached by an IPI (Quest forgot this IPI; Quest/J does not).
     */
    public void wakeFrom(KThread t, int fromPcpu) {
        if (halted || t.vcpu().pcpu.halted() || t.migrating) {
            return; // nothing runs on a stopped PCPU, nor wakes a thread being migrated
        }
        if (t.state != KThread.State.SLEEPING && t.state != KThread.State.BLOCKED) {
            return;
        }
        queue.cancel(t.wake);
        long now = now();
        if (!advance(t, now)) {
            return;
        }
        PcpuScheduler target = t.vcpu().pcpu;
        if (target.id() == fromPcpu) {
            target.makeRunnable(t, now);
        } else {
            t.state = KThread.State.READY;
            target.wakeByIpi(t);
        }
    }

    /**
     * Asks the guest for actions until it computes (returns true, with {@code remaining} set), sleeps
     * into the future or exits (false).
     */
    boolean advance(KThread t, long now) {
        for (int i = 0; i < MAX_ZERO_TIME_ACTIONS; i++) {
            t.pending = KThread.Pending.NONE;
            t.guest().next(t);
            switch (t.pending) {
                case COMPUTE -> {
                    t.pending = KThread.Pending.NONE;
                    t.remaining = t.pendingValue;
                    return true;
                }
                case SLEEP -> {
                    if (t.pendingValue > now) {
                        t.state = KThread.State.SLEEPING;
                        queue.schedule(t.wake, t.pendingValue);
                        return false;
                    }
                }
                case EXIT -> {
                    t.state = KThread.State.EXITED;
                    return false;
                }
                case BLOCK -> {
                    t.state = KThread.State.BLOCKED;
                    return false;
                }
                case IO -> {
                    t.state = io.request(t, t.pendingDevice, t.pendingOp, t.pendingValue, now)
                            ? KThread.State.BLOCKED : KThread.State.EXITED;
                    return false;
                }
                case SEND -> {
                    t.lastStatus = ipcCall(t, () -> ipc.send(t, t.pendingDevice, t.pendingValue, now));
                    if (t.state == KThread.State.EXITED) {
                        return false;
                    }
                }
                case RECV_MSG -> {
                    int status = ipcCall(t, () -> ipc.receive(t, t.pendingDevice, now));
                    if (t.state == KThread.State.EXITED) {
                        return false;
                    }
                    if (status == Ipc.BLOCKED) {
                        t.state = KThread.State.BLOCKED;
                        return false;
                    }
                    t.lastStatus = status;
                }
                case MIGRATE -> {
                    long resumeAt = t.pendingValue;
                    int status = ipcCall(t, () -> migrator.migrate(t, t.pendingDevice, resumeAt, now));
                    if (t.state == KThread.State.EXITED) {
                        return false;
                    }
                    // pending: not moved until the migration says otherwise (it answers before the thread wakes)
                    t.lastStatus = status == Migrator.PENDING ? dev.questj.guest.GuestContext.STATUS_REFUSED : status;
                    if (resumeAt > now) {
                        t.state = KThread.State.SLEEPING;
                        queue.schedule(t.wake, resumeAt);
                        return false;
                    }
                }
                case ACCESS -> t.lastStatus = memoryGuard().access(t, t.pendingValue, t.pendingWrite, now);
                case RECEIVE -> {
                    if (!io.receive(t, t.pendingDevice, (int) t.pendingValue, now)) {
                        if (t.state != KThread.State.EXITED) {
                            t.state = KThread.State.BLOCKED;
                        }
                        return false;
                    }
                }
                case NONE -> {
                    guestFault(t, "guest chose no action");
                    t.state = KThread.State.EXITED;
                    return false;
                }
            }
        }
        guestFault(t, "livelock: " + MAX_ZERO_TIME_ACTIONS + " actions without simulated time passing");
        t.state = KThread.State.EXITED;
        return false;
    }

    private int ipcCall(KThread t, java.util.function.IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (IllegalArgumentException e) {
            guestFault(t, e.getMessage());
            t.state = KThread.State.EXITED;
            return dev.questj.guest.GuestContext.STATUS_FAULT;
        }
    }

    void guestFault(KThread t, String reason) {
        guestFaults++;
        t.recordFault(reason);
        int pcpu = t.vcpu().pcpuId();
        sink.event(now(), pcpu, "fault", t.vcpu(), t, reason);
        logSink.log(now(), t, "fault: " + reason);
    }

    void deadlineMissed(KThread t, long release, long deadline) {
        sink.event(now(), t.vcpu().pcpuId(), "miss", t.vcpu(), t, "release " + release + " deadline " + deadline);
    }

    void log(KThread t, String message) {
        logSink.log(now(), t, message);
    }

    /** Ends the run at the current time: closes open slices, releases overdue jobs, frees guests. */
    public void finish() {
        long end = now();
        for (PcpuScheduler s : owned) {
            s.finish(end);
        }
        for (KThread t : threads) {
            if (t.state != KThread.State.EXITED && !halted) {
                t.guest().finish(t);
            }
            t.closeJobs(end);
            t.guest().close();
        }
        for (KThread t : internalThreads) {
            t.closeJobs(end);
        }
    }

    public List<Vcpu> vcpus() {
        return Collections.unmodifiableList(vcpus);
    }

    /** The guest threads, in creation order (bottom halves are not among them). */
    public List<KThread> threads() {
        return Collections.unmodifiableList(threads);
    }

    /** The kernel's own threads (bottom halves). */
    public List<KThread> internalThreads() {
        return Collections.unmodifiableList(internalThreads);
    }

    /** VCPUs bound to PCPU {@code pcpu}, in creation order. */
    public List<Vcpu> vcpusOn(int pcpu) {
        return Collections.unmodifiableList(scheduler(pcpu).vcpus());
    }

    public List<Integer> pcpus() {
        return owned.stream().map(PcpuScheduler::id).toList();
    }


    public long guestFaults() {
        return guestFaults;
    }

    /** Scheduling passes run on PCPU {@code pcpu}. */
    public long schedulingPasses(int pcpu) {
        return scheduler(pcpu).passes();
    }

    public long contextSwitches(int pcpu) {
        return scheduler(pcpu).contextSwitches();
    }

    /** The VCPU running on {@code pcpu} now, or null. */
    public Vcpu running(int pcpu) {
        return scheduler(pcpu).current();
    }
}
