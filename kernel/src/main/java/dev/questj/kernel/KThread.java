package dev.questj.kernel;

import dev.questj.guest.Guest;
import dev.questj.guest.GuestContext;
import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * A kernel thread running a {@link Guest} on a VCPU. It is the guest's {@link GuestContext}: when
 * the kernel asks the guest for its next action, the guest's call lands here as a pending action,
 * which the kernel then carries out. Jobs are tracked FIFO for response times and deadline misses.
 */
public final class KThread implements GuestContext {
    /** Where a thread is in its life. */
    public enum State {
        /** Runnable (queued on its VCPU or running). */
        READY,
        /** Waiting for a time (its wake event is armed). */
        SLEEPING,
        /** Waiting for an event: an I/O completion, a packet, work for a bottom half. */
        BLOCKED,
        EXITED
    }

    /** What the guest asked for in its last {@link Guest#next} call. */
    enum Pending { NONE, COMPUTE, SLEEP, EXIT, IO, RECEIVE, BLOCK, SEND, RECV_MSG, ACCESS, MIGRATE }

    private final String name;
    /** Its VCPU and kernel; both change only when the thread migrates to another sandbox. */
    private Vcpu vcpu;
    private Guest guest;
    private final SplittableRandom random;
    private Kernel kernel;
    /** Told after each job completes (a migration waiting for a job boundary), or null. */
    private Runnable jobListener;
    State state = State.READY;
    /** Cycles of computation left in the current compute action. */
    long remaining;
    /** Quantum left, in the VCPU's virtual time. */
    long quantumLeft;
    Pending pending = Pending.NONE;
    long pendingValue;
    String pendingDevice;
    String pendingOp;
    /** See {@link GuestContext#lastIoStart}. */
    long lastIoStart;
    /** A bottom half: the thread whose request it is serving now, or null. */
    KThread serving;
    /** See {@link GuestContext#lastStatus}. */
    int lastStatus;
    boolean pendingWrite;
    /** The bytes of the send being made (null: a size-only send, the channel makes up the bytes). */
    private byte[] pendingPayload;
    /** The receive being made must not block (a poll). */
    private boolean pendingPoll;
    /** The bytes of the last message received. */
    private byte[] lastMessage;
    /** Runs with the kernel's privileges (a driver): its accesses bypass the page table. */
    boolean kernelPrivilege;
    final Event wake;

    // Job accounting: a FIFO of released, not yet completed jobs.
    private long[] jobRelease = new long[4];
    private long[] jobDeadline = new long[4];
    private int jobHead;
    private int jobCount;
    private long jobsReleased;
    private long jobsCompleted;
    private long deadlineMisses;
    private long unfinishedMissed;
    private final Histogram responseTimes = new Histogram(3);
    /** Exact extremes (the histogram keeps 3 significant digits, enough for percentiles only). */
    private long minResponse = Long.MAX_VALUE;
    private long maxResponse = -1;
    private long cpuCycles;
    private String faultReason;
    /** Jobs open when the thread's kernel failed (neither completed nor missed: abandoned). */
    private long jobsAbandoned;
    /** 1 + the times a recovery restarted it. */
    private int incarnations = 1;
    /** Suspended by {@link Kernel#suspendForMigration} until adopted or the migration is aborted. */
    boolean migrating;
    /** Jobs completed since its last (re)start. */
    private long completedThisIncarnation;

    KThread(Kernel kernel, String name, Vcpu vcpu, Guest guest, SplittableRandom random) {
        this.kernel = kernel;
        this.name = name;
        this.vcpu = vcpu;
        this.guest = guest;
        this.random = random;
        this.wake = new Event(Priority.RELEASE) {
            @Override
            public void fire(long now) {
                KThread.this.kernel.wakeup(KThread.this, now); // the field: a migrated thread wakes in its new kernel
            }
        };
    }

    public String name() {
        return name;
    }

    public Vcpu vcpu() {
        return vcpu;
    }

    public State state() {
        return state;
    }

    Guest guest() {
        return guest;
    }

    // ---- GuestContext: called by the guest from Kernel.advance ----

    @Override
    public long now() {
        return kernel.now();
    }

    @Override
    public long cyclesPerSecond() {
        return kernel.cyclesPerSecond();
    }

    @Override
    public SplittableRandom random() {
        return random;
    }

    @Override
    public void compute(long cycles) {
        choose(Pending.COMPUTE, Math.max(1, cycles));
    }

    @Override
    public void sleepUntil(long time) {
        choose(Pending.SLEEP, time);
    }

