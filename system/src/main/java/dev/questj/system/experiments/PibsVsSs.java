package dev.questj.system.experiments;

import dev.questj.system.QuestSystem;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import dev.questj.system.config.ConfigException;
import dev.questj.system.config.DeviceConfig;
import dev.questj.system.config.DeviceModel;
import dev.questj.system.config.ExecTime;
import dev.questj.system.config.KernelSettings;
import dev.questj.system.config.Location;
import dev.questj.system.config.MachineConfig;
import dev.questj.system.config.OverheadsConfig;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.TaskModel;
import dev.questj.system.config.ThreadConfig;
import dev.questj.system.config.VcpuConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shape of the RTAS 2011 comparison of I/O VCPUs as PIBS against I/O VCPUs as sporadic servers:
 * on one PCPU, a CPU-bound Main VCPU with a fixed guarantee (a 3 ms job every 10 ms in a (4 ms, 10 ms)
 * VCPU) beside network reception (a receiver thread in a (1 ms, 5 ms) Main VCPU, 10 us per packet)
 * whose interrupts are served by a 10% I/O VCPU (as a sporadic server: 1 ms every 10 ms), at rising
 * Poisson packet rates of 1500-byte packets (bottom half: 10 us + 1 us per KiB = 12 us a packet, so
 * the I/O VCPU's 10% carries at most about 8,300 packets a second). Admission: 0.4 + 0.2 +
 * (2 - 0.1) 0.1 = 0.79 against the bound 0.83 for two Main VCPUs. Kernel overheads are on (schedule 1 us, context switch 1 us, timer
 * interrupt 0.5 us), since PIBS's claimed advantage is cost. Reported per rate and policy: packets
 * delivered per second, drops, I/O latency (arrival at the NIC to the bottom half's end), the
 * I/O VCPU's share, and whether the CPU-bound thread kept every deadline.
 */
public final class PibsVsSs {
    private static final long HZ = 1_000_000_000L;
    private static final long US = HZ / 1_000_000;
    private static final long MS = HZ / 1000;

    /** One measured point. */
    public record Row(double rate, KernelSettings.IoVcpuMode mode, long arrived, long delivered, long dropped,
            double deliveredPerSecond, Long latencyP50, Long latencyP99, double ioShare, double passesPerSecond,
            long cpuMisses, long cpuJobs) {}

    private PibsVsSs() {}

    public static SystemConfig system(double packetsPerSecond, KernelSettings.IoVcpuMode mode, long durationCycles, long seed) {
        var nic = new DeviceConfig("eth0", 0, new DeviceConfig.DriverCost(2 * US, 10 * US, 1 * US),
                new DeviceModel.Nic(new DeviceModel.Arrivals.Poisson(packetsPerSecond, 1500, 7), 125_000_000, 256),
                Location.NONE);
        var machine = new MachineConfig(1, 1, HZ, MachineConfig.DEFAULT_MEMORY, List.of(nic), Location.NONE);
        var vcpus = List.of(
                new VcpuConfig("cpu", 4 * MS, 10 * MS, 0, Location.NONE),
                new VcpuConfig("net", 1 * MS, 5 * MS, 0, Location.NONE),
                new VcpuConfig("nic-io", VcpuConfig.Kind.IO, 0, 10 * MS, 100_000, List.of("eth0"), List.of(), 0, Location.NONE));
        var threads = List.of(
                new ThreadConfig("crunch", "cpu", new TaskModel.Periodic(10 * MS, 10 * MS, new ExecTime.Constant(3 * MS), 0), Location.NONE),
                new ThreadConfig("rx", "net", new TaskModel.NetworkReceiver("eth0", 7, new ExecTime.Constant(10 * US), 0), Location.NONE));
        var kernel = new KernelSettings(MS, 32, KernelSettings.Admission.ENFORCE, mode);
        var overheads = new OverheadsConfig(1 * US, 1 * US, US / 2, 1 * US);
        return new SystemConfig("<experiment pibs-vs-ss>", "pibs-vs-ss", seed, durationCycles, machine, overheads, kernel,
                vcpus, threads);
    }

    public static List<Row> run(List<Double> rates, long durationCycles, long seed) throws ConfigException, IOException {
        List<Row> rows = new ArrayList<>();
        for (double rate : rates) {
            for (KernelSettings.IoVcpuMode mode : KernelSettings.IoVcpuMode.values()) {
                RunResult r = QuestSystem.of(system(rate, mode, durationCycles, seed)).run(RunOptions.inMemory());
                rows.add(row(rate, mode, r));
            }
        }
        return rows;
    }

    private static Row row(double rate, KernelSettings.IoVcpuMode mode, RunResult r) {
        RunResult.DeviceResult nic = r.devices().getFirst();
        RunResult.ThreadResult rx = r.thread("rx");
        RunResult.ThreadResult crunch = r.thread("crunch");
        long arrived = nic.bytes() / 1500 + nic.dropped();
        double seconds = r.simulatedCycles() / (double) HZ;
        return new Row(rate, mode, arrived, rx.completed(), nic.dropped() + nic.unclaimed(), rx.completed() / seconds,
                nic.latencyP50(), nic.latencyP99(), r.vcpu("nic-io").consumed() / (double) r.simulatedCycles(),
                r.cores().getFirst().schedulingPasses() / seconds, crunch.deadlineMisses(), crunch.completed());
    }

    /** The rows as a Markdown table. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| packets/s offered | I/O VCPU | delivered/s | dropped | I/O latency p50 | I/O latency p99 | I/O VCPU share | scheduling passes/s | CPU-bound thread: jobs, misses |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %,.0f | %s | %,.0f | %,d | %s | %s | %.1f%% | %,.0f | %d, %s |%n", r.rate(),
                    r.mode() == KernelSettings.IoVcpuMode.PIBS ? "PIBS" : "sporadic server", r.deliveredPerSecond(),
                    r.dropped(), micros(r.latencyP50()), micros(r.latencyP99()), 100 * r.ioShare(), r.passesPerSecond(), r.cpuJobs(),
                    r.cpuMisses() == 0 ? "0 (guarantee held)" : r.cpuMisses() + " MISSED"));
        }
        return sb.toString();
    }

    private static String micros(Long cycles) {
        return cycles == null ? "-" : String.format(Locale.ROOT, "%,.0f us", cycles / (double) US);
    }
}
