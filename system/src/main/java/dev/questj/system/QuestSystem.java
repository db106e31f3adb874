package dev.questj.system;

import dev.questj.guest.Guest;
import dev.questj.kernel.IoSystem;
import dev.questj.kernel.KThread;
import dev.questj.kernel.PibsServer;
import dev.questj.machine.Device;
import dev.questj.system.config.DeviceConfig;
import dev.questj.system.config.IoBindings;
import dev.questj.system.config.KernelSettings;
import dev.questj.system.output.RunLog;
import dev.questj.kernel.Kernel;
import dev.questj.kernel.KernelParams;
import dev.questj.kernel.OverheadModel;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.Vcpu;
import dev.questj.machine.Machine;
import dev.questj.machine.Pcpu;
import dev.questj.sim.Rng;
import dev.questj.system.config.ConfigException;
import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.ThreadConfig;
import dev.questj.system.config.VcpuConfig;
import dev.questj.system.output.MetricsWriter;
import dev.questj.system.output.RunOutputs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The Java API: load a system description, check it, run it.
 *
 * <pre>{@code
 * RunResult r = QuestSystem.load(Path.of("examples/smp-basic.yaml"))
 *         .run(RunOptions.inMemory().withDuration(2_000_000_000L));
 * System.out.println(r.deadlineMisses());
 * }</pre>
 */
public final class QuestSystem {
    /** The sandbox name under which SMP mode's single kernel image reports. */
    public static final String SMP = "smp";

    private final SystemConfig config;

    private QuestSystem(SystemConfig config) {
        this.config = config;
    }

    public static QuestSystem load(Path file) throws ConfigException {
        return new QuestSystem(ConfigReader.read(file));
    }

    public static QuestSystem of(SystemConfig config) {
        return new QuestSystem(config);
    }

    public SystemConfig config() {
        return config;
    }

    /** Placement and admission, without simulating; throws with every refusal located. */
    public Placement check() throws ConfigException {
        Placement p = Placement.of(config);
        for (ThreadConfig t : config.threads()) {
            Guests.create(t).close();
        }
        return p;
    }

    /** Runs the system; with an output directory, writes metrics.json, schedule.jsonl, trace.json and report.html there. */
    public RunResult run(RunOptions options) throws ConfigException, IOException {
        SystemConfig cfg = config;
        if (options.seed().isPresent()) {
            cfg = cfg.withSeed(options.seed().getAsLong());
        }
        if (options.durationCycles().isPresent()) {
            cfg = cfg.withDuration(options.durationCycles().getAsLong());
        }
        Placement placement = Placement.of(cfg);
        // Every guest is created (and a program class found) before any output file is touched,
        // so that a refused run leaves an earlier run's outputs as they were.
        List<Guest> guests = createGuests(cfg);
        Path out = options.outDir();
        RunOutputs outputs = RunOutputs.none();
        try (RunLog runLog = out == null ? RunLog.discard() : openRunLog(out, cfg)) {
            outputs = RunOutputs.open(out, options.effectiveRecording(), cfg);
            RunResult result = simulate(cfg, placement, guests, outputs.sink(), options, outputs, runLog);
            if (out != null) {
                MetricsWriter.write(out.resolve("metrics.json"), result);
                RunOutputs.writeReport(out);
            }
            return result;
        } finally {
            guests.forEach(Guest::close);
            outputs.close();
        }
    }

    private static List<Guest> createGuests(SystemConfig cfg) throws ConfigException {
        List<Guest> guests = new ArrayList<>();
        try {
            for (ThreadConfig t : cfg.threads()) {
                guests.add(Guests.create(t));
            }
        } catch (ConfigException e) {
            guests.forEach(Guest::close);
            throw e;
        }
        return guests;
    }

    private static RunLog openRunLog(Path out, SystemConfig cfg) throws IOException {
        Files.createDirectories(out);
        return RunLog.to(out.resolve("log.txt"), cfg.machine().frequencyHz());
    }

