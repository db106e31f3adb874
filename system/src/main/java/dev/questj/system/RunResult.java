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
        VmExitResult vmExits,
        List<dev.questj.vmm.Migration.Outcome> migrations,
        List<FaultResult> faults) {

    public RunResult {
        migrations = migrations == null ? List.of() : List.copyOf(migrations);
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** A run without migrations or faults. */
    public RunResult(SystemConfig config, long simulatedCycles, long events, double wallSeconds, String traceDigest,
            List<CoreResult> cores, List<VcpuResult> vcpus, List<ThreadResult> threads, List<DeviceResult> devices,
            List<SandboxResult> sandboxes, List<ChannelResult> channels, IsolationResult isolation, VmExitResult vmExits) {
        this(config, simulatedCycles, events, wallSeconds, traceDigest, cores, vcpus, threads, devices, sandboxes, channels,
                isolation, vmExits, List.of(), List.of());
    }

    /**
     * One injected fault: what, where and when; when and by what it was detected; when the sandbox
     * ran again (or the fault was contained) and how long that took; pages of kernel image the
     * monitor restored and threads it restarted; the outcome (recovered, contained, down,
     * undetected, skipped) and why, in words. Times in cycles, -1 when it did not happen.
     */
    public record FaultResult(String kind, String sandbox, String target, long injectedAt, long detectedAt, String detectedBy,
            long recoveredAt, long recoveryCycles, String outcome, long pagesRestored, int threadsRestarted, String note) {}

    /** smp or quest-v. */
    public String mode() {
        return config.questV().enabled() ? "quest-v" : "smp";
    }

    /**
     * A sandbox (in SMP mode the one kernel image, "smp"): what it owns, how it booted, and the faults
     * its monitor recorded (EPT violations: each refused, the sandbox resumed).
     */
    public record SandboxResult(String name, String kind, List<Integer> cores, long memoryBytes, List<String> devices,
            String state, long bootCycles, long deadlineMisses, long faults, int recoveries, long downtimeCycles) {
        public SandboxResult(String name, String kind, List<Integer> cores, long memoryBytes, List<String> devices,
                String state, long bootCycles, long deadlineMisses, long faults) {
            this(name, kind, cores, memoryBytes, devices, state, bootCycles, deadlineMisses, faults, 0, 0);
        }
    }

    /**
     * A channel: messages sent, delivered, refused as full (the sender was told), lost (must be 0),
     * corrupted (checksum failures; never delivered as good), retransmitted (asked again after a
     * checksum failure), returned (to the sender as an explicit error: the receiver is down for good,
     * or the message failed every retransmission), and the latency from send to receipt; when it was
     * severed (null: never), the messages discarded then (queued, never delivered) and the sends and
     * receives answered "severed" after.
     */
    public record ChannelResult(String name, String kind, String from, String to, long sent, long delivered, long refused,
            long lost, long corrupted, Long latencyP50, Long latencyP99, Long latencyMax, long retransmitted, long returned,
            Long severedAt, long discardedAtSeverance, long refusedAfterSeverance) {
        /** A channel never severed, with no retransmission or returned message. */
        public ChannelResult(String name, String kind, String from, String to, long sent, long delivered, long refused,
                long lost, long corrupted, Long latencyP50, Long latencyP99, Long latencyMax) {
            this(name, kind, from, to, sent, delivered, refused, lost, corrupted, latencyP50, latencyP99, latencyMax, 0, 0,
                    null, 0, 0);
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
     * histogram (null when no job completed); how many times it was started (1 + restarts by a
     * recovery), the jobs abandoned when its sandbox failed (neither completed nor missed), and the
     * jobs completed since its last restart (all of them when it was never restarted).
     */
    public record ThreadResult(String sandbox, String name, String vcpu, String model, long jobs, long completed,
            long deadlineMisses, long unfinishedMissed, Long responseMin, Long responseP50, Long responseP99,
            Long responseMax, long cpuCycles, String fault, ResponseHistogram responseHistogram, int incarnations,
            long jobsAbandoned, long completedSinceRestart) {
        public ThreadResult(String sandbox, String name, String vcpu, String model, long jobs, long completed,
                long deadlineMisses, long unfinishedMissed, Long responseMin, Long responseP50, Long responseP99,
                Long responseMax, long cpuCycles, String fault, ResponseHistogram responseHistogram) {
            this(sandbox, name, vcpu, model, jobs, completed, deadlineMisses, unfinishedMissed, responseMin, responseP50,
                    responseP99, responseMax, cpuCycles, fault, responseHistogram, 1, 0, completed);
        }

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
