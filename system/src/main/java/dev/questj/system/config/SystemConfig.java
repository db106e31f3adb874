package dev.questj.system.config;

import java.util.List;

/**
 * A whole system description, as read from one YAML file (see docs/CONFIG.md). Immutable; every
 * time is already in cycles at the machine's frequency.
 *
 * @param source         the file it was read from, as given ("<built-in>" for generated systems)
 * @param name           the system's name (defaults to the file's base name)
 * @param seed           the run's seed (default 1); the CLI's --seed overrides it
 * @param durationCycles the default run length (default 10 s); --duration overrides it
 */
public record SystemConfig(
        String source,
        String name,
        long seed,
        long durationCycles,
        MachineConfig machine,
        OverheadsConfig overheads,
        KernelSettings kernel,
        List<VcpuConfig> vcpus,
        List<ThreadConfig> threads) {

    public SystemConfig {
        vcpus = List.copyOf(vcpus);
        threads = List.copyOf(threads);
    }

    public SystemConfig withSeed(long newSeed) {
        return new SystemConfig(source, name, newSeed, durationCycles, machine, overheads, kernel, vcpus, threads);
    }

    public SystemConfig withKernel(KernelSettings k) {
        return new SystemConfig(source, name, seed, durationCycles, machine, overheads, k, vcpus, threads);
    }

    public SystemConfig withDuration(long cycles) {
        return new SystemConfig(source, name, seed, cycles, machine, overheads, kernel, vcpus, threads);
    }
}