    private static RunResult simulate(SystemConfig cfg, Placement placement, List<Guest> guests, ScheduleSink sink,
            RunOptions options, RunOutputs outputs, RunLog runLog) throws IOException {
        var mc = cfg.machine();
        Machine machine = new Machine(mc.cores(), mc.smt(), mc.frequencyHz(), mc.memoryBytes());
        var o = cfg.overheads();
        KernelParams params = new KernelParams(cfg.kernel().quantumCycles(), cfg.kernel().maxReplenishments(),
                new OverheadModel(o.contextSwitch(), o.schedule(), o.timerInterrupt(), o.ipi()), options.checkInvariants());
        List<Integer> all = machine.pcpus().stream().map(Pcpu::id).toList();
        Kernel kernel = new Kernel(SMP, machine, all, params, sink);
        kernel.setLogSink((time, thread, message) -> runLog.line(time, thread == null ? "kernel" : thread.name(), message));
        Rng rng = new Rng(cfg.seed());
        Map<String, Vcpu> vcpus = createVcpus(cfg, placement, kernel, rng);
        List<Device> devices = Devices.build(cfg, machine, rng, line -> runLog.line(machine.now(), "serial", line));
        Map<String, String> ioVcpuOf = IoBindings.byDevice(cfg);
        for (int i = 0; i < devices.size(); i++) {
            DeviceConfig dc = cfg.machine().devices().get(i);
            String io = ioVcpuOf.get(dc.name());
            var c = dc.driver();
            kernel.attachDevice(devices.get(i), new IoSystem.DriverCost(c.topHalfCycles(), c.perRequestCycles(), c.perKiBCycles()),
                    io == null ? null : vcpus.get(io));
        }
        for (int i = 0; i < cfg.threads().size(); i++) {
            ThreadConfig t = cfg.threads().get(i);
            KThread k = kernel.createThread(t.name(), vcpus.get(t.vcpu()), guests.get(i), rng.stream("thread:" + t.name()));
            if (t.ioVcpu() != null) {
                kernel.setTaskIoVcpu(k, vcpus.get(t.ioVcpu()));
            }
        }
        long end = cfg.durationCycles();
        long wallStart = System.nanoTime();
        kernel.start();
        devices.forEach(Device::start);
        Progress progress = new Progress(options.progress() ? System.err : null, machine.clock().hz(), end, wallStart);
        long step = Math.max(1, end / 200);
        for (long t = Math.min(step, end); ; t = Math.min(t + step, end)) {
            machine.queue().runBefore(t);
            progress.update(t, machine.queue().firedCount());
            if (t == end) {
                break;
            }
        }
        kernel.finish();
        double wall = (System.nanoTime() - wallStart) / 1e9;
        progress.done();
        String digest = outputs.finish();
        return collect(cfg, placement, machine, kernel, wall, digest);
    }

    private static Map<String, Vcpu> createVcpus(SystemConfig cfg, Placement placement, Kernel kernel, Rng rng) {
        Map<String, Vcpu> vcpus = new HashMap<>();
        boolean sporadicIo = cfg.kernel().ioVcpus() == KernelSettings.IoVcpuMode.SPORADIC;
        for (int i = 0; i < cfg.vcpus().size(); i++) {
            VcpuConfig v = cfg.vcpus().get(i);
            int pcpu = placement.pcpuOf(i);
            Vcpu created = v.isIo()
                    ? kernel.createIoVcpu(v.name(), v.utilisationPpm(), VcpuConfig.PPM, v.periodCycles(), pcpu, sporadicIo,
                            rng.stream("vcpu:" + v.name()))
                    : kernel.createMainVcpu(v.name(), v.budgetCycles(), v.periodCycles(), pcpu);
            vcpus.put(v.name(), created);
        }
        return vcpus;
    }

    /** A percentile from the histogram, kept inside the exact [min, max] (the histogram rounds to 3 digits). */
    private static long percentile(KThread t, double p) {
        return Math.clamp(t.responseTimes().getValueAtPercentile(p), t.minResponseTime(), t.maxResponseTime());
    }