    @Override
    public void io(String device, String op, long bytes) {
        pendingDevice = device;
        pendingOp = op;
        choose(Pending.IO, bytes);
    }

    @Override
    public void receive(String device, int port) {
        pendingDevice = device;
        choose(Pending.RECEIVE, port);
    }

    @Override
    public long lastIoStart() {
        return lastIoStart;
    }

    /** Set by an IPC provider that completes a blocked receive for the thread. */
    public void setLastStatus(int status) {
        lastStatus = status;
    }

    /** Set by an IPC provider when it hands the thread a message sent at {@code time}. */
    public void setLastIoStart(long time) {
        lastIoStart = time;
    }

    @Override
    public void send(String channel, long bytes) {
        pendingPayload = null;
        pendingDevice = channel;
        choose(Pending.SEND, bytes);
    }

    @Override
    public void send(String channel, byte[] payload) {
        pendingDevice = channel;
        pendingPayload = payload.clone();
        choose(Pending.SEND, payload.length);
    }

    /** For an IPC provider: the bytes of the send being made, once (null for a size-only send). */
    public byte[] takePayload() {
        byte[] p = pendingPayload;
        pendingPayload = null;
        return p;
    }

    /** Set by an IPC provider when it hands the thread a message. */
    public void setLastMessage(byte[] bytes) {
        lastMessage = bytes;
    }

    @Override
    public byte[] lastMessage() {
        return lastMessage == null ? null : lastMessage.clone();
    }

    @Override
    public void pollMessage(String channel) {
        receiveMessage(channel);
        pendingPoll = true;
    }

    /** For an IPC provider: whether the receive being made must not block (once). */
    public boolean takePoll() {
        boolean p = pendingPoll;
        pendingPoll = false;
        return p;
    }

    @Override
    public void receiveMessage(String channel) {
        pendingPoll = false;
        pendingDevice = channel;
        choose(Pending.RECV_MSG, 0);
    }

    @Override
    public void access(long address, boolean write) {
        pendingWrite = write;
        choose(Pending.ACCESS, address);
    }

    @Override
    public void migrate(String sandbox, long resumeAt) {
        pendingDevice = sandbox;
        choose(Pending.MIGRATE, resumeAt);
    }

    @Override
    public long addressIn(String region) {
        return kernel.memoryGuard().addressIn(this, region);
    }

    @Override
    public int lastStatus() {
        return lastStatus;
    }

    @Override
    public long returned(String channel) {
        try {
            return kernel.ipc().returned(this, channel);
        } catch (IllegalArgumentException e) {
            return 0; // no such channel: nothing of it came back
        }
    }

    /** Whether it runs with the kernel's privileges (its accesses bypass the page table). */
    public boolean kernelPrivilege() {
        return kernelPrivilege;
    }

    public void setKernelPrivilege(boolean on) {
        kernelPrivilege = on;
    }

    /** Kernel-internal guests: wait until {@link Kernel#wakeFrom} makes the thread runnable. */
    void block() {
        choose(Pending.BLOCK, 0);
    }

    /** The thread a bottom half is serving now, or null. */
    public KThread serving() {
        return serving;
    }

    @Override
    public void exit() {
        choose(Pending.EXIT, 0);
    }

    @Override
    public void fault(String reason) {
        kernel.guestFault(this, reason);
        choose(Pending.EXIT, 0);
    }

    private void choose(Pending p, long value) {
        if (pending != Pending.NONE) {
            kernel.guestFault(this, "guest chose two actions in one step (" + pending + " then " + p + ")");
            pending = Pending.EXIT;
            return;
        }
        pending = p;
        pendingValue = value;
    }

    @Override
    public void releaseJob(long release, long absoluteDeadline) {
        if (jobCount == jobRelease.length) {
            growJobs();
        }
        int i = (jobHead + jobCount) % jobRelease.length;
        jobRelease[i] = release;
        jobDeadline[i] = absoluteDeadline;
        jobCount++;
        jobsReleased++;
        kernel.sink().release(release, vcpu.pcpuId(), vcpu, this, absoluteDeadline);
    }

    private void growJobs() {
        long[] r = new long[jobRelease.length * 2];
        long[] d = new long[r.length];
        for (int k = 0; k < jobCount; k++) {
            r[k] = jobRelease[(jobHead + k) % jobRelease.length];
            d[k] = jobDeadline[(jobHead + k) % jobRelease.length];
        }
        jobRelease = r;
        jobDeadline = d;
        jobHead = 0;
    }

