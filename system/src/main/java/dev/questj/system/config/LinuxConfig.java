package dev.questj.system.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What makes a sandbox a Quest-Linux front end ({@code kind: linux}): no VCPUs and no budgets; its
 * threads are processes shared by a best-effort fair scheduler on each of its cores. Each process is
 * placed on one core, in file order round robin over the sandbox's {@code cores}, and stays there
 * (its {@link ThreadConfig#vcpu} is that core's fair VCPU, {@link #vcpuName}).
 *
 * @param nice                 each process's nice value (-20 to 19, default 0), by thread name, in file order
 * @param latencyCycles        the scheduling latency: the period the runnable processes share (6 ms)
 * @param minGranularityCycles the shortest slice (750 us)
 */
public record LinuxConfig(Map<String, Integer> nice, long latencyCycles, long minGranularityCycles) {
    public static final String LATENCY = "6ms";
    public static final String MIN_GRANULARITY = "750us";

    public LinuxConfig {
        nice = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nice));
    }

    /** The name of the fair VCPU of core {@code core} (the name the run's outputs show). */
    public static String vcpuName(int core) {
        return "cpu" + core;
    }

    public int niceOf(String thread) {
        return nice.getOrDefault(thread, 0);
    }
}
