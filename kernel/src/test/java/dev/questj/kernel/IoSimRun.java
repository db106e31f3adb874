package dev.questj.kernel;

import dev.questj.guest.ExecDistribution;
import dev.questj.guest.Guest;
import dev.questj.guest.GuestContext;
import dev.questj.guest.IoBound;
import dev.questj.guest.NetworkReceiver;
import dev.questj.guest.Periodic;
import dev.questj.kernel.IoSystemGen.ActuatorSpec;
import dev.questj.kernel.IoSystemGen.DeviceSpec;
import dev.questj.kernel.IoSystemGen.DiskSpec;
import dev.questj.kernel.IoSystemGen.IoSystemSpec;
import dev.questj.kernel.IoSystemGen.IoTask;
import dev.questj.kernel.IoSystemGen.IoVcpuSpec;
import dev.questj.kernel.IoSystemGen.MainSpec;
import dev.questj.kernel.IoSystemGen.NicSpec;
import dev.questj.kernel.IoSystemGen.PeriodicTask;
import dev.questj.kernel.IoSystemGen.RxTask;
import dev.questj.kernel.IoSystemGen.SensorSpec;
import dev.questj.machine.Actuator;
import dev.questj.machine.Device;
import dev.questj.machine.Disk;
import dev.questj.machine.Machine;
import dev.questj.machine.Nic;
import dev.questj.machine.PacketSource;
import dev.questj.machine.Sensor;
import dev.questj.sim.EventQueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Builds an {@link IoSystemGen.IoSystemSpec} on the kernel API, runs it one event at a time (like
 * {@link SimRun}) and keeps, independently of the kernel's I/O code, its own record of the I/O:
 *
 * <ul>
 *   <li>every thread's guest is wrapped in a {@link CheckedGuest}, which sees each action the guest
 *       chooses and checks, whenever the kernel asks for the next one, that the previous one really is
 *       over (a computation got all its cycles, a sleep reached its time, an I/O was answered while
 *       the thread was blocked on it, and with the thread's own request);</li>
 *   <li>every NIC's packet source is wrapped in a {@link CountingSource}, which records each packet it
 *       hands the NIC;</li>
 *   <li>the requests enqueued to each I/O VCPU: every device has at most one client thread, so when
 *       the sink reports a device's interrupt, the bytes the device completed since its last
 *       interrupt say how many of that client's transfers the top half took, and the spec says which
 *       I/O VCPU serves that client. From these enqueues and the bottom-half thread's state after
 *       each event, the run keeps, per I/O VCPU, the requesters enqueued since it was last idle (its
 *       bottom half blocked with nothing to do), and the period section 3 then prescribes: the
 *       shortest of their Main VCPUs' periods.</li>
 * </ul>
 */
final class IoSimRun {
    /** {@code items} transfers of {@code requester} were enqueued to I/O VCPU {@code io} at {@code time}. */
    record Enqueue(long time, Vcpu io, KThread requester, long items) {}

    /** A bottom-half slice: {@code vcpu} ran [start, end) serving a request of {@code served}. */
    record ServedSlice(Vcpu vcpu, long start, long end, KThread served) {}

    @FunctionalInterface
    interface StepCheck {
        void afterStep(IoSimRun run, long now);
    }

    @FunctionalInterface
    interface SettledCheck {
        void settled(IoSimRun run, long now, long until);
    }

    static final StepCheck NO_STEP_CHECK = (run, now) -> {};
    static final SettledCheck NO_SETTLED_CHECK = (run, now, until) -> {};

    final IoSystemSpec spec;
    final Machine machine;
    final Kernel kernel;
    final RecordingSink sink = new RecordingSink();
    final List<ServedSlice> servedSlices = new ArrayList<>();
    /** Per spec I/O VCPU. */
    final List<Vcpu> ioVcpus = new ArrayList<>();
    /** Per spec Main VCPU, and its one thread and checked guest. */
    final List<Vcpu> mainVcpus = new ArrayList<>();
    final List<KThread> threads = new ArrayList<>();
    final List<CheckedGuest> guests = new ArrayList<>();
    /** Per spec device, with its packet source (NICs) and client thread (null: none). */
    final List<Device> devices = new ArrayList<>();
    final List<CountingSource> sources = new ArrayList<>();
    final List<KThread> clients = new ArrayList<>();
    /** Per spec device: bytes of one transfer, and the index of the I/O VCPU serving its client (-1: no client). */
    final long[] unitBytes;
    final int[] servingIo;

    // ---- own bookkeeping ----
    final List<Enqueue> enqueues = new ArrayList<>();
    /** Per I/O VCPU: requesters enqueued since it was last idle (empty: idle). */
    final Map<Vcpu, List<KThread>> busyRequesters = new IdentityHashMap<>();
    /** Per I/O VCPU: the periods section 3 prescribes after each enqueue. */
    final Map<Vcpu, TreeSet<Long>> prescribedPeriods = new IdentityHashMap<>();
    /** Things the bookkeeping found impossible (a lost wake-up, a device completing part of a transfer). */
    final List<String> anomalies = new ArrayList<>();
    private final List<String> irqsThisStep = new ArrayList<>();
    private final long[] lastBytes;

    IoSimRun(IoSystemSpec spec) {
        this.spec = spec;
        this.machine = new Machine(spec.pcpus(), 1, IoSystemGen.HZ);
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < spec.pcpus(); p++) {
            ids.add(p);
        }
        this.kernel = new Kernel("", machine, ids, new KernelParams(1_000, 32, OverheadModel.NONE, true), new Sink());
        Vcpu[] ios = new Vcpu[spec.ioVcpus().size()];
        Vcpu[] mains = new Vcpu[spec.mains().size()];
        for (int p = 0; p < spec.pcpus(); p++) {
            if (spec.ioFirst().get(p)) {
                createIo(p, ios);
                createMain(p, mains);
            } else {
                createMain(p, mains);
                createIo(p, ios);
            }
        }
        ioVcpus.addAll(Arrays.asList(ios));
        mainVcpus.addAll(Arrays.asList(mains));
        for (Vcpu v : ioVcpus) {
            busyRequesters.put(v, new ArrayList<>());
            prescribedPeriods.put(v, new TreeSet<>());
        }
        int nd = spec.devices().size();
        unitBytes = new long[nd];
        servingIo = new int[nd];
        lastBytes = new long[nd];
        Arrays.fill(servingIo, -1);
        for (int d = 0; d < nd; d++) {
            DeviceSpec ds = spec.devices().get(d);
            CountingSource src = null;
            Device dev = switch (ds) {
                case DiskSpec s -> new Disk(s.name(), machine, s.irqPcpu(), s.seek(), s.bytesPerSecond());
                case SensorSpec s -> new Sensor(s.name(), machine, s.irqPcpu(), s.period(), s.sampleBytes());
                case ActuatorSpec s -> new Actuator(s.name(), machine, s.irqPcpu(), s.latency());
                case NicSpec s -> {
                    src = new CountingSource(s.traffic().source(s.port()));
                    unitBytes[d] = s.traffic().size();
                    yield new Nic(s.name(), machine, s.irqPcpu(), src, new SplittableRandom(s.seed()), 1_000_000_000L, s.ring());
                }
            };
            kernel.attachDevice(dev, ds.cost(), ios[ds.ioVcpu()]);
            devices.add(dev);
            sources.add(src);
            clients.add(null);
        }
        for (int i = 0; i < spec.mains().size(); i++) {
            MainSpec m = spec.mains().get(i);
            Guest g;
            int device = -1;
            int taskIo = -1;
            switch (m.task()) {
                case PeriodicTask t -> g = new Periodic(m.period(), m.period(),
                        t.constant() ? ExecDistribution.constant(t.maxExec()) : ExecDistribution.uniform(1, t.maxExec()), t.offset());
                case IoTask t -> {
                    device = t.device();
                    taskIo = t.taskIoVcpu();
                    unitBytes[device] = t.bytes();
                    g = new IoBound(spec.devices().get(device).name(), t.op(), t.bytes(), ExecDistribution.uniform(1, t.maxExec()), t.jobPeriod(), 0);
                }
                case RxTask t -> {
                    device = t.device();
                    taskIo = t.taskIoVcpu();
                    g = new NetworkReceiver(spec.devices().get(device).name(), t.port(), ExecDistribution.uniform(1, t.maxExec()), 0);
                }
            }
            CheckedGuest cg = new CheckedGuest(m.name(), g, device >= 0 ? sources.get(device) : null);
            KThread t = kernel.createThread(m.name(), mains[i], cg, new SplittableRandom(m.task().seed()));
            guests.add(cg);
            threads.add(t);
            if (device >= 0) {
                if (taskIo >= 0) {
                    kernel.setTaskIoVcpu(t, ios[taskIo]);
                }
                clients.set(device, t);
                servingIo[device] = taskIo >= 0 ? taskIo : spec.devices().get(device).ioVcpu();
            }
        }
    }

    private void createIo(int p, Vcpu[] out) {
        for (int j = 0; j < spec.ioVcpus().size(); j++) {
            IoVcpuSpec s = spec.ioVcpus().get(j);
            if (s.pcpu() == p) {
                out[j] = kernel.createIoVcpu(s.name(), s.percent(), 100, s.period(), p, spec.mode() == IoSystemGen.Mode.SPORADIC,
                        new SplittableRandom(j));
            }
        }
    }

    private void createMain(int p, Vcpu[] out) {
        for (int i = 0; i < spec.mains().size(); i++) {
            MainSpec m = spec.mains().get(i);
            if (m.pcpu() == p) {
                out[i] = kernel.createMainVcpu(m.name(), m.budget(), m.period(), p);
            }
        }
    }

    static IoSimRun run(IoSystemSpec spec, StepCheck step, SettledCheck settled) {
        IoSimRun r = new IoSimRun(spec);
        r.execute(step, settled);
        return r;
    }

    static IoSimRun run(IoSystemSpec spec) {
        return run(spec, NO_STEP_CHECK, NO_SETTLED_CHECK);
    }

    private void execute(StepCheck step, SettledCheck settled) {
        EventQueue q = machine.queue();
        long horizon = spec.horizon();
        kernel.start();
        for (Device d : devices) {
            d.start();
        }
        while (q.peekTime() <= horizon) {
            q.step();
            long now = q.now();
            bookkeep(now);
            step.afterStep(this, now);
            if (q.peekTime() > now && now < horizon) {
                settled.settled(this, now, Math.min(q.peekTime(), horizon));
            }
        }
        q.runUntil(horizon);
        kernel.finish();
    }

    /** After each event: the enqueues its interrupt (if any) made, and which I/O VCPUs went idle. */
    private void bookkeep(long now) {
        List<Vcpu> enqueuedTo = new ArrayList<>(1);
        for (String name : irqsThisStep) {
            int d = deviceIndex(name);
            long b = devices.get(d).bytes();
            long delta = b - lastBytes[d];
            lastBytes[d] = b;
            if (delta % unitBytes[d] != 0) {
                anomalies.add("at " + now + " " + name + " completed " + delta + " bytes, not a multiple of " + unitBytes[d]);
            }
            long items = delta / unitBytes[d];
            KThread x = clients.get(d);
            if (items > 0 && x != null) {
                Vcpu io = ioVcpus.get(servingIo[d]);
                enqueues.add(new Enqueue(now, io, x, items));
                List<KThread> busy = busyRequesters.get(io);
                busy.add(x);
                prescribedPeriods.get(io).add(prescribedPeriod(io));
                enqueuedTo.add(io);
            }
        }
        irqsThisStep.clear();
        for (Vcpu io : ioVcpus) {
            if (bottomHalf(io).state() == KThread.State.BLOCKED) {
                if (enqueuedTo.contains(io)) {
                    anomalies.add("at " + now + " work was enqueued to " + io + " but its bottom half is blocked");
                }
                busyRequesters.get(io).clear();
            }
        }
    }

    private int deviceIndex(String name) {
        for (int d = 0; d < devices.size(); d++) {
            if (devices.get(d).name().equals(name)) {
                return d;
            }
        }
        throw new IllegalStateException("interrupt of unknown device " + name);
    }

    /** The shortest Main VCPU period among the requesters enqueued to {@code io} since it was last idle; 0 if idle. */
    long prescribedPeriod(Vcpu io) {
        return busyRequesters.get(io).stream().mapToLong(t -> t.vcpu().server().period()).min().orElse(0);
    }

    KThread bottomHalf(Vcpu io) {
        return kernel.io().bottomHalfThread(io);
    }

    /** Requests queued to (or being served by) the bottom half of {@code io}, read from the kernel. */
    int bottomHalfBacklog(Vcpu io) {
        IoSystem.BottomHalf bh = (IoSystem.BottomHalf) bottomHalf(io).guest();
        return bh.queue.size() + (bh.current == null ? 0 : 1);
    }

    Timeline timeline(Vcpu v) {
        return Timeline.ofSlices(sink.of(v));
    }

    IoSystem.Driver driver(int device) {
        return kernel.io().drivers().get(device);
    }

    /** Scheduler output and the interrupts, as they happen. */
    private final class Sink implements ScheduleSink {
        @Override
        public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
            sink.slice(pcpu, vcpu, thread, start, end);
        }

        @Override
        public void slice(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
            sink.slice(pcpu, vcpu, thread, start, end);
            servedSlices.add(new ServedSlice(vcpu, start, end, served));
        }

        @Override
        public void event(long time, int pcpu, String kind, Vcpu vcpu, KThread thread, String detail) {
            if (kind.equals("irq")) {
                irqsThisStep.add(detail);
            }
        }
    }

    // ---- instrumentation ----

    /** Records every packet a NIC's source hands out: arrival times, in order. */
    static final class CountingSource implements PacketSource {
        private final PacketSource inner;
        private long[] times = new long[64];
        private int count;

        CountingSource(PacketSource inner) {
            this.inner = inner;
        }

        @Override
        public boolean next(long last, SplittableRandom random, long[] out) {
            boolean more = inner.next(last, random, out);
            if (more) {
                if (count == times.length) {
                    times = Arrays.copyOf(times, count * 2);
                }
                times[count++] = out[0];
            }
            return more;
        }

        /** Packets due to arrive at or before {@code t} (the NIC asks for one packet at a time, in time order). */
        long arrivedBy(long t) {
            long n = 0;
            for (int i = 0; i < count; i++) {
                if (times[i] <= t) {
                    n++;
                }
            }
            return n;
        }

        /** Whether a packet was handed out for arrival at {@code t}. */
        boolean hasArrivalAt(long t) {
            return Arrays.binarySearch(times, 0, count, t) >= 0;
        }
    }

    /**
     * A decorator around a guest: sees the action the guest chooses each time, counts I/O, and when
     * the kernel asks for the next action checks that the previous one is really over.
     */
    static final class CheckedGuest implements Guest {
        enum Act { START, COMPUTE, SLEEP, IO, RECEIVE, EXIT, OTHER }

        final String name;
        private final Guest inner;
        private final CountingSource source;
        Act last = Act.START;
        private long lastValue;
        private long decidedAt;
        private long cpuAtDecision;
        private KThread.State stateAtDecision;
        long ioCalls;
        long ioAnswers;
        long receiveCalls;
        long packetsTaken;
        long lastArrival = -1;
        final List<String> violations = new ArrayList<>();

        CheckedGuest(String name, Guest inner, CountingSource source) {
            this.name = name;
            this.inner = inner;
            this.source = source;
        }

        private void violation(long now, String what) {
            if (violations.size() < 5) {
                violations.add(name + " at " + now + ": " + what);
            }
        }

        @Override
        public void next(GuestContext ctx) {
            KThread self = (KThread) ctx;
            long now = ctx.now();
            KThread.State state = self.state();
            switch (last) {
                case START -> {
                    if (state != KThread.State.SLEEPING || now != 0) {
                        violation(now, "first action asked for in state " + state);
                    }
                }
                case COMPUTE -> {
                    long got = self.cpuCycles() - cpuAtDecision;
                    if (state != KThread.State.READY || got != lastValue) {
                        violation(now, "next action asked for after " + got + " of " + lastValue + " cycles computed, state " + state);
                    }
                }
                case SLEEP -> {
                    boolean immediate = lastValue <= decidedAt;
                    if (immediate ? now != decidedAt : state != KThread.State.SLEEPING || now != lastValue) {
                        violation(now, "woken from a sleep until " + lastValue + " (chosen at " + decidedAt + "), state " + state);
                    }
                }
                case IO -> {
                    ioAnswers++;
                    if (state != KThread.State.BLOCKED) {
                        violation(now, "woken after an I/O while " + state + ", not blocked");
                    }
                    if (self.lastIoStart() != decidedAt) {
                        violation(now, "woken for a request issued at " + self.lastIoStart() + ", its own was issued at " + decidedAt);
                    }
                }
                case RECEIVE -> {
                    packetsTaken++;
                    boolean woken = state == KThread.State.BLOCKED;
                    boolean immediate = now == decidedAt && state == stateAtDecision;
                    if (!woken && !immediate) {
                        violation(now, "took a packet while " + state + " (receive chosen at " + decidedAt + " in state " + stateAtDecision + ")");
                    }
                    long arrival = self.lastIoStart();
                    if (arrival <= lastArrival || arrival > now || !source.hasArrivalAt(arrival)) {
                        violation(now, "took a packet that arrived at " + arrival + " (previous one at " + lastArrival
                                + "; a packet was handed to the NIC for that time: " + source.hasArrivalAt(arrival) + ")");
                    }
                    lastArrival = arrival;
                }
                case EXIT -> violation(now, "asked for an action after it exited");
            }
            Recorder r = new Recorder(ctx);
            inner.next(r);
            last = r.chosen;
            lastValue = r.value;
            decidedAt = now;
            cpuAtDecision = self.cpuCycles();
            stateAtDecision = state;
            if (last == Act.IO) {
                ioCalls++;
            } else if (last == Act.RECEIVE) {
                receiveCalls++;
            } else if (last == null) {
                violation(now, "the guest chose no action");
                last = Act.EXIT;
            }
        }

        @Override
        public void finish(GuestContext ctx) {
            inner.finish(ctx);
        }

        @Override
        public void close() {
            inner.close();
        }

        /** Passes everything on to the thread, noting the action chosen. */
        private static final class Recorder implements GuestContext {
            private final GuestContext ctx;
            Act chosen;
            long value;

            Recorder(GuestContext ctx) {
                this.ctx = ctx;
            }

            private void choose(Act a, long v) {
                if (chosen == null) {
                    chosen = a;
                    value = v;
                }
            }

            @Override
            public long now() {
                return ctx.now();
            }

            @Override
            public long cyclesPerSecond() {
                return ctx.cyclesPerSecond();
            }

            @Override
            public SplittableRandom random() {
                return ctx.random();
            }

            @Override
            public void compute(long cycles) {
                choose(Act.COMPUTE, Math.max(1, cycles));
                ctx.compute(cycles);
            }

            @Override
            public void sleepUntil(long time) {
                choose(Act.SLEEP, time);
                ctx.sleepUntil(time);
            }

            @Override
            public void io(String device, String op, long bytes) {
                choose(Act.IO, bytes);
                ctx.io(device, op, bytes);
            }

            @Override
            public void receive(String device, int port) {
                choose(Act.RECEIVE, port);
                ctx.receive(device, port);
            }

            @Override
            public long lastIoStart() {
                return ctx.lastIoStart();
            }

            @Override
            public void send(String channel, long bytes) {
                choose(Act.OTHER, bytes);
                ctx.send(channel, bytes);
            }

            @Override
            public void receiveMessage(String channel) {
                choose(Act.OTHER, 0);
                ctx.receiveMessage(channel);
            }

            @Override
            public void access(long address, boolean write) {
                choose(Act.OTHER, address);
                ctx.access(address, write);
            }

            @Override
            public long addressIn(String region) {
                return ctx.addressIn(region);
            }

            @Override
            public int lastStatus() {
                return ctx.lastStatus();
            }

            @Override
            public void exit() {
                choose(Act.EXIT, 0);
                ctx.exit();
            }

            @Override
            public void releaseJob(long release, long absoluteDeadline) {
                ctx.releaseJob(release, absoluteDeadline);
            }

            @Override
            public void completeJob() {
                ctx.completeJob();
            }

            @Override
            public void log(String message) {
                ctx.log(message);
            }

            @Override
            public void fault(String reason) {
                choose(Act.EXIT, 0);
                ctx.fault(reason);
            }
        }
    }
}