    private static RunResult collect(SystemConfig cfg, Placement placement, Machine machine, Kernel kernel, double wall,
            String digest) {
        List<RunResult.CoreResult> cores = new ArrayList<>();
        for (Pcpu p : machine.pcpus()) {
            var load = placement.loads().get(p.id());
            long busy = kernel.vcpusOn(p.id()).stream().mapToLong(Vcpu::consumedCycles).sum();
            cores.add(new RunResult.CoreResult(p.id(), p.core(), p.hardwareThread(), load.mainVcpus(), load.total(),
                    load.bound(), load.admitted(), busy, kernel.schedulingPasses(p.id()), kernel.contextSwitches(p.id())));
        }
        List<RunResult.VcpuResult> vcpus = new ArrayList<>();
        for (int i = 0; i < kernel.vcpus().size(); i++) {
            Vcpu v = kernel.vcpus().get(i);
            VcpuConfig vc = cfg.vcpus().get(i);
            List<Long> inherited = v.server() instanceof PibsServer pibs ? List.copyOf(pibs.periodsSeen()) : List.of();
            vcpus.add(new RunResult.VcpuResult(v.sandbox(), v.name(), v.kind().label(), v.pcpuId(),
                    vc.isIo() ? 0 : vc.budgetCycles(), vc.periodCycles(), vc.utilisation(), v.consumedCycles(),
                    v.maxWindowUsage(), inherited));
        }
        List<RunResult.ThreadResult> threads = new ArrayList<>();
        for (int i = 0; i < kernel.threads().size(); i++) {
            KThread t = kernel.threads().get(i);
            Histogram h = t.responseTimes();
            boolean any = h.getTotalCount() > 0;
            threads.add(new RunResult.ThreadResult(t.vcpu().sandbox(), t.name(), t.vcpu().name(),
                    Guests.modelName(cfg.threads().get(i).model()), t.jobsReleased(), t.jobsCompleted(),
                    t.deadlineMisses(), t.unfinishedMissed(),
                    any ? t.minResponseTime() : null, any ? percentile(t, 50) : null,
                    any ? percentile(t, 99) : null, any ? t.maxResponseTime() : null, t.cpuCycles(), t.faultReason(),
                    any ? ResponseHistogram.of(h, t.minResponseTime(), t.maxResponseTime()) : null));
        }
        List<RunResult.DeviceResult> devices = new ArrayList<>();
        for (IoSystem.Driver d : kernel.io().drivers()) {
            Histogram h = d.latency();
            boolean any = h.getTotalCount() > 0;
            Device dev = d.device();
            devices.add(new RunResult.DeviceResult(dev.name(), dev.type(), dev.irqPcpu(),
                    d.ioVcpu() == null ? null : d.ioVcpu().name(), dev.requests(), dev.interrupts(), dev.bytes(),
                    dev.dropped(), d.unclaimed(), d.completions(), any ? h.getValueAtPercentile(50) : null,
                    any ? h.getValueAtPercentile(99) : null, any ? h.getMaxValue() : null));
        }
        return new RunResult(cfg, machine.now(), machine.queue().firedCount(), wall, digest, cores, vcpus, threads, devices);
    }

    /** A progress line on stderr, only once a run has taken more than about two seconds of wall time. */
    private static final class Progress {
        private final PrintStream err;
        private final long hz;
        private final long end;
        private final long wallStart;
        private long lastPrint;
        private boolean printed;

        Progress(PrintStream err, long hz, long end, long wallStart) {
            this.err = err;
            this.hz = hz;
            this.end = end;
            this.wallStart = wallStart;
        }

        void update(long simulated, long events) {
            if (err == null) {
                return;
            }
            long nowWall = System.nanoTime();
            if (nowWall - wallStart < 2_000_000_000L || nowWall - lastPrint < 500_000_000L) {
                return;
            }
            lastPrint = nowWall;
            printed = true;
            double wall = (nowWall - wallStart) / 1e9;
            err.printf(java.util.Locale.ROOT, "\r[%3d%%] simulated %.3f s of %.3f s, %.2f M events/s   ",
                    end == 0 ? 100 : (int) (100.0 * simulated / end), simulated / (double) hz, end / (double) hz,
                    events / wall / 1e6);
            err.flush();
        }

        void done() {
            if (printed) {
                err.println();
            }
        }
    }
}
