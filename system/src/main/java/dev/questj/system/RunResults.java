package dev.questj.system;

import dev.questj.kernel.IoSystem;
import dev.questj.kernel.KThread;
import dev.questj.kernel.Kernel;
import dev.questj.kernel.PibsServer;
import dev.questj.kernel.Vcpu;
import dev.questj.machine.Device;
import dev.questj.machine.Machine;
import dev.questj.machine.Pcpu;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.ThreadConfig;
import dev.questj.system.config.VcpuConfig;
import dev.questj.vmm.Channel;
import dev.questj.vmm.Isolation;
import dev.questj.vmm.Monitor;
import dev.questj.vmm.QuestV;
import dev.questj.vmm.Sandbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Collects a finished run's {@link RunResult} from the kernels, devices and monitors. */
final class RunResults {
    private RunResults() {}

    static RunResult collect(SystemConfig cfg, Placement placement, Machine machine, List<Kernel> kernels, QuestV vmm,
            double wall, String digest, List<dev.questj.vmm.Migration.Outcome> migrations) {
        List<Part> parts = Part.of(cfg);
        // by name: a migrated thread is listed by the kernel it ended in, not the sandbox it was configured in
        Map<String, ThreadConfig> threadConfigs = new LinkedHashMap<>();
        Part.allThreads(cfg).forEach(t -> threadConfigs.put(t.name(), t));
        List<RunResult.CoreResult> cores = new ArrayList<>();
        for (Pcpu p : machine.pcpus()) {
            var load = placement.loads().get(p.id());
            Kernel owner = ownerOf(kernels, p.id());
            long busy = owner == null ? 0 : owner.vcpusOn(p.id()).stream().mapToLong(Vcpu::consumedCycles).sum();
            cores.add(new RunResult.CoreResult(p.id(), p.core(), p.hardwareThread(), load.mainVcpus(), load.total(),
                    load.bound(), load.admitted(), busy, owner == null ? 0 : owner.schedulingPasses(p.id()),
                    owner == null ? 0 : owner.contextSwitches(p.id())));
        }
        List<RunResult.VcpuResult> vcpus = new ArrayList<>();
        List<RunResult.ThreadResult> threads = new ArrayList<>();
        List<RunResult.DeviceResult> devices = new ArrayList<>();
        List<RunResult.SandboxResult> sandboxes = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            Kernel kernel = kernels.get(k);
            Part part = parts.get(k);
            for (int i = 0; i < kernel.vcpus().size(); i++) {
                vcpus.add(vcpu(kernel.vcpus().get(i), part.vcpus().get(i)));
            }
            long misses = 0;
            for (int i = 0; i < kernel.threads().size(); i++) {
                KThread kt = kernel.threads().get(i);
                RunResult.ThreadResult t = thread(kt, threadConfigs.get(kt.name()));
                misses += t.deadlineMisses();
                threads.add(t);
            }
            for (IoSystem.Driver d : kernel.io().drivers()) {
                devices.add(device(d));
            }
            Sandbox s = vmm == null ? null : vmm.sandboxes().get(k);
            String state = s == null || !vmm.faults().isDown(s) ? "running" : "down";
            sandboxes.add(new RunResult.SandboxResult(part.name(), part.isLinux() ? "linux" : "quest", part.cores(),
                    part.memoryBytes(), part.devices(), state, s == null ? 0 : s.bootCycles(), misses,
                    s == null ? 0 : s.monitor().exits(dev.questj.vmm.Monitor.ExitReason.EPT_VIOLATION),
                    s == null ? 0 : vmm.faults().restarts(s), s == null ? 0 : vmm.faults().downtime(s)));
        }
        return new RunResult(cfg, machine.now(), machine.queue().firedCount(), wall, digest, cores, vcpus, threads, devices,
                sandboxes, channels(vmm), isolation(cfg, vmm), vmExits(vmm), migrations, faults(vmm));
    }

    private static List<RunResult.FaultResult> faults(QuestV vmm) {
        List<RunResult.FaultResult> out = new ArrayList<>();
        if (vmm == null) {
            return out;
        }
        for (dev.questj.vmm.Faults.Report r : vmm.faults().reports()) {
            out.add(new RunResult.FaultResult(r.kind().label(), r.sandbox(), r.target(), r.injectedAt(), r.detectedAt(),
                    r.detectedBy(), r.recoveredAt(), r.recoveryCycles(), r.outcome().label(), r.pagesRestored(),
                    r.threadsRestarted(), r.note()));
        }
        return out;
    }

    private static Kernel ownerOf(List<Kernel> kernels, int pcpu) {
        for (Kernel k : kernels) {
            if (k.pcpus().contains(pcpu)) {
                return k;
            }
        }
        return null;
    }

    private static RunResult.VcpuResult vcpu(Vcpu v, VcpuConfig vc) {
        List<Long> inherited = v.server() instanceof PibsServer pibs ? List.copyOf(pibs.periodsSeen()) : List.of();
        return new RunResult.VcpuResult(v.sandbox(), v.name(), v.kind().label(), v.pcpuId(), vc.isIo() ? 0 : vc.budgetCycles(),
                vc.periodCycles(), vc.utilisation(), v.consumedCycles(), v.maxWindowUsage(), inherited);
    }

    private static RunResult.ThreadResult thread(KThread t, ThreadConfig tc) {
        Histogram h = t.responseTimes();
        boolean any = h.getTotalCount() > 0;
        return new RunResult.ThreadResult(t.vcpu().sandbox(), t.name(), t.vcpu().name(), Guests.modelName(tc.model()),
                t.jobsReleased(), t.jobsCompleted(), t.deadlineMisses(), t.unfinishedMissed(),
                any ? t.minResponseTime() : null, any ? percentile(t, 50) : null, any ? percentile(t, 99) : null,
                any ? t.maxResponseTime() : null, t.cpuCycles(), t.faultReason(),
                any ? ResponseHistogram.of(h, t.minResponseTime(), t.maxResponseTime()) : null, t.incarnations(),
                t.jobsAbandoned(), t.completedThisIncarnation());
    }

    /** A percentile from the histogram, kept inside the exact [min, max] (the histogram rounds to 3 digits). */
    private static long percentile(KThread t, double p) {
        return Math.clamp(t.responseTimes().getValueAtPercentile(p), t.minResponseTime(), t.maxResponseTime());
    }

    private static RunResult.DeviceResult device(IoSystem.Driver d) {
        Histogram h = d.latency();
        boolean any = h.getTotalCount() > 0;
        Device dev = d.device();
        return new RunResult.DeviceResult(dev.name(), dev.type(), dev.irqPcpu(), d.ioVcpu() == null ? null : d.ioVcpu().name(),
                dev.requests(), dev.interrupts(), dev.bytes(), dev.dropped(), d.unclaimed(), d.completions(),
                any ? h.getValueAtPercentile(50) : null, any ? h.getValueAtPercentile(99) : null, any ? h.getMaxValue() : null);
    }

    private static List<RunResult.ChannelResult> channels(QuestV vmm) {
        List<RunResult.ChannelResult> out = new ArrayList<>();
        if (vmm == null) {
            return out;
        }
        for (Channel c : vmm.channels()) {
            Histogram h = c.latencies();
            boolean any = h.getTotalCount() > 0;
            out.add(new RunResult.ChannelResult(c.name(), c.kind() == Channel.Kind.RING ? "ring" : "four-slot", c.from().name(),
                    c.to().name(), c.sent(), c.delivered(), c.refused(), c.lost(), c.corrupted(),
                    any ? h.getValueAtPercentile(50) : null, any ? h.getValueAtPercentile(99) : null, any ? h.getMaxValue() : null,
                    c.retransmitted(), c.returned(),
                    c.isSevered() ? c.severedAt() : null, c.discardedAtSeverance(), c.refusedAfterSeverance()));
        }
        return out;
    }

    private static RunResult.IsolationResult isolation(SystemConfig cfg, QuestV vmm) {
        Map<String, Map<String, Long>> byKind = new LinkedHashMap<>();
        if (vmm == null) {
            return new RunResult.IsolationResult(false, false, false, byKind, 0, 0, 0, Map.of());
        }
        Isolation iso = vmm.isolation();
        long blocked = 0;
        for (Isolation.Kind k : Isolation.Kind.values()) {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("attempts", iso.attempts(k));
            m.put("blocked", iso.blocked(k));
            for (Isolation.Blocker b : Isolation.Blocker.values()) {
                if (iso.blocked(k, b) > 0) {
                    m.put("blockedBy" + camel(b.name()), iso.blocked(k, b));
                }
            }
            m.put("breaches", iso.breaches(k));
            blocked += iso.blocked(k);
            byKind.put(camel(k.name()).substring(0, 1).toLowerCase(Locale.ROOT) + camel(k.name()).substring(1), m);
        }
        var p = vmm.protection();
        return new RunResult.IsolationResult(p.ept(), p.iommu(), p.interruptRemapping(), byKind, iso.totalAttempts(), blocked,
                iso.totalBreaches(), vmm.sharedFrames());
    }

    private static String camel(String enumName) {
        StringBuilder sb = new StringBuilder();
        for (String w : enumName.split("_")) {
            sb.append(w.charAt(0)).append(w.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private static RunResult.VmExitResult vmExits(QuestV vmm) {
        Map<String, Long> byReason = new LinkedHashMap<>();
        long total = 0;
        long after = 0;
        boolean removed = false;
        if (vmm != null) {
            for (Monitor.ExitReason r : Monitor.ExitReason.values()) {
                long n = vmm.sandboxes().stream().mapToLong(s -> s.monitor().exits(r)).sum();
                byReason.put(r.label(), n);
                total += n;
            }
            after = vmm.sandboxes().stream().mapToLong(s -> s.monitor().exitsAfterBoot()).sum();
            removed = vmm.sandboxes().stream().noneMatch(s -> s.monitor().isPresent());
        }
        return new RunResult.VmExitResult(byReason, total, after, removed);
    }
}
