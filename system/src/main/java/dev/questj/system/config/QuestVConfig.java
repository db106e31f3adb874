package dev.questj.system.config;

import java.util.List;

/**
 * The Quest-V part of a system: sandboxes (each its own kernel on its own cores, memory and
 * devices), the channels between them, the hardware protections and the monitors. Empty sandboxes
 * mean SMP mode: one kernel over all cores, with the top-level vcpus and threads.
 *
 * @param vmExitCycles cost of one VM exit plus entry (overheads.vmExit; default 1500 cycles)
 * @param mils         sandbox labels, the flow policy and run-time severances ({@link MilsConfig#NONE}: none)
 * @param faults       faults to inject (the config's faults, then the command line's --inject)
 */
public record QuestVConfig(List<SandboxConfig> sandboxes, List<ChannelConfig> channels, ProtectionConfig protection,
        MonitorsConfig monitors, long vmExitCycles, MilsConfig mils, List<FaultConfig> faults) {
    public static final long DEFAULT_VM_EXIT_CYCLES = 1500;
    public static final QuestVConfig NONE = new QuestVConfig(List.of(), List.of(), ProtectionConfig.FULL,
            new MonitorsConfig(false), DEFAULT_VM_EXIT_CYCLES);

    public QuestVConfig {
        sandboxes = List.copyOf(sandboxes);
        channels = List.copyOf(channels);
        mils = mils == null ? MilsConfig.NONE : mils;
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** Without labels, policy, severances or faults. */
    public QuestVConfig(List<SandboxConfig> sandboxes, List<ChannelConfig> channels, ProtectionConfig protection,
            MonitorsConfig monitors, long vmExitCycles) {
        this(sandboxes, channels, protection, monitors, vmExitCycles, MilsConfig.NONE, List.of());
    }

    /** The same system with {@code replaced} as its sandboxes (everything else kept). */
    public QuestVConfig withSandboxes(List<SandboxConfig> replaced) {
        return new QuestVConfig(replaced, channels, protection, monitors, vmExitCycles, mils, faults);
    }

    public QuestVConfig withMils(MilsConfig m) {
        return new QuestVConfig(sandboxes, channels, protection, monitors, vmExitCycles, m, faults);
    }

    /** The same system with exactly {@code only} as its faults. */
    public QuestVConfig withOnlyFaults(List<FaultConfig> only) {
        return new QuestVConfig(sandboxes, channels, protection, monitors, vmExitCycles, mils, only);
    }

    /** The same system with {@code more} faults injected after the configured ones (--inject). */
    public QuestVConfig withFaults(List<FaultConfig> more) {
        List<FaultConfig> all = new java.util.ArrayList<>(faults);
        all.addAll(more);
        return new QuestVConfig(sandboxes, channels, protection, monitors, vmExitCycles, mils, all);
    }

    /** Whether the system runs as a Quest-V multikernel (it has sandboxes). */
    public boolean enabled() {
        return !sandboxes.isEmpty();
    }
}
