package dev.questj.system.config;

/**
 * A device: its name, the PCPU its interrupt is routed to, what its driver costs, and its model.
 *
 * @param irqPcpu the only PCPU its interrupts reach
 */
public record DeviceConfig(String name, int irqPcpu, DriverCost driver, DeviceModel model, Location location) {
    /** The device class, as {@code classes:} of an I/O VCPU names it: nic, disk, sensor, actuator, serial. */
    public String type() {
        return model.type();
    }

    /**
     * Cycles the driver costs: the top half on the interrupted PCPU (acknowledge and wake), and the
     * bottom half on the I/O VCPU per request plus per KiB moved.
     */
    public record DriverCost(long topHalfCycles, long perRequestCycles, long perKiBCycles) {}
}
