package dev.questj.system.config;

import java.util.List;

/**
 * A VCPU. A Main VCPU is a sporadic server (budget, period). An I/O VCPU is a PIBS server with a
 * utilisation, serving the bottom halves of the devices it names, of the device classes it names,
 * and of the threads that name it as their {@code ioVcpu}.
 *
 * @param kind               main or io
 * @param budgetCycles       Main: the budget C; I/O: 0
 * @param periodCycles       Main: the period T; I/O: the period used only when I/O VCPUs run as
 *                           sporadic servers (kernel.ioVcpus: sporadic; default 10 ms)
 * @param utilisationPpm     I/O: the utilisation U in parts per million (100000 = 10%); Main: 0
 * @param devices            I/O: device names it serves
 * @param deviceClasses      I/O: device classes it serves (nic, disk, sensor, actuator, serial)
 * @param core               the PCPU it is bound to, or -1 to place it by first fit
 */
public record VcpuConfig(String name, Kind kind, long budgetCycles, long periodCycles, long utilisationPpm,
        List<String> devices, List<String> deviceClasses, int core, Location location) {
    public enum Kind { MAIN, IO }

    public static final long PPM = 1_000_000;

    public VcpuConfig {
        devices = List.copyOf(devices);
        deviceClasses = List.copyOf(deviceClasses);
    }

    /** A Main VCPU. */
    public VcpuConfig(String name, long budgetCycles, long periodCycles, int core, Location location) {
        this(name, Kind.MAIN, budgetCycles, periodCycles, 0, List.of(), List.of(), core, location);
    }

    public boolean isIo() {
        return kind == Kind.IO;
    }

    /** Main: C / T; I/O: U. */
    public double utilisation() {
        return kind == Kind.IO ? utilisationPpm / (double) PPM : budgetCycles / (double) periodCycles;
    }
}
