package dev.questj.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random systems with I/O for the I/O VCPU property tests (QUEST-ALGORITHMS.md sections 3 and 4).
 *
 * <p>1-2 PCPUs. Each has 1-4 Main VCPUs running one periodic thread each (period = the VCPU's period,
 * execution at most its budget: the threads whose deadlines section 4 promises) and 1-2 I/O VCPUs of
 * utilisation 5-30% (PIBS, or in {@link Mode#SPORADIC} sporadic servers). 1-4 <em>clients</em> each
 * get a Main VCPU of their own on a random PCPU and a device of their own: an {@code IoBound} thread
 * on a disk, sensor or actuator, or a {@code NetworkReceiver} on a NIC fed by periodic, Poisson,
 * bursty or flood traffic (a flood is 10-100 times the bandwidth of the I/O VCPU that serves it).
 * Each device interrupts a random PCPU and is bound to a random I/O VCPU, on any PCPU, and some
 * clients have a per-task I/O VCPU instead; so requesters, their I/O VCPUs and the interrupts are
 * often on different PCPUs and wake-ups cross by IPI. Optionally one more NIC carries traffic for a
 * port nobody receives on.
 *
 * <p>One client per device is deliberate: the tests then know, from a device's counters alone, whose
 * request each of its interrupts carried (their own bookkeeping, independent of the kernel's).
 *
 * <p>As in {@link SystemGen}, budgets come from a load factor and per-VCPU weights, so admitted sets
 * are generated directly; everything is a plain record, so a failing system shrinks and prints in full.
 * {@link #clampAdversary()} draws admitted systems of a fixed, adversarial shape instead (random
 * systems rarely need section 3's clamp).
 */
final class IoSystemGen {
    private IoSystemGen() {}

    static final long HZ = 1_000_000;

    /** Which systems to generate. */
    enum Mode {
        /** PIBS I/O VCPUs; every PCPU passes section 4's admission test. */
        ADMITTED,
        /** PIBS I/O VCPUs; PCPUs loaded to 20-200% of the bound, often overloaded. */
        ANY,
        /** The I/O VCPUs are sporadic servers (C = floor(U T), T); admitted as rate-monotonic sets. */
        SPORADIC
    }

    // ---- the spec ----

    /** An I/O VCPU of utilisation percent / 100 on {@code pcpu}; {@code period}: initial (PIBS, never matters) or the server's (SS). */
    record IoVcpuSpec(String name, int pcpu, int percent, long period) {
        /** The sporadic-server budget floor(U T), at least 1 (as {@link Kernel#createIoVcpu} computes it). */
        long ssBudget() {
            return Math.max(1, period * percent / 100);
        }
    }

    /** What the single thread of a Main VCPU does. */
    sealed interface Task {
        long seed();
    }

    /** A periodic thread: period = the VCPU's, deadline = period, execution constant or uniform in [1, maxExec], maxExec <= budget. */
    record PeriodicTask(long maxExec, boolean constant, long offset, long seed) implements Task {}

    /** An IoBound thread: one request of {@code bytes} to its device per job, then up to maxExec of computation. */
    record IoTask(int device, String op, long bytes, long maxExec, long jobPeriod, int taskIoVcpu, long seed) implements Task {}

    /** A NetworkReceiver on port {@code port} of its NIC, computing up to maxExec per packet. */
    record RxTask(int device, int port, long maxExec, int taskIoVcpu, long seed) implements Task {}

    /** A Main VCPU (budget, period) on {@code pcpu} with its thread. */
    record MainSpec(String name, int pcpu, long budget, long period, Task task) {}

    /** NIC traffic: {@code kind} periodic (gap), poisson (mean gap) or bursty (mean gap during on, nothing during off). */
    record Traffic(String kind, long gap, long on, long off, long size, int floodFactor) {
        dev.questj.machine.PacketSource source(int port) {
            return switch (kind) {
                case "periodic" -> dev.questj.machine.PacketSource.periodic(gap, size, port);
                case "poisson" -> dev.questj.machine.PacketSource.poisson(gap, size, port);
                case "bursty" -> dev.questj.machine.PacketSource.bursty(gap, on, off, size, port);
                default -> throw new IllegalStateException(kind);
            };
        }

        boolean flood() {
            return floodFactor > 0;
        }
    }

    /** A device, its interrupt's PCPU, the I/O VCPU its driver is bound to and the driver's costs. */
    sealed interface DeviceSpec {
        String name();

        int irqPcpu();

        int ioVcpu();

        IoSystem.DriverCost cost();
    }

    record DiskSpec(String name, int irqPcpu, int ioVcpu, IoSystem.DriverCost cost, long seek, long bytesPerSecond) implements DeviceSpec {}

    record SensorSpec(String name, int irqPcpu, int ioVcpu, IoSystem.DriverCost cost, long period, long sampleBytes) implements DeviceSpec {}

    record ActuatorSpec(String name, int irqPcpu, int ioVcpu, IoSystem.DriverCost cost, long latency) implements DeviceSpec {}

    record NicSpec(String name, int irqPcpu, int ioVcpu, IoSystem.DriverCost cost, Traffic traffic, int port, int ring, long seed)
            implements DeviceSpec {}

    /**
     * A whole system: VCPUs are created per PCPU in order, the I/O VCPUs first where {@code ioFirst}
     * (so they win priority ties with equal-period Main VCPUs) and last elsewhere.
     */
    record IoSystemSpec(Mode mode, int pcpus, List<Boolean> ioFirst, List<IoVcpuSpec> ioVcpus, List<MainSpec> mains,
            List<DeviceSpec> devices, long horizon) {
        Admission.CoreLoad load(int p) {
            Admission.CoreLoad l = new Admission.CoreLoad(p, 0, 0, 0);
            for (MainSpec m : mains) {
                if (m.pcpu() == p) {
                    l = l.plusMain(m.budget(), m.period());
                }
            }
            for (IoVcpuSpec io : ioVcpus) {
                if (io.pcpu() == p) {
                    l = mode == Mode.SPORADIC ? l.plusMain(io.ssBudget(), io.period()) : l.plusIo(io.percent() / 100.0);
                }
            }
            return l;
        }

        boolean admitted() {
            for (int p = 0; p < pcpus; p++) {
                if (!load(p).admitted()) {
                    return false;
                }
            }
            return true;
        }

        boolean hasFlood() {
            return devices.stream().anyMatch(d -> d instanceof NicSpec n && n.traffic().flood());
        }

        boolean zeroTopHalves() {
            return devices.stream().allMatch(d -> d.cost().topHalf() == 0);
        }
    }

    // ---- drafts (what jqwik draws and shrinks) ----

    record PeriodicDraft(long period, int weight, int execPercent, boolean constant, int offsetPercent, long seed) {}

    record IoDraft(int percent, long period) {}

    record PcpuDraft(List<PeriodicDraft> mains, List<IoDraft> ios, boolean ioFirst, int loadPercent) {}

    /** Traffic before the flood gap is known: kind, gap, on, off, size, flood factor (0: not a flood). */
    record TrafficDraft(String kind, long gap, long on, long off, long size, int floodFactor) {}

    /** A device before indices are resolved; {@code kind}: disk, sensor, actuator or nic; a, b: its two parameters. */
    record DeviceDraft(String kind, long a, long b, TrafficDraft traffic, int irqSel, int ioSel, int taskSel, IoSystem.DriverCost cost) {}

    /** A client: its device, its VCPU's PCPU, period and weight, its per-job execution (% of budget), back to back or periodic, its seed. */
    record ClientDraft(DeviceDraft device, int pcpuSel, long period, int weight, int execPercent, boolean backToBack, long bytes, long seed) {}

    // ---- arbitraries ----

    /** Main VCPU periods 20..400 cycles, with round values (ties) drawn often. */
    static Arbitrary<Long> periods() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(20, 400)),
                Tuple.of(1, Arbitraries.of(50L, 100L, 200L)));
    }

    static Arbitrary<PeriodicDraft> periodicDrafts() {
        return Combinators.combine(periods(), Arbitraries.integers().between(1, 10), Arbitraries.integers().between(1, 100),
                        Arbitraries.of(true, false), Arbitraries.integers().between(0, 99), Arbitraries.longs())
                .as(PeriodicDraft::new);
    }

    static Arbitrary<IoDraft> ioDrafts() {
        return Combinators.combine(Arbitraries.integers().between(5, 30), periods()).as(IoDraft::new);
    }

    static Arbitrary<PcpuDraft> pcpuDrafts(Mode mode) {
        Arbitrary<Integer> load = mode == Mode.ANY
                ? Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.integers().between(20, 100)),
                        Tuple.of(2, Arbitraries.integers().between(101, 200)))
                : Arbitraries.integers().between(20, 100);
        return Combinators.combine(periodicDrafts().list().ofMinSize(1).ofMaxSize(4), ioDrafts().list().ofMinSize(1).ofMaxSize(2),
                        Arbitraries.of(true, false), load)
                .as(PcpuDraft::new);
    }

    static Arbitrary<TrafficDraft> traffic() {
        Arbitrary<Long> size = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.longs().between(64, 1500)),
                Tuple.of(1, Arbitraries.of(64L, 1500L)));
        Arbitrary<TrafficDraft> periodic = Combinators.combine(Arbitraries.longs().between(5, 400), size)
                .as((g, s) -> new TrafficDraft("periodic", g, 0, 0, s, 0));
        Arbitrary<TrafficDraft> poisson = Combinators.combine(Arbitraries.longs().between(5, 400), size)
                .as((g, s) -> new TrafficDraft("poisson", g, 0, 0, s, 0));
        Arbitrary<TrafficDraft> bursty = Combinators.combine(Arbitraries.longs().between(1, 20), Arbitraries.longs().between(20, 400),
                        Arbitraries.longs().between(50, 1500), size)
                .as((g, on, off, s) -> new TrafficDraft("bursty", g, on, off, s, 0));
        Arbitrary<TrafficDraft> flood = Combinators.combine(Arbitraries.of("periodic", "poisson"), Arbitraries.integers().between(10, 100), size)
                .as((k, f, s) -> new TrafficDraft(k, 0, 0, 0, s, f));
        return Arbitraries.frequencyOf(Tuple.of(1, periodic), Tuple.of(1, poisson), Tuple.of(1, bursty), Tuple.of(3, flood));
    }

    static Arbitrary<IoSystem.DriverCost> costs(boolean topHalves) {
        Arbitrary<Long> top = topHalves
                ? Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.longs().between(1, 3)))
                : Arbitraries.just(0L);
        return Combinators.combine(top, Arbitraries.longs().between(0, 20), Arbitraries.longs().between(0, 8))
                .as(IoSystem.DriverCost::new);
    }

    static Arbitrary<DeviceDraft> deviceDrafts(boolean topHalves) {
        Arbitrary<String> kind = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("disk")), Tuple.of(1, Arbitraries.just("sensor")),
                Tuple.of(1, Arbitraries.just("actuator")), Tuple.of(3, Arbitraries.just("nic")));
        Arbitrary<Integer> taskSel = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(-1)), Tuple.of(1, Arbitraries.integers().between(0, 7)));
        Arbitrary<Integer> sel = Arbitraries.integers().between(0, 7);
        return Combinators.combine(kind, Arbitraries.longs().between(0, 400), Arbitraries.longs().between(1, 64), traffic(),
                        sel, sel, taskSel, costs(topHalves))
                .as(DeviceDraft::new);
    }

    static Arbitrary<ClientDraft> clientDrafts(boolean topHalves) {
        return Combinators.combine(deviceDrafts(topHalves), Arbitraries.integers().between(0, 7), periods(),
                        Arbitraries.integers().between(1, 10), Arbitraries.integers().between(1, 100), Arbitraries.of(true, false),
                        Arbitraries.longs().between(1, 4096), Arbitraries.longs())
                .as(ClientDraft::new);
    }

    /**
     * Systems of the given mode; {@code topHalves}: drivers may have a non-zero top-half cost (which
     * the kernel charges to whichever VCPU runs next, Main VCPUs included, so section 4's promise does
     * not cover it).
     */
    static Arbitrary<IoSystemSpec> systems(Mode mode, boolean topHalves) {
        return Combinators.combine(pcpuDrafts(mode).list().ofMinSize(1).ofMaxSize(2),
                        clientDrafts(topHalves).list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))),
                        deviceDrafts(topHalves), Arbitraries.integers().between(15, 40))
                .as((ps, cs, noise, noiseNic, periods) -> finish(mode, ps, cs, noise ? noiseNic : null, periods));
    }

    /**
     * The same system with each client's device interrupting the PCPU of the I/O VCPU that serves the
     * client, so a top half never wakes a bottom half on another PCPU (requesters may still be woken
     * across PCPUs).
     */
    static IoSystemSpec withLocalBottomHalfWakeups(IoSystemSpec spec) {
        List<DeviceSpec> ds = new ArrayList<>(spec.devices());
        for (MainSpec m : spec.mains()) {
            int device;
            int taskIo;
            switch (m.task()) {
                case IoTask t -> {
                    device = t.device();
                    taskIo = t.taskIoVcpu();
                }
                case RxTask t -> {
                    device = t.device();
                    taskIo = t.taskIoVcpu();
                }
                default -> {
                    continue;
                }
            }
            DeviceSpec d = ds.get(device);
            int irq = spec.ioVcpus().get(taskIo >= 0 ? taskIo : d.ioVcpu()).pcpu();
            ds.set(device, switch (d) {
                case DiskSpec x -> new DiskSpec(x.name(), irq, x.ioVcpu(), x.cost(), x.seek(), x.bytesPerSecond());
                case SensorSpec x -> new SensorSpec(x.name(), irq, x.ioVcpu(), x.cost(), x.period(), x.sampleBytes());
                case ActuatorSpec x -> new ActuatorSpec(x.name(), irq, x.ioVcpu(), x.cost(), x.latency());
                case NicSpec x -> new NicSpec(x.name(), irq, x.ioVcpu(), x.cost(), x.traffic(), x.port(), x.ring(), x.seed());
            });
        }
        return new IoSystemSpec(spec.mode(), spec.pcpus(), spec.ioFirst(), spec.ioVcpus(), spec.mains(), ds, spec.horizon());
    }

    /**
     * Admitted systems built to need section 3's clamp: one PCPU, Main VCPUs with periods 60..200
     * whose periodic threads use their whole budget, loaded to 95-100% of what the bound leaves (the
     * clients' own VCPUs get the smallest shares), and one I/O VCPU of 15-30% serving two kinds of
     * client: one with a long period (300..400) and heavy bottom halves (a NIC flood, often in bursts
     * so that the I/O VCPU drains and goes idle between them, or large disk transfers), which gives
     * the I/O VCPU a large Cmax at
     * a low priority, and 1-2 with short periods (20..55, shorter than every Main VCPU's) whose
     * interrupts then raise it above all Main VCPUs, sometimes while it holds that budget, sometimes
     * (sparser interrupts) after it used it up and waits for the next (section 3 clamps both). Without the clamp, the budget granted at the
     * long period is spent at the short period's priority.
     */
    static Arbitrary<IoSystemSpec> clampAdversary() {
        Arbitrary<PeriodicDraft> mains = Combinators.combine(Arbitraries.longs().between(60, 200), Arbitraries.integers().between(4, 10),
                        Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(0, 99))),
                        Arbitraries.longs())
                .as((t, w, o, seed) -> new PeriodicDraft(t, w, 100, true, o, seed));
        Arbitrary<PcpuDraft> pcpu = Combinators.combine(mains.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.integers().between(15, 30).map(u -> List.of(new IoDraft(u, 100))), Arbitraries.of(true, false),
                        Arbitraries.integers().between(95, 100))
                .as(PcpuDraft::new);
        Arbitrary<IoSystem.DriverCost> heavy = Combinators.combine(Arbitraries.longs().between(10, 20), Arbitraries.longs().between(4, 8))
                .as((r, k) -> new IoSystem.DriverCost(0, r, k));
        Arbitrary<IoSystem.DriverCost> light = Combinators.combine(Arbitraries.longs().between(1, 5), Arbitraries.longs().between(0, 1))
                .as((r, k) -> new IoSystem.DriverCost(0, r, k));
        Arbitrary<TrafficDraft> flood = Combinators.combine(Arbitraries.integers().between(10, 100), Arbitraries.longs().between(512, 1500),
                        Arbitraries.longs().between(50, 400), Arbitraries.longs().between(300, 1500), Arbitraries.of(true, false))
                .as((f, size, on, off, bursts) -> bursts ? new TrafficDraft("bursty", 0, on, off, size, f) : new TrafficDraft("periodic", 0, 0, 0, size, f));
        Arbitrary<DeviceDraft> heavyDevice = Combinators.combine(
                        Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("disk")), Tuple.of(3, Arbitraries.just("nic"))),
                        Arbitraries.longs().between(0, 10),
                        Arbitraries.longs().between(8, 64), flood, heavy)
                .as((k, a, b, t, c) -> new DeviceDraft(k, a, b, t, 0, 0, -1, c));
        Arbitrary<ClientDraft> longClient = Combinators.combine(heavyDevice, Arbitraries.longs().between(300, 400),
                        Arbitraries.longs().between(2048, 4096), Arbitraries.longs())
                .as((d, t, bytes, seed) -> new ClientDraft(d, 0, t, 1, 5, true, bytes, seed));
        Arbitrary<TrafficDraft> ticks = Combinators.combine(Arbitraries.of("periodic", "poisson"), Arbitraries.longs().between(20, 800))
                .as((k, g) -> new TrafficDraft(k, g, 0, 0, 64, 0));
        Arbitrary<DeviceDraft> lightDevice = Combinators.combine(Arbitraries.of("sensor", "actuator", "nic"), Arbitraries.longs().between(0, 400),
                        Arbitraries.longs().between(1, 8), ticks, light)
                .as((k, a, b, t, c) -> new DeviceDraft(k, a, b, t, 0, 0, -1, c));
        Arbitrary<ClientDraft> shortClient = Combinators.combine(lightDevice, Arbitraries.longs().between(20, 55),
                        Arbitraries.longs().between(1, 64), Arbitraries.longs())
                .as((d, t, bytes, seed) -> new ClientDraft(d, 0, t, 1, 20, true, bytes, seed));
        return Combinators.combine(pcpu, longClient, shortClient.list().ofMinSize(1).ofMaxSize(2), Arbitraries.integers().between(15, 40))
                .as((p, l, ss, periods) -> {
                    List<ClientDraft> cs = new ArrayList<>();
                    cs.add(l);
                    cs.addAll(ss);
                    return finish(Mode.ADMITTED, List.of(p), cs, null, periods);
                });
    }

    // ---- from drafts to a spec ----

    /** A Main VCPU while budgets are being set. */
    private static final class MainBuilder {
        final String name;
        final int pcpu;
        final long period;
        final int weight;
        long budget;

        MainBuilder(String name, int pcpu, long period, int weight) {
            this.name = name;
            this.pcpu = pcpu;
            this.period = period;
            this.weight = weight;
        }
    }

    static IoSystemSpec finish(Mode mode, List<PcpuDraft> ps, List<ClientDraft> cs, DeviceDraft noiseNic, int horizonPeriods) {
        int np = ps.size();
        List<Boolean> ioFirst = ps.stream().map(PcpuDraft::ioFirst).toList();
        // I/O VCPUs, in PCPU order
        List<IoVcpuSpec> ios = new ArrayList<>();
        int[] ioPercent = new int[ps.stream().mapToInt(p -> p.ios().size()).sum()];
        for (int p = 0; p < np; p++) {
            for (IoDraft d : ps.get(p).ios()) {
                ioPercent[ios.size()] = d.percent();
                ios.add(new IoVcpuSpec("", p, d.percent(), d.period()));
            }
        }
        // Main VCPUs: periodic ones, then the clients' own
        List<MainBuilder> mbs = new ArrayList<>();
        List<Object> origin = new ArrayList<>();
        for (int p = 0; p < np; p++) {
            for (int i = 0; i < ps.get(p).mains().size(); i++) {
                PeriodicDraft d = ps.get(p).mains().get(i);
                mbs.add(new MainBuilder("p" + p + "m" + i, p, d.period(), d.weight()));
                origin.add(d);
            }
        }
        for (int c = 0; c < cs.size(); c++) {
            ClientDraft d = cs.get(c);
            int p = d.pcpuSel() % np;
            mbs.add(new MainBuilder("p" + p + "c" + c, p, d.period(), d.weight()));
            origin.add(d);
        }
        // budgets, per PCPU
        for (int p = 0; p < np; p++) {
            setBudgets(mode, p, mbs, ios, ioPercent, ps.get(p).loadPercent());
        }
        List<IoVcpuSpec> finalIos = new ArrayList<>();
        for (int j = 0; j < ios.size(); j++) {
            IoVcpuSpec io = ios.get(j);
            finalIos.add(new IoVcpuSpec("io" + j + "@p" + io.pcpu(), io.pcpu(), ioPercent[j], io.period()));
        }
        // devices and tasks
        int nio = finalIos.size();
        List<DeviceSpec> devices = new ArrayList<>();
        List<MainSpec> mains = new ArrayList<>();
        for (int i = 0; i < mbs.size(); i++) {
            MainBuilder mb = mbs.get(i);
            Task task;
            if (origin.get(i) instanceof PeriodicDraft d) {
                long maxExec = Math.max(1, mb.budget * d.execPercent() / 100);
                task = new PeriodicTask(maxExec, d.constant(), mb.period * d.offsetPercent() / 100, d.seed());
            } else {
                ClientDraft d = (ClientDraft) origin.get(i);
                DeviceDraft dd = d.device();
                int dev = devices.size();
                int taskIo = dd.taskSel() < 0 ? -1 : dd.taskSel() % nio;
                int boundIo = dd.ioSel() % nio;
                int servingPercent = finalIos.get(taskIo >= 0 ? taskIo : boundIo).percent();
                long maxExec = Math.max(1, mb.budget * d.execPercent() / 100);
                devices.add(device(dd, "dev" + dev, np, nio, servingPercent, d.bytes()));
                if (dd.kind().equals("nic")) {
                    task = new RxTask(dev, 7, maxExec, taskIo, d.seed());
                } else {
                    String op = switch (dd.kind()) {
                        case "disk" -> d.bytes() % 2 == 0 ? "read" : "write";
                        case "sensor" -> "read";
                        default -> "write";
                    };
                    task = new IoTask(dev, op, d.bytes(), maxExec, d.backToBack() ? 0 : mb.period, taskIo, d.seed());
                }
            }
            mains.add(new MainSpec(mb.name, mb.pcpu, mb.budget, mb.period, task));
        }
        if (noiseNic != null) {
            DeviceDraft nd = new DeviceDraft("nic", noiseNic.a(), noiseNic.b(), noiseNic.traffic(), noiseNic.irqSel(), noiseNic.ioSel(), -1, noiseNic.cost());
            devices.add(device(nd, "noise", np, nio, finalIos.get(nd.ioSel() % nio).percent(), 1));
        }
        long maxPeriod = mains.stream().mapToLong(MainSpec::period).max().orElse(100);
        long horizon = Math.clamp(horizonPeriods * maxPeriod, 3_000, 12_000);
        return new IoSystemSpec(mode, np, ioFirst, finalIos, mains, devices, horizon);
    }

    private static DeviceSpec device(DeviceDraft d, String name, int np, int nio, int servingPercent, long requestBytes) {
        int irq = d.irqSel() % np;
        int io = d.ioSel() % nio;
        return switch (d.kind()) {
            case "disk" -> new DiskSpec(name, irq, io, d.cost(), d.a() % 50, d.b() * HZ); // seek < 50, 1..64 bytes per cycle
            case "sensor" -> new SensorSpec(name, irq, io, d.cost(), 5 + d.a(), 8 * d.b()); // period 5..405
            case "actuator" -> new ActuatorSpec(name, irq, io, d.cost(), d.a() % 120);
            default -> {
                TrafficDraft t = d.traffic();
                long gap = t.gap();
                if (t.floodFactor() > 0) {
                    // the bottom half's work per packet arrives factor x U per cycle: gap = cost / (factor U)
                    long cost = d.cost().bottomHalf(t.size());
                    gap = Math.max(1, cost * 100 / ((long) t.floodFactor() * servingPercent));
                }
                yield new NicSpec(name, irq, io, d.cost(), new Traffic(t.kind(), gap, t.on(), t.off(), t.size(), t.floodFactor()),
                        7, (int) (2 + d.b() % 63), d.a() * 31 + d.b());
            }
        };
    }

    /**
     * Budgets of PCPU p's Main VCPUs from the load factor, shared by weight. ADMITTED: the I/O term
     * is first kept to 85% of the bound (shrinking the largest I/O utilisation), the Main VCPUs then
     * get {@code loadPercent}% of what is left, and rounding (budgets of at least one cycle) is undone
     * until the PCPU passes. SPORADIC: the same, the I/O VCPUs counted as Main VCPUs (C = floor(U T)).
     * ANY: {@code loadPercent}% of the bound for the Main VCPUs whatever the I/O VCPUs take.
     */
    private static void setBudgets(Mode mode, int p, List<MainBuilder> all, List<IoVcpuSpec> ios, int[] ioPercent, int loadPercent) {
        List<MainBuilder> mbs = all.stream().filter(m -> m.pcpu == p).toList();
        List<Integer> myIos = new ArrayList<>();
        for (int j = 0; j < ios.size(); j++) {
            if (ios.get(j).pcpu() == p) {
                myIos.add(j);
            }
        }
        int n = mbs.size() + (mode == Mode.SPORADIC ? myIos.size() : 0);
        double bound = Admission.bound(n);
        if (mode != Mode.ANY) {
            while (ioTerm(mode, ios, ioPercent, myIos) > 0.85 * bound && shrinkLargestIo(ioPercent, myIos)) {
                // shrunk one I/O VCPU by a percent
            }
        }
        double target = mode == Mode.ANY ? bound * loadPercent / 100.0
                : (bound - ioTerm(mode, ios, ioPercent, myIos)) * loadPercent / 100.0;
        long weights = mbs.stream().mapToLong(m -> m.weight).sum();
        for (MainBuilder m : mbs) {
            m.budget = Math.clamp((long) Math.floor(target * m.weight / weights * m.period), 1, m.period);
        }
        if (mode == Mode.ANY) {
            return;
        }
        while (!coreLoad(mode, p, mbs, ios, ioPercent, myIos).admitted()) {
            MainBuilder big = mbs.stream().filter(m -> m.budget > 1)
                    .max(Comparator.comparingDouble(m -> m.budget / (double) m.period)).orElse(null);
            if (big != null) {
                big.budget--;
            } else if (!shrinkLargestIo(ioPercent, myIos)) {
                throw new IllegalStateException("cannot admit PCPU " + p);
            }
        }
    }

    private static double ioTerm(Mode mode, List<IoVcpuSpec> ios, int[] ioPercent, List<Integer> myIos) {
        double s = 0;
        for (int j : myIos) {
            double u = ioPercent[j] / 100.0;
            s += mode == Mode.SPORADIC ? Math.max(1, ios.get(j).period() * ioPercent[j] / 100) / (double) ios.get(j).period() : (2 - u) * u;
        }
        return s;
    }

    private static Admission.CoreLoad coreLoad(Mode mode, int p, List<MainBuilder> mbs, List<IoVcpuSpec> ios, int[] ioPercent, List<Integer> myIos) {
        Admission.CoreLoad l = new Admission.CoreLoad(p, 0, 0, 0);
        for (MainBuilder m : mbs) {
            l = l.plusMain(m.budget, m.period);
        }
        for (int j : myIos) {
            l = mode == Mode.SPORADIC
                    ? l.plusMain(Math.max(1, ios.get(j).period() * ioPercent[j] / 100), ios.get(j).period())
                    : l.plusIo(ioPercent[j] / 100.0);
        }
        return l;
    }

    private static boolean shrinkLargestIo(int[] ioPercent, List<Integer> myIos) {
        int best = -1;
        for (int j : myIos) {
            if (ioPercent[j] > 5 && (best < 0 || ioPercent[j] > ioPercent[best])) {
                best = j;
            }
        }
        if (best < 0) {
            return false;
        }
        ioPercent[best]--;
        return true;
    }
}
