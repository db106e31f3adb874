package dev.questj.vmm;

import dev.questj.guest.Guest;
import dev.questj.kernel.IoSystem;
import dev.questj.kernel.KThread;
import dev.questj.kernel.Kernel;
import dev.questj.kernel.Vcpu;
import dev.questj.machine.Device;
import dev.questj.machine.PhysicalMemory;
import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Fault injection, detection and recovery for Quest-V's sandboxes.
 *
 * <p>Injected faults: a kernel panic (the kernel stops and exits to its monitor), a kernel write
 * outside the sandbox's memory (an EPT violation by the kernel itself: a VM exit), a runaway thread
 * (contained by its VCPU's budget: no recovery), a hung driver (its interrupt handler spins with
 * interrupts off: the PCPU its device interrupts stops), a corrupted channel message (caught by the
 * receiver's checksum, resent from the sender's copy) and an unresponsive sandbox (every PCPU
 * stops, silently).
 *
 * <p>Detection: panics and EPT violations arrive as VM exits at once; silent hangs are caught by
 * the watchdog: each PCPU of a watched sandbox posts a heartbeat every {@code heartbeat} cycles and
 * the monitor (on a preemption-timer exit every {@code timeout} cycles) finds a PCPU that posted
 * none since its last look.
 *
 * <p>Recovery, by the sandbox's monitor, per its policy: stop the sandbox's cores, restore the
 * kernel image from the pristine copy (per page), rebuild the EPT and re-map the channels (per
 * page), re-initialise the kernel (its boot-time exits again), re-create its VCPUs and restart the
 * threads marked restartable. Messages queued to the sandbox wait for the recovered kernel. When
 * the policy says stay down (or the restarts are used up, or the monitors were removed after boot),
 * the sandbox stays down: messages queued to it are returned to their senders and later sends are
 * answered {@code STATUS_DOWN}.
 */
public final class Faults {
    /** What is injected. */
    public enum Kind {
        KERNEL_PANIC, KERNEL_WILD_WRITE, RUNAWAY_THREAD, HUNG_DRIVER, CORRUPT_MESSAGE, UNRESPONSIVE;

