package dev.questj.system;

import dev.questj.system.config.DeviceConfig;
import dev.questj.system.config.LinuxConfig;
import dev.questj.system.config.SandboxConfig;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.ThreadConfig;
import dev.questj.system.config.VcpuConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One kernel's share of a system: a Quest-V sandbox, or in SMP mode the single image over every
 * PCPU (named {@link QuestSystem#SMP}). Building, placement and reporting walk the parts in order,
 * so both modes share one path; VCPUs and threads are numbered across parts in that order.
 */
record Part(String name, List<Integer> cores, long memoryBytes, List<String> devices, List<VcpuConfig> vcpus,
        List<ThreadConfig> threads, LinuxConfig linux) {

    Part(String name, List<Integer> cores, long memoryBytes, List<String> devices, List<VcpuConfig> vcpus,
            List<ThreadConfig> threads) {
        this(name, cores, memoryBytes, devices, vcpus, threads, null);
    }

    /** A Quest-Linux sandbox: one fair VCPU per core (budget = period: the whole PCPU), no admission to speak of. */
    boolean isLinux() {
        return linux != null;
    }

    static List<Part> of(SystemConfig cfg) {
        if (!cfg.questV().enabled()) {
            var m = cfg.machine();
            return List.of(new Part(QuestSystem.SMP, IntStream.range(0, m.pcpus()).boxed().toList(), m.memoryBytes(),
                    m.devices().stream().map(DeviceConfig::name).toList(), cfg.vcpus(), cfg.threads()));
        }
        List<Part> parts = new ArrayList<>();
        for (SandboxConfig s : cfg.questV().sandboxes()) {
            if (s.isLinux()) {
                List<VcpuConfig> fair = s.cores().stream().map(c -> new VcpuConfig(LinuxConfig.vcpuName(c),
                        s.linux().latencyCycles(), s.linux().latencyCycles(), c, s.location())).toList();
                parts.add(new Part(s.name(), s.cores(), s.memoryBytes(), s.devices(), fair, s.threads(), s.linux()));
            } else {
                parts.add(new Part(s.name(), s.cores(), s.memoryBytes(), s.devices(), s.vcpus(), s.threads()));
            }
        }
        return parts;
    }

    /** Every VCPU of the system, part by part. */
    static List<VcpuConfig> allVcpus(SystemConfig cfg) {
        return of(cfg).stream().flatMap(p -> p.vcpus().stream()).toList();
    }

    /** Every thread of the system, part by part. */
    static List<ThreadConfig> allThreads(SystemConfig cfg) {
        return of(cfg).stream().flatMap(p -> p.threads().stream()).toList();
    }
}
