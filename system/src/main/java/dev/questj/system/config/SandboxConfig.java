package dev.questj.system.config;

import java.util.List;

/**
 * A sandbox: its own Quest kernel on its own PCPUs, host-physical memory region and devices, with
 * its own VCPUs and threads. VCPU names are the sandbox's own; thread names are unique system-wide.
 *
 * @param cores       the PCPUs it owns (no PCPU belongs to two sandboxes)
 * @param memoryBytes its host-physical memory region (a multiple of 4 KiB)
 * @param devices     the devices assigned to it (each to at most one sandbox)
 * @param linux       for {@code kind: linux} (a Quest-Linux front end: fair-scheduled processes, no
 *                    VCPUs), its settings; null for a Quest sandbox
 * @param recovery    what its monitor does when it fails (default: restart)
 * @param watchdog    its watchdog, or null: none (silent hangs go unnoticed)
 */
public record SandboxConfig(String name, List<Integer> cores, long memoryBytes, List<String> devices,
        List<VcpuConfig> vcpus, List<ThreadConfig> threads, Location location, LinuxConfig linux, RecoveryConfig recovery,
        WatchdogConfig watchdog) {
    public SandboxConfig(String name, List<Integer> cores, long memoryBytes, List<String> devices,
            List<VcpuConfig> vcpus, List<ThreadConfig> threads, Location location, LinuxConfig linux) {
        this(name, cores, memoryBytes, devices, vcpus, threads, location, linux, RecoveryConfig.RESTART, null);
    }

    public SandboxConfig {
        cores = List.copyOf(cores);
        devices = List.copyOf(devices);
        vcpus = List.copyOf(vcpus);
        threads = List.copyOf(threads);
    }

    /** A Quest sandbox. */
    public SandboxConfig(String name, List<Integer> cores, long memoryBytes, List<String> devices,
            List<VcpuConfig> vcpus, List<ThreadConfig> threads, Location location) {
        this(name, cores, memoryBytes, devices, vcpus, threads, location, null);
    }

    public boolean isLinux() {
        return linux != null;
    }
}