        /** As the config writes it: kernel-panic, kernel-wild-write, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The kind a label names, or null. */
        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label().equals(label)) {
                    return k;
                }
            }
            return null;
        }

        /** The labels, for messages. */
        public static List<String> labels() {
            return java.util.Arrays.stream(values()).map(Kind::label).toList();
        }

        /** What the fault needs named: a thread, a device, a channel, or nothing (null). */
        public String target() {
            return switch (this) {
                case RUNAWAY_THREAD -> "thread";
                case HUNG_DRIVER -> "device";
                case CORRUPT_MESSAGE -> "channel";
                default -> null;
            };
        }
    }

    /** How a fault ended. */
    public enum Outcome {
        /** The monitor restored the sandbox and it runs again. */
        RECOVERED,
        /** Held in place without a recovery (a runaway thread by its budget, a message by resending it). */
        CONTAINED,
        /** The sandbox stays down (its policy, its restarts used up, or no monitor left to recover it). */
        DOWN,
        /** Nothing noticed it by the end of the run (no watchdog, or nothing read the message). */
        UNDETECTED,
        /** Injected into a sandbox that was already down or recovering: nothing to do. */
        SKIPPED,
        /** Detected; the monitor was still restoring the sandbox when the run ended. */
        RECOVERING,
        /** Its time came at or after the end of the run: it never happened. */
        NOT_INJECTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A sandbox's recovery policy: restart (at most {@code maxRestarts} times; -1: always) or stay down. */
    public record Policy(boolean restart, int maxRestarts) {
        public static final Policy RESTART = new Policy(true, -1);
        public static final Policy STAY_DOWN = new Policy(false, 0);
    }

    /** A sandbox's watchdog: a heartbeat per PCPU every {@code heartbeat} cycles, checked every {@code timeout}. */
    public record Watchdog(long heartbeat, long timeout) {
        public Watchdog {
            if (heartbeat <= 0 || timeout < heartbeat) {
                throw new IllegalArgumentException("watchdog: need 0 < heartbeat <= timeout");
            }
        }
    }

    /** One injected fault, as it went. Times in cycles; -1 when it did not happen. */
    public static final class Report {
        private final Kind kind;
        private final String sandbox;
        private final String target;
        private final long injectedAt;
        private long detectedAt = -1;
        private String detectedBy = "";
        private long recoveredAt = -1;
        private Outcome outcome = Outcome.UNDETECTED;
        private long pagesRestored;
        private int threadsRestarted;
        private String note = "";

        Report(Kind kind, String sandbox, String target, long injectedAt) {
            this.kind = kind;
            this.sandbox = sandbox;
            this.target = target;
            this.injectedAt = injectedAt;
        }

        public Kind kind() {
            return kind;
        }

        public String sandbox() {
            return sandbox;
        }

        /** The thread, device or channel it named, or null. */
        public String target() {
            return target;
        }

        public long injectedAt() {
            return injectedAt;
        }

        public long detectedAt() {
            return detectedAt;
        }

        /** What caught it: "panic exit", "EPT violation exit", "watchdog", "budget", "checksum". */
        public String detectedBy() {
            return detectedBy;
        }

        /** When the sandbox ran again (or the fault was contained), or -1. */
        public long recoveredAt() {
            return recoveredAt;
        }

        /** From detection until the sandbox ran again (or the fault was contained); -1 if it did not. */
        public long recoveryCycles() {
            return recoveredAt < 0 || detectedAt < 0 ? -1 : recoveredAt - detectedAt;
        }

        public Outcome outcome() {
            return outcome;
        }

        /** Kernel-image pages the monitor copied back. */
        public long pagesRestored() {
            return pagesRestored;
        }

        /** Threads started again by the recovery. */
        public int threadsRestarted() {
            return threadsRestarted;
        }

        /** Why it ended as it did, in words (empty when plain). */
        public String note() {
            return note;
        }

        public boolean detected() {
            return detectedAt >= 0;
        }
    }

    /** Per sandbox: its policy, watchdog, state and the injected faults not yet detected or settled. */
    private static final class Watched {
        final Sandbox sandbox;
        Policy policy = Policy.RESTART;
        Watchdog watchdog;
        long[] lastBeat;
        boolean recovering;
        boolean down;
        int restarts;
        long downtime;
        long downSince = -1;
        /** The injected fault waiting to be detected (a silent hang), or null. */
        final List<Report> pending = new ArrayList<>();

        Watched(Sandbox sandbox) {
            this.sandbox = sandbox;
        }
    }

    /** Cycles the kernel takes to re-initialise itself after its image was restored (besides its exits). */
    static final long REINIT_CYCLES = 50_000;
    /** The byte pattern of the pristine kernel image (what the monitor copies into the text frames). */
    private static final byte IMAGE_BYTE = (byte) 0xC3;

    private final QuestV vmm;
    private final List<Watched> watched = new ArrayList<>();
    private final List<Report> reports = new ArrayList<>();
    private final List<Runnable> armed = new ArrayList<>();
    /** Every injection asked for, to report those whose time never came. */
    private final List<Planned> planned = new ArrayList<>();

    /** An injection asked for, and whether it fired. */
    private static final class Planned {
        final long at;
        final Sandbox sandbox;
        final Kind kind;
        final String target;
        boolean fired;

        Planned(long at, Sandbox sandbox, Kind kind, String target) {
            this.at = at;
            this.sandbox = sandbox;
            this.kind = kind;
            this.target = target;
        }
    }
    private SplittableRandom random = new SplittableRandom(0);
    private BiFunction<Sandbox, KThread, Guest> restarter = (s, t) -> null;
    private final List<java.util.function.BiConsumer<Sandbox, Long>> failureListeners = new ArrayList<>();

    Faults(QuestV vmm) {
        this.vmm = vmm;
    }

    void addSandbox(Sandbox s) {
        watched.add(new Watched(s));
    }

    private Watched of(Sandbox s) {
        return watched.get(s.index());
    }

    /** Sets sandbox {@code s}'s recovery policy and watchdog (null: none). */
    public void configure(Sandbox s, Policy policy, Watchdog watchdog) {
        Watched w = of(s);
        w.policy = policy;
        w.watchdog = watchdog;
    }

    /** The guest a recovered kernel restarts thread {@code t} with; null: it is not restartable. */
    public void setRestarter(BiFunction<Sandbox, KThread, Guest> restarter) {
        this.restarter = restarter;
    }

    /**
     * Tells {@code listener} when a sandbox's failure is detected (its kernel is stopped from then on,
     * until a recovery restarts it or for good): e.g. migration aborts copies to or from it.
     */
    public void onFailure(java.util.function.BiConsumer<Sandbox, Long> listener) {
        failureListeners.add(listener);
    }

    /** Whether sandbox {@code s} runs now: not down, not being recovered, its kernel not halted. */
    public boolean isAvailable(Sandbox s) {
        Watched w = of(s);
        return !w.down && !w.recovering && s.kernel().isUp();
    }

    /** The stream the faults draw from (the wild write's address). */
    public void setRandom(SplittableRandom random) {
        this.random = random;
    }

    /**
     * Injects {@code kind} into sandbox {@code s} at {@code at} (not before the sandbox has booted);
     * {@code target} names the thread, device or channel the kind needs.
     */
    public void inject(long at, Sandbox s, Kind kind, String target) {
        Planned p = new Planned(at, s, kind, target);
        planned.add(p);
        Runnable arm = () -> vmm.queue().schedule(Event.of(Priority.CONTROL, now -> {
            p.fired = true;
            fire(s, kind, target, now);
        }), Math.max(at, s.bootCycles()));
        armed.add(arm);
    }

    /** At boot: the faults' events, the heartbeats and the watchdogs start. */
    void boot() {
        armed.forEach(Runnable::run);
        armed.clear();
        for (Watched w : watched) {
            Sandbox s = w.sandbox;
            s.kernel().setWatch(this::budgetExhausted);
            if (w.watchdog == null || !s.monitor().isPresent()) {
                continue;
            }
            s.kernel().startHeartbeat(w.watchdog.heartbeat(), s.bootCycles());
            w.lastBeat = new long[maxPcpu() + 1];
            scheduleWatchdog(w, s.bootCycles() + w.watchdog.timeout());
        }
        for (Channel c : vmm.channels()) {
            c.setCorruptionListener(new Channel.CorruptionListener() {
                @Override
                public void detected(Channel ch, Sandbox sender, long seq, long now) {
                    corruptionDetected(ch, sender, now);
                }

                @Override
                public void redelivered(Channel ch, Sandbox sender, long seq, long now) {
                    corruptionRedelivered(ch, sender, now);
                }
            });
        }
    }

    private int maxPcpu() {
        int max = 0;
        for (Watched w : watched) {
            for (int c : w.sandbox.cores()) {
                max = Math.max(max, c);
            }
        }
        return max;
    }

    // ---- injection ----

    private void fire(Sandbox s, Kind kind, String target, long now) {
        Report r = new Report(kind, s.name(), target, now);
        reports.add(r);
        Watched w = of(s);
        Kernel k = s.kernel();
        vmm.sink().event(now, s.cores().getFirst(), "fault", null, null, kind.label() + " injected into " + s.name()
                + (target == null ? "" : " (" + target + ")"));
        if (w.down || w.recovering || !k.isUp()) {
            r.outcome = Outcome.SKIPPED;
            r.note = "sandbox " + s.name() + " is already " + (w.down ? "down" : w.recovering ? "being recovered"
                    : "stopped (a hang not detected yet)");
            return;
        }
        switch (kind) {
            case KERNEL_PANIC -> {
                k.halt(now);
                exitOrStop(w, r, Monitor.ExitReason.PANIC, "panic exit", now);
            }
            case KERNEL_WILD_WRITE -> wildWrite(w, r, now);
            case RUNAWAY_THREAD -> {
                KThread t = findThread(k, target);
                String skip = t == null ? "thread " + target + " is no longer in " + s.name() + " (it migrated)"
                        : t.state() == KThread.State.EXITED ? "thread " + target + " has exited"
                        : t.isMigrating() ? "thread " + target + " is migrating (suspended while its address space is copied)"
                        : null;
                if (skip != null) {
                    r.outcome = Outcome.SKIPPED;
                    r.note = skip;
                    return;
                }
                if (t.vcpu().kind() == Vcpu.Kind.FAIR) {
                    k.runaway(t);
                    r.detectedAt = now;
                    r.detectedBy = "fair scheduler";
                    r.recoveredAt = now;
                    r.outcome = Outcome.CONTAINED;
                    r.note = "a linux process: the fair scheduler keeps the other processes' shares (no budget to exhaust)";
                    return;
                }
                w.pending.add(r);
                k.runaway(t);
            }
            case HUNG_DRIVER -> {
                int pcpu = driverPcpu(s, target);
                if (k.isHalted(pcpu)) {
                    r.outcome = Outcome.SKIPPED;
                    r.note = "PCPU " + pcpu + " is already stopped";
                    return;
                }
                w.pending.add(r);
                k.haltPcpu(pcpu, now);
            }
            case CORRUPT_MESSAGE -> {
                Channel c = channel(target);
                if (c.corruptionArmed(s)) {
                    r.outcome = Outcome.SKIPPED;
                    r.note = "a corruption is already armed for the next message " + s.name() + " sends on " + target;
                    return;
                }
                w.pending.add(r);
                c.corruptNextFrom(s);
            }
            case UNRESPONSIVE -> {
                w.pending.add(r);
                w.downSince = now;
                k.halt(now);
            }
        }
    }

    /** The kernel stops on a fault its hardware raised: a VM exit to the monitor, or with none left, down for good. */
    private void exitOrStop(Watched w, Report r, Monitor.ExitReason reason, String by, long now) {
        Sandbox s = w.sandbox;
        if (!s.monitor().isPresent()) {
            if (s.kernel().isUp()) {
                s.kernel().halt(now);
            }
            stayDown(w, r, now, "no monitor to recover it: the monitors were removed after boot");
            return;
        }
        vmm.vmExit(s, reason, s.cores().getFirst(), null, r.kind.label());
        detected(w, r, by, now);
    }

    /** The kernel stores to a frame of another sandbox: the EPT stops it (an exit), or without EPT it lands. */
    private void wildWrite(Watched w, Report r, long now) {
        Sandbox s = w.sandbox;
        long frame = vmm.host().randomFrame(HostMemory.Kind.SANDBOX, s.index(), random);
        if (frame < 0) {
            frame = vmm.host().randomFrame(HostMemory.Kind.MONITOR, -1, random);
        }
        long address = frame * PhysicalMemory.FRAME_SIZE;
        int pcpu = s.cores().getFirst();
        if (vmm.protection().ept()) {
            vmm.blocked(Isolation.Kind.CPU_WRITE, Isolation.Blocker.EPT, pcpu, null, address);
            s.kernel().halt(now);
            exitOrStop(w, r, Monitor.ExitReason.EPT_VIOLATION, "EPT violation exit", now);
            return;
        }
        vmm.isolation().breach(Isolation.Kind.CPU_WRITE);
        vmm.memory().fill(address, 8, (byte) 0xEE);
        vmm.breachEvent(s, pcpu, null, "kernel write reached " + vmm.describe(address));
        r.note = "EPT off: the write landed and nothing noticed";
    }

    /** Whether thread {@code name} of kernel {@code k} runs on VCPU {@code v} (false once it left, e.g. migrated). */
    private static boolean runsOn(Kernel k, String name, Vcpu v) {
        for (KThread t : k.threads()) {
            if (t.name().equals(name)) {
                return t.vcpu() == v;
            }
        }
        return false;
    }

    /** Thread {@code name} of kernel {@code k}, or null (it migrated away). */
    private static KThread findThread(Kernel k, String name) {
        for (KThread t : k.threads()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Where a hung driver spins: its device's interrupt PCPU if the sandbox owns it, else its I/O VCPU's. */
    private static int driverPcpu(Sandbox s, String device) {
        for (IoSystem.Driver d : s.kernel().io().drivers()) {
            Device dev = d.device();
            if (dev.name().equals(device)) {
                if (s.ownsCore(dev.irqPcpu())) {
                    return dev.irqPcpu();
                }
                if (d.ioVcpu() != null) {
                    return d.ioVcpu().pcpuId();
                }
            }
        }
        throw new IllegalArgumentException("sandbox " + s.name() + " has no driver for device \"" + device + "\"");
    }

    private Channel channel(String name) {
        for (Channel c : vmm.channels()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no channel \"" + name + "\"");
    }

    // ---- detection ----

    private void budgetExhausted(Vcpu v, long now) {
        for (Watched w : watched) {
            if (!w.sandbox.name().equals(v.sandbox())) {
                continue;
            }
            Report r = first(w, x -> x.kind == Kind.RUNAWAY_THREAD && runsOn(w.sandbox.kernel(), x.target, v));
            if (r != null) {
                w.pending.remove(r);
                r.detectedAt = now;
                r.detectedBy = "budget";
                r.recoveredAt = now;
                r.outcome = Outcome.CONTAINED;
                r.note = "VCPU " + v + " ran out of budget: the thread cannot take more than C per T";
                vmm.sink().event(now, v.pcpuId(), "contained", v, null, "runaway thread " + r.target + " held to its budget");
            }
        }
    }

    private void corruptionDetected(Channel c, Sandbox sender, long now) {
        Watched w = of(sender);
        Report r = first(w, x -> x.kind == Kind.CORRUPT_MESSAGE && x.target.equals(c.name()) && x.detectedAt < 0);
        if (r != null) {
            r.detectedAt = now;
            r.detectedBy = "checksum";
            vmm.sink().event(now, c.to().cores().getFirst(), "detected", null, null,
                    "corrupted message on " + c.name() + ": checksum failed, asked again");
        }
    }

    private void corruptionRedelivered(Channel c, Sandbox sender, long now) {
        Watched w = of(sender);
        Report r = first(w, x -> x.kind == Kind.CORRUPT_MESSAGE && x.target.equals(c.name()));
        if (r != null) {
            w.pending.remove(r);
            r.recoveredAt = now;
            r.outcome = Outcome.CONTAINED;
            r.note = "resent from the sender's copy";
        }
    }

    private void scheduleWatchdog(Watched w, long at) {
        vmm.queue().schedule(Event.of(Priority.CONTROL, now -> watchdog(w, now)), at);
    }

    /** The monitor's periodic look (a preemption-timer exit): any PCPU that posted no heartbeat since? */
    private void watchdog(Watched w, long now) {
        Sandbox s = w.sandbox;
        if (w.down) {
            return;
        }
        if (w.recovering) {
            return; // the recovery re-arms it
        }
        Kernel k = s.kernel();
        int silent = -1;
        for (int c : s.cores()) {
            long beats = k.heartbeats(c);
            if (beats == w.lastBeat[c] && silent < 0) {
                silent = c;
            }
            w.lastBeat[c] = beats;
        }
        vmm.vmExit(s, Monitor.ExitReason.WATCHDOG, s.cores().getFirst(), null, "heartbeat check");
        if (silent < 0) {
            scheduleWatchdog(w, now + w.watchdog.timeout());
            return;
        }
        Report r = first(w, Faults::isHang);
        if (r == null) {
            r = new Report(Kind.UNRESPONSIVE, s.name(), null, -1); // a hang nobody injected
            reports.add(r);
        } else {
            w.pending.remove(r);
        }
        if (k.isUp()) {
            k.halt(now);
        }
        detected(w, r, "watchdog (PCPU " + silent + " silent)", now);
    }

    /** The first pending fault of {@code w} that {@code match} accepts, or null. */
    private static Report first(Watched w, java.util.function.Predicate<Report> match) {
        for (Report r : w.pending) {
            if (match.test(r)) {
                return r;
            }
        }
        return null;
    }

    private static boolean isHang(Report r) {
        return r.kind == Kind.UNRESPONSIVE || r.kind == Kind.HUNG_DRIVER;
    }

    /**
     * The sandbox was restored (or stays down) for {@code cause}: other pending hangs and runaway
     * threads in it are settled with it (the restart wiped them, or nothing runs any more); a
     * corrupted message is not: it is still in the ring, for its receiver's checksum.
     */
    private void settlePending(Watched w, Report cause, Outcome outcome, long at) {
        for (java.util.Iterator<Report> it = w.pending.iterator(); it.hasNext(); ) {
            Report r = it.next();
            if (r.kind == Kind.CORRUPT_MESSAGE) {
                continue;
            }
            it.remove();
            r.detectedAt = cause.detectedAt;
            r.detectedBy = cause.detectedBy;
            r.outcome = outcome;
            if (outcome == Outcome.RECOVERED) {
                r.recoveredAt = at;
                r.note = "cleared by the recovery from the " + cause.kind.label();
            } else {
                r.note = "the sandbox stays down";
            }
        }
    }

    // ---- recovery ----

    private void detected(Watched w, Report r, String by, long now) {
        r.detectedAt = now;
        r.detectedBy = by;
        Sandbox s = w.sandbox;
        vmm.sink().event(now, s.cores().getFirst(), "detected", null, null, r.kind.label() + " in " + s.name() + " by " + by);
        for (Channel c : vmm.channels()) {
            c.receiverFailed(s);
        }
        for (var l : failureListeners) {
            l.accept(s, now);
        }
        if (w.downSince < 0) {
            w.downSince = now;
        }
        Policy p = w.policy;
        if (!p.restart()) {
            stayDown(w, r, now, "policy: stay down");
            return;
        }
        if (p.maxRestarts() >= 0 && w.restarts >= p.maxRestarts()) {
            stayDown(w, r, now, "restarted " + w.restarts + " times already (at most " + p.maxRestarts() + ")");
            return;
        }
        w.recovering = true;
        r.outcome = Outcome.RECOVERING;
        long textPages = Math.ceilDiv(s.textBytes(), PhysicalMemory.FRAME_SIZE);
        long cycles = vmm.restoreCycles(s, textPages) + REINIT_CYCLES;
        r.pagesRestored = textPages;
        vmm.queue().schedule(Event.of(Priority.CONTROL, at -> restart(w, r, at)), now + cycles);
    }

    private void restart(Watched w, Report r, long at) {
        Sandbox s = w.sandbox;
        vmm.memory().fill(s.base(), s.textBytes(), IMAGE_BYTE); // the pristine image, copied back
        vmm.remapChannels(s);
        s.kernel().restart(at, t -> restarter.apply(s, t));
        int restarted = 0;
        for (KThread t : s.kernel().threads()) {
            if (t.state() != KThread.State.EXITED) {
                restarted++;
            }
        }
        w.restarts++;
        w.recovering = false;
        w.downtime += at - w.downSince;
        w.downSince = -1;
        r.recoveredAt = at;
        r.outcome = Outcome.RECOVERED;
        r.threadsRestarted = restarted;
        settlePending(w, r, Outcome.RECOVERED, at);
        s.monitor().recovered();
        vmm.sink().event(at, s.cores().getFirst(), "recovered", null, null, s.name() + " runs again after "
                + (at - r.detectedAt) + " cycles; " + restarted + " threads restarted");
        if (w.watchdog != null) {
            for (int c : s.cores()) {
                w.lastBeat[c] = s.kernel().heartbeats(c);
            }
            scheduleWatchdog(w, at + w.watchdog.timeout());
        }
    }

    private void stayDown(Watched w, Report r, long now, String why) {
        w.down = true;
        if (w.downSince < 0) {
            w.downSince = now;
        }
        r.outcome = Outcome.DOWN;
        r.note = why;
        settlePending(w, r, Outcome.DOWN, now);
        for (Channel c : vmm.channels()) {
            c.receiverDown(w.sandbox);
        }
        vmm.sink().event(now, w.sandbox.cores().getFirst(), "down", null, null, w.sandbox.name() + " stays down: " + why);
    }

    /** The run ended at {@code end}: close the books on downtime; injections whose time never came are reported. */
    void finish(long end) {
        for (Planned p : planned) {
            if (!p.fired) {
                Report r = new Report(p.kind, p.sandbox.name(), p.target, -1);
                r.outcome = Outcome.NOT_INJECTED;
                r.note = "its time (" + Math.max(p.at, p.sandbox.bootCycles()) + " cycles) is not before the end of the run ("
                        + end + ")";
                reports.add(r);
            }
        }
        for (Watched w : watched) {
            if (w.downSince >= 0) {
                w.downtime += end - w.downSince;
                w.downSince = -1;
            }
        }
    }

    // ---- results ----

    /** Every injected fault (and any hang the watchdog caught that nobody injected), in order. */
    public List<Report> reports() {
        return List.copyOf(reports);
    }

    /** Times sandbox {@code s} was recovered. */
    public int restarts(Sandbox s) {
        return of(s).restarts;
    }

    /** Whether sandbox {@code s} is down for good. */
    public boolean isDown(Sandbox s) {
        return of(s).down;
    }

    /** Cycles sandbox {@code s} did not run (from a failure's detection, or its halt, until it ran again or the end). */
    public long downtime(Sandbox s) {
        return of(s).downtime;
    }
}