    @Override
    public void completeJob() {
        if (jobCount == 0) {
            return;
        }
        long now = kernel.now();
        long release = jobRelease[jobHead];
        long deadline = jobDeadline[jobHead];
        jobHead = (jobHead + 1) % jobRelease.length;
        jobCount--;
        jobsCompleted++;
        completedThisIncarnation++;
        long response = Math.max(0, now - release);
        responseTimes.recordValue(response);
        minResponse = Math.min(minResponse, response);
        maxResponse = Math.max(maxResponse, response);
        if (now > deadline) {
            deadlineMisses++;
            kernel.deadlineMissed(this, release, deadline);
        }
        if (jobListener != null) {
            jobListener.run();
        }
    }

    /** Calls {@code listener} after each job completes (null: nobody). */
    public void setJobListener(Runnable listener) {
        jobListener = listener;
    }

    /** Jobs released and not yet completed. */
    public int openJobs() {
        return jobCount;
    }

    /** The instant its wake-up is armed for (its next release), or -1 if none is armed. */
    public long wakeTime() {
        return wake.isScheduled() ? wake.time() : -1;
    }

    /** The kernel it runs on now. */
    public Kernel kernel() {
        return kernel;
    }

    /** Moves the thread to {@code vcpu} of {@code kernel} (a migration; the thread is neither runnable nor armed). */
    void rebind(Kernel newKernel, Vcpu newVcpu) {
        kernel = newKernel;
        vcpu = newVcpu;
    }

    @Override
    public void log(String message) {
        kernel.log(this, message);
    }

    /** At the end of the run: jobs still open past their deadline count as missed. */
    void closeJobs(long now) {
        for (int k = 0; k < jobCount; k++) {
            if (jobDeadline[(jobHead + k) % jobRelease.length] < now) {
                unfinishedMissed++;
            }
        }
    }

    /**
     * The kernel failed: the open jobs are abandoned (counted), pending actions dropped. The thread
     * keeps its statistics; {@link #restart} gives it a new guest.
     */
    void abandon() {
        jobsAbandoned += jobCount;
        jobCount = 0;
        jobHead = 0;
        remaining = 0;
        pending = Pending.NONE;
        serving = null;
    }

    /** A recovered kernel runs the thread again with {@code fresh} (the old guest is closed). */
    void restart(Guest fresh) {
        replaceGuest(fresh);
        incarnations++;
        completedThisIncarnation = 0;
    }

    /** Runs {@code next} from its next action on (a fault injected into the thread); the old guest is closed. */
    void replaceGuest(Guest next) {
        Guest old = guest;
        guest = next;
        if (old != next) {
            old.close();
        }
    }

    /** Keeps the first fault's reason, whoever detected it (the guest itself or the kernel). */
    void recordFault(String reason) {
        if (faultReason == null) {
            faultReason = reason;
        }
    }

    void addCpu(long cycles) {
        cpuCycles += cycles;
    }

    // ---- results ----

    public long jobsReleased() {
        return jobsReleased;
    }

    public long jobsCompleted() {
        return jobsCompleted;
    }

    /** Jobs that completed after their deadline, plus open jobs whose deadline passed by the end. */
    public long deadlineMisses() {
        return deadlineMisses + unfinishedMissed;
    }

    /** Open jobs whose deadline had passed when the run ended (included in {@link #deadlineMisses}). */
    public long unfinishedMissed() {
        return unfinishedMissed;
    }

    /** The shortest response time, exact; -1 when no job completed. */
    public long minResponseTime() {
        return maxResponse < 0 ? -1 : minResponse;
    }

    /** The longest response time, exact; -1 when no job completed. */
    public long maxResponseTime() {
        return maxResponse;
    }

    public Histogram responseTimes() {
        return responseTimes;
    }

    /** Jobs open when its kernel failed (not counted as completed or missed). */
    public long jobsAbandoned() {
        return jobsAbandoned;
    }

    /** Jobs completed since a recovery last restarted it (all of them if none did). */
    public long completedThisIncarnation() {
        return completedThisIncarnation;
    }

    /** Whether it is suspended for a migration (its address space being copied): nothing may wake it. */
    public boolean isMigrating() {
        return migrating;
    }

    /** 1 + the times a recovery restarted it. */
    public int incarnations() {
        return incarnations;
    }

    public long cpuCycles() {
        return cpuCycles;
    }

    /** Why the guest faulted, or null. */
    public String faultReason() {
        return faultReason;
    }

    @Override
    public String toString() {
        return name;
    }
}
