package dev.questj.system.config;

import java.util.List;

/**
 * The virtual machine.
 *
 * @param cores       physical cores (1..1024)
 * @param smt         hardware threads per core (1 or 2); each hardware thread is a PCPU
 * @param frequencyHz cycles per second of every core
 * @param memoryBytes physical memory (default 256 MiB), a multiple of 4 KiB
 * @param devices     the devices, in file order
 */
public record MachineConfig(int cores, int smt, long frequencyHz, long memoryBytes, List<DeviceConfig> devices,
        Location location) {
    public static final long DEFAULT_MEMORY = 256L << 20;

    public MachineConfig {
        devices = List.copyOf(devices);
    }

    /** A machine without devices and with the default memory. */
    public MachineConfig(int cores, int smt, long frequencyHz, Location location) {
        this(cores, smt, frequencyHz, DEFAULT_MEMORY, List.of(), location);
    }

    public int pcpus() {
        return cores * smt;
    }
}
