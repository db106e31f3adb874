package dev.questj.system;

import dev.questj.guest.Guest;
import dev.questj.kernel.IoSystem;
import dev.questj.kernel.KThread;
import dev.questj.kernel.PibsServer;
import dev.questj.machine.Device;
import dev.questj.system.config.ChannelConfig;
import dev.questj.system.config.DeviceConfig;
import dev.questj.system.config.TaskModel;
import dev.questj.vmm.Channel;
import dev.questj.vmm.Faults;
import dev.questj.system.config.FaultConfig;
import dev.questj.vmm.QuestV;
import dev.questj.vmm.Sandbox;
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

    /**
     * The same system with the channel severances of {@code specs} ({@code "at=3s channel=telemetry"},
     * as {@code quest run --sever} takes them) added to the file's; checked as the file's are.
     */
    public QuestSystem withSeverances(List<String> specs) throws ConfigException {
        return new QuestSystem(dev.questj.system.config.SeveranceSpec.apply(config, specs));
    }

    /**
     * Warnings about the system itself (not its load): a Quest-V system with a hardware protection
     * switched off is not isolated, and says so.
     */
    public List<String> warnings() {
        var q = config.questV();
        if (!q.enabled() || q.protection().isFull()) {
            return List.of();
        }
        var p = q.protection();
        return List.of(config.source() + ": INSECURE: protections off:" + (p.ept() ? "" : " EPT") + (p.iommu() ? "" : " IOMMU")
                + (p.interruptRemapping() ? "" : " interrupt-remapping")
                + "; sandboxes are NOT isolated and breaches will be counted, not prevented");
    }

    /** Every VCPU, sandbox by sandbox in Quest-V mode (the numbering of {@link Placement#pcpuOf}). */
    public List<VcpuConfig> vcpus() {
        return Part.allVcpus(Migrations.withMigrationVcpus(config)); // with the migration VCPUs, as placed
    }

    /** Every thread, sandbox by sandbox in Quest-V mode. */
    public List<ThreadConfig> threads() {
        return Part.allThreads(config);
    }

    /**
     * The same system with more migration requests (the command line's {@code --migrate}), checked
     * as the file's are; see {@link Migrations#parse}.
     */
    public QuestSystem withMigrations(List<dev.questj.system.config.MigrationConfig.Request> requests) throws ConfigException {
        return new QuestSystem(Migrations.plus(config, requests));
    }

    /** Placement and admission, without simulating; throws with every refusal located. */
    public Placement check() throws ConfigException {
        Placement p = Placement.of(Migrations.withMigrationVcpus(config));
        for (ThreadConfig t : Part.allThreads(config)) {
            Guests.create(t, config.machine().frequencyHz()).close();
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
        cfg = Migrations.withMigrationVcpus(cfg);
        Placement placement = Placement.of(cfg);
        // Every guest is created (and a program class found) before any output file is touched,
        // so that a refused run leaves an earlier run's outputs as they were.
        List<Guest> guests = createGuests(cfg);
        Path out = options.outDir();
        RunOutputs outputs = RunOutputs.none();
        try (RunLog runLog = out == null ? RunLog.discard() : openRunLog(out, cfg)) {
            outputs = RunOutputs.open(out, options.effectiveRecording(), cfg, sandboxOfPcpu(cfg));
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

    /** The sandbox that owns each PCPU, for the trace's processes ("unowned" for a PCPU no sandbox has). */
    private static java.util.function.IntFunction<String> sandboxOfPcpu(SystemConfig cfg) {
        String[] owner = new String[cfg.machine().pcpus()];
        java.util.Arrays.fill(owner, "unowned");
        for (Part part : Part.of(cfg)) {
            for (int c : part.cores()) {
                owner[c] = part.name();
            }
        }
        return p -> p >= 0 && p < owner.length ? owner[p] : "unowned";
    }

    private static List<Guest> createGuests(SystemConfig cfg) throws ConfigException {
        List<Guest> guests = new ArrayList<>();
        try {
            for (ThreadConfig t : Part.allThreads(cfg)) {
                guests.add(Guests.create(t, cfg.machine().frequencyHz()));
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
        Rng rng = new Rng(cfg.seed());
        List<Device> devices = Devices.build(cfg, machine, rng, line -> runLog.line(machine.now(), "serial", line));
        QuestV vmm = cfg.questV().enabled() ? questV(cfg, machine, sink) : null;
        List<Kernel> kernels = new ArrayList<>();
        int vcpuIndex = 0;
        int threadIndex = 0;
        for (Part part : Part.of(cfg)) {
            Kernel kernel = new Kernel(part.name(), machine, part.cores(), params, sink);
            kernel.setLogSink((time, thread, message) -> runLog.line(time, thread == null ? part.name() : thread.name(), message));
            Sandbox sandbox = null;
            if (vmm != null) {
                sandbox = vmm.addSandbox(part.name(), part.cores(), part.memoryBytes());
                vmm.attachKernel(sandbox, kernel);
            }
            Map<String, Vcpu> vcpus = createVcpus(cfg, part, placement, vcpuIndex, kernel, rng);
            attachDevices(cfg, part, devices, vcpus, kernel, vmm, sandbox);
            for (ThreadConfig t : part.threads()) {
                KThread k = kernel.createThread(t.name(), vcpus.get(t.vcpu()), guests.get(threadIndex++),
                        rng.stream("thread:" + t.name()));
                if (t.ioVcpu() != null) {
                    kernel.setTaskIoVcpu(k, vcpus.get(t.ioVcpu()));
                }
                if (part.isLinux()) {
                    kernel.setNice(k, part.linux().niceOf(t.name()));
                }
                if (t.model() instanceof TaskModel.WildWriter w) {
                    k.setKernelPrivilege(w.kernelPrivilege());
                }
            }
            vcpuIndex += part.vcpus().size();
            kernels.add(kernel);
        }
        if (vmm != null) {
            for (Device d : devices) {
                vmm.addDevice(d);
            }
            addChannels(cfg, vmm);
            configureFaults(cfg, vmm, rng);
        }
        var migration = Migrations.setUp(cfg, vmm, kernels, sink, (time, who, message) -> runLog.line(time, who, message), rng);
        long end = cfg.durationCycles();
        long wallStart = System.nanoTime();
        if (vmm != null) {
            vmm.boot();
        } else {
            kernels.forEach(Kernel::start);
        }
        devices.forEach(Device::start);
        Progress progress = new Progress(options.progress() && !options.realtime() ? System.err : null, machine.clock().hz(), end,
                wallStart);
        if (options.realtime()) {
            try (HostBridge bridge = vmm == null ? null : HostBridge.open(cfg, vmm, runLog)) {
                if (bridge != null && options.progress()) {
                    bridge.paths().forEach(p -> System.err.println("quest: host endpoint listening on unix:" + p));
                }
                Realtime.run(machine, end, bridge);
                if (bridge != null) {
                    bridge.summary().forEach(line -> runLog.line(machine.now(), "host", line));
                }
            }
        } else {
            long step = Math.max(1, end / 200);
            for (long t = Math.min(step, end); ; t = Math.min(t + step, end)) {
                machine.queue().runBefore(t);
                progress.update(t, machine.queue().firedCount());
                if (t == end) {
                    break;
                }
            }
        }
        kernels.forEach(Kernel::finish);
        if (vmm != null) {
            vmm.finish(end);
        }
        if (migration != null) {
            migration.finish();
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        progress.done();
        String digest = outputs.finish();
        return RunResults.collect(cfg, placement, machine, kernels, vmm, wall, digest,
                migration == null ? List.of() : migration.outcomes());
    }

    private static QuestV questV(SystemConfig cfg, Machine machine, ScheduleSink sink) {
        var q = cfg.questV();
        var p = q.protection();
        return new QuestV(machine, new QuestV.Protection(p.ept(), p.iommu(), p.interruptRemapping()), q.vmExitCycles(),
                q.monitors().removeAfterBoot(), sink);
    }

    /**
     * Each sandbox's recovery policy and watchdog, the guests a recovery restarts threads with, and
     * the faults to inject.
     */
    private static void configureFaults(SystemConfig cfg, QuestV vmm, Rng rng) {
        var faults = vmm.faults();
        Map<String, Sandbox> byName = new HashMap<>();
        vmm.sandboxes().forEach(s -> byName.put(s.name(), s));
        Map<String, ThreadConfig> threads = new HashMap<>();
        for (var sc : cfg.questV().sandboxes()) {
            var r = sc.recovery();
            var w = sc.watchdog();
            faults.configure(byName.get(sc.name()), new Faults.Policy(r.restart(), r.maxRestarts()),
                    w == null ? null : new Faults.Watchdog(w.heartbeatCycles(), w.timeoutCycles()));
            sc.threads().forEach(t -> threads.put(t.name(), t));
        }
        long hz = cfg.machine().frequencyHz();
        faults.setRestarter((sandbox, thread) -> {
            ThreadConfig tc = threads.get(thread.name());
            if (tc == null || !tc.restartable()) {
                return null;
            }
            try {
                return Guests.restarted(tc, hz, thread.now());
            } catch (ConfigException e) {
                throw new IllegalStateException("thread " + tc.name() + " was created once and cannot be again: " + e.getMessage(), e);
            }
        });
        faults.setRandom(rng.stream("faults"));
        for (FaultConfig f : cfg.questV().faults()) {
            faults.inject(f.atCycles(), byName.get(f.sandbox()), Faults.Kind.of(f.kind()), f.target());
        }
    }

    private static void addChannels(SystemConfig cfg, QuestV vmm) {
        Map<String, Sandbox> byName = new HashMap<>();
        vmm.sandboxes().forEach(s -> byName.put(s.name(), s));
        for (ChannelConfig c : cfg.questV().channels()) {
            vmm.addChannel(c.name(), c.kind() == ChannelConfig.Kind.RING ? Channel.Kind.RING : Channel.Kind.FOUR_SLOT,
                    byName.get(c.from()), byName.get(c.to()), c.bidirectional(), c.sizeBytes(), c.latencyCycles(),
                    c.doorbell(), c.pollCycles(), c.isStatic());
        }
        for (var s : cfg.questV().mils().severances()) {
            vmm.severAt(s.channel(), s.atCycles());
        }
    }

    /** The part's devices get drivers in its kernel, served by its I/O VCPUs; in Quest-V they join its sandbox. */
    private static void attachDevices(SystemConfig cfg, Part part, List<Device> devices, Map<String, Vcpu> vcpus,
            Kernel kernel, QuestV vmm, Sandbox sandbox) {
        Map<String, String> ioVcpuOf = IoBindings.byDevice(cfg.machine(), part.vcpus());
        for (int i = 0; i < devices.size(); i++) {
            DeviceConfig dc = cfg.machine().devices().get(i);
            if (!part.devices().contains(dc.name())) {
                continue;
            }
            String io = ioVcpuOf.get(dc.name());
            var c = dc.driver();
            kernel.attachDevice(devices.get(i), new IoSystem.DriverCost(c.topHalfCycles(), c.perRequestCycles(), c.perKiBCycles()),
                    io == null ? null : vcpus.get(io));
            if (vmm != null) {
                vmm.assignDevice(devices.get(i), sandbox);
            }
        }
    }

    private static Map<String, Vcpu> createVcpus(SystemConfig cfg, Part part, Placement placement, int first, Kernel kernel,
            Rng rng) {
        Map<String, Vcpu> vcpus = new HashMap<>();
        boolean sporadicIo = cfg.kernel().ioVcpus() == KernelSettings.IoVcpuMode.SPORADIC;
        for (int i = 0; i < part.vcpus().size(); i++) {
            VcpuConfig v = part.vcpus().get(i);
            int pcpu = placement.pcpuOf(first + i);
            String stream = part.name().equals(SMP) ? "vcpu:" + v.name() : "vcpu:" + part.name() + "/" + v.name();
            if (part.isLinux()) {
                vcpus.put(v.name(), kernel.createFairVcpu(v.name(), pcpu, part.linux().latencyCycles(),
                        part.linux().minGranularityCycles()));
                continue;
            }
            Vcpu created = v.isIo()
                    ? kernel.createIoVcpu(v.name(), v.utilisationPpm(), VcpuConfig.PPM, v.periodCycles(), pcpu, sporadicIo,
                            rng.stream(stream))
                    : kernel.createMainVcpu(v.name(), v.budgetCycles(), v.periodCycles(), pcpu);
            vcpus.put(v.name(), created);
        }
        return vcpus;
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
