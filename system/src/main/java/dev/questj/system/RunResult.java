package dev.questj.system;

import dev.questj.system.config.SystemConfig;
import java.util.List;

/**
 * What a run promised and what it got, per PCPU, VCPU and thread; the source of metrics.json and
 * of the summary table. Times in cycles.
 *
 * @param config          the system as run (seed and duration as actually used)
 * @param simulatedCycles the simulated time
 * @param events          events the simulation processed
 * @param wallSeconds     wall-clock time of the simulation loop (the only non-deterministic field)
 * @param traceDigest     SHA-256 of schedule.jsonl, or null when it was not recorded
 */
public record RunResult(
        SystemConfig config,
        long simulatedCycles,
        long events,
        double wallSeconds,
        String traceDigest,
        List<CoreResult> cores,
        List<VcpuResult> vcpus,
        List<ThreadResult> threads,
        List<DeviceResult> devices,
        List<SandboxResult> sandboxes,
        List<ChannelResult> channels,
        IsolationResult isolation,
        VmExitResult vmExits) {

    /** smp or quest-v. */
    public String mode() {
        return config.questV().enabled() ? "quest-v" : "smp";
    }

    /**
     * A sandbox (in SMP mode the one kernel image, "smp"): what it owns, how it booted, and the faults
     * its monitor recorded (EPT violations: each refused, the sandbox resumed).
     */
    public record SandboxResult(String name, String kind, List<Integer> cores, long memoryBytes, List<String> devices,
            String state, long bootCycles, long deadlineMisses, long faults) {}

    /**
     * A channel: messages sent, delivered, refused as full (the sender was told), lost (must be 0),
     * corrupted (failed the checksum; never delivered as good), and the latency from send to receipt;
     * when it was severed (null: never), the messages discarded then (queued, never delivered) and the
     * sends and receives answered "severed" after.
     */
    public record ChannelResult(String name, String kind, String from, String to, long sent, long delivered, long refused,
            long lost, long corrupted, Long latencyP50, Long latencyP99, Long latencyMax, Long severedAt,
            long discardedAtSeverance, long refusedAfterSeverance) {
        /** A channel never severed. */
        public ChannelResult(String name, String kind, String from, String to, long sent, long delivered, long refused,
                long lost, long corrupted, Long latencyP50, Long latencyP99, Long latencyMax) {
            this(name, kind, from, to, sent, delivered, refused, lost, corrupted, latencyP50, latencyP99, latencyMax, null, 0, 0);
        }
    }

    /** The channel named {@code name}. */
    public ChannelResult channel(String name) {
        return channels.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no channel " + name));
    }

    /**
     * Isolation: per kind of access (cpuWrite, cpuRead, dma, interrupt) the illegitimate attempts, how
     * many were blocked and by what, and the breaches (attempts that reached a frame or core not granted).
     */
    public record IsolationResult(boolean ept, boolean iommu, boolean interruptRemapping,
            java.util.Map<String, java.util.Map<String, Long>> byKind, long attempts, long blocked, long breaches,
            java.util.Map<String, Long> sharedFrames) {}

    /** VM exits by reason, how many happened after boot, and whether the monitors were removed. */
    public record VmExitResult(java.util.Map<String, Long> byReason, long total, long afterBoot, boolean monitorsRemoved) {}

    /** One PCPU. */
    public record CoreResult(int pcpu, int core, int hardwareThread, int mainVcpus, double utilisation, double bound,
            boolean admitted, long busyCycles, long schedulingPasses, long contextSwitches) {}

    /**
     * One VCPU: its promise (Main: budget and period; I/O: utilisation) and its use (consumed, the
     * largest use in any window of one period). An I/O VCPU's period is its configured one (the
     * window of maxWindowUsage); the periods it inherited are listed.
     */
    public record VcpuResult(String sandbox, String name, String kind, int core, long budget, long period,
            double utilisation, long consumed, long maxWindowUsage, java.util.List<Long> inheritedPeriods) {}

    /**
     * One device: requests issued, interrupts raised, bytes moved, packets dropped by a full ring
     * ({@code dropped}) or for want of a receiver ({@code unclaimed}), requests completed through
     * their bottom half, and the latency from issue (or arrival) to the bottom half's end.
     */
    public record DeviceResult(String name, String type, int irqPcpu, String ioVcpu, long requests, long interrupts,
            long bytes, long dropped, long unclaimed, long completions, Long latencyP50, Long latencyP99, Long latencyMax) {}

    /**
     * One thread: jobs released and completed, deadline misses (late completions plus jobs still
     * open past their deadline at the end), response times (null when no job completed), and their
     * histogram (null when no job completed).
     */
    public record ThreadResult(String sandbox, String name, String vcpu, String model, long jobs, long completed,
            long deadlineMisses, long unfinishedMissed, Long responseMin, Long responseP50, Long responseP99,
            Long responseMax, long cpuCycles, String fault, ResponseHistogram responseHistogram) {
        public ThreadResult(String sandbox, String name, String vcpu, String model, long jobs, long completed,
                long deadlineMisses, long unfinishedMissed, Long responseMin, Long responseP50, Long responseP99,
                Long responseMax, long cpuCycles, String fault) {
            this(sandbox, name, vcpu, model, jobs, completed, deadlineMisses, unfinishedMissed, responseMin, responseP50,
                    responseP99, responseMax, cpuCycles, fault, null);
        }
    }

    public long deadlineMisses() {
        return threads.stream().mapToLong(ThreadResult::deadlineMisses).sum();
    }

    public long jobsCompleted() {
        return threads.stream().mapToLong(ThreadResult::completed).sum();
    }

    public long guestFaults() {
        return threads.stream().filter(t -> t.fault() != null).count();
    }

    public VcpuResult vcpu(String name) {
        return vcpus.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no VCPU " + name));
    }

    public ThreadResult thread(String name) {
        return threads.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no thread " + name));
    }
}
