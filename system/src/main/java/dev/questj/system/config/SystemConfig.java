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
 * @param vcpus          SMP mode: the VCPUs (Quest-V mode: empty; each sandbox has its own)
 * @param threads        SMP mode: the threads (Quest-V mode: empty)
 * @param questV         sandboxes, channels, protections, monitors ({@link QuestVConfig#NONE}: SMP mode)
 * @param migration      Quest-V mode: migrations between sandboxes ({@link MigrationConfig#NONE}: none)
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
        List<ThreadConfig> threads,
        QuestVConfig questV,
        MigrationConfig migration) {

    public SystemConfig {
        vcpus = List.copyOf(vcpus);
        threads = List.copyOf(threads);
    }

    /** A system without migrations. */
    public SystemConfig(String source, String name, long seed, long durationCycles, MachineConfig machine,
            OverheadsConfig overheads, KernelSettings kernel, List<VcpuConfig> vcpus, List<ThreadConfig> threads,
            QuestVConfig questV) {
        this(source, name, seed, durationCycles, machine, overheads, kernel, vcpus, threads, questV, MigrationConfig.NONE);
    }

    /** An SMP-mode system (no sandboxes). */
    public SystemConfig(String source, String name, long seed, long durationCycles, MachineConfig machine,
            OverheadsConfig overheads, KernelSettings kernel, List<VcpuConfig> vcpus, List<ThreadConfig> threads) {
        this(source, name, seed, durationCycles, machine, overheads, kernel, vcpus, threads, QuestVConfig.NONE);
    }

    public SystemConfig withSeed(long newSeed) {
        return new SystemConfig(source, name, newSeed, durationCycles, machine, overheads, kernel, vcpus, threads, questV, migration);
    }

    public SystemConfig withKernel(KernelSettings k) {
        return new SystemConfig(source, name, seed, durationCycles, machine, overheads, k, vcpus, threads, questV, migration);
    }

    /** The same system with {@code more} faults to inject (Quest-V mode only). */
    public SystemConfig withFaults(List<FaultConfig> more) {
        return new SystemConfig(source, name, seed, durationCycles, machine, overheads, kernel, vcpus, threads,
                questV.withFaults(more), migration);
    }

    public SystemConfig withDuration(long cycles) {
        return new SystemConfig(source, name, seed, cycles, machine, overheads, kernel, vcpus, threads, questV, migration);
    }

    public SystemConfig withMigration(MigrationConfig m) {
        return new SystemConfig(source, name, seed, durationCycles, machine, overheads, kernel, vcpus, threads, questV, m);
    }

    public SystemConfig withQuestV(QuestVConfig q) {
        return new SystemConfig(source, name, seed, durationCycles, machine, overheads, kernel, vcpus, threads, q, migration);
    }
}
