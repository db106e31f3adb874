package dev.questj.system.config;

/**
 * A Main VCPU (a sporadic server).
 *
 * @param core the PCPU it is bound to, or -1 to place it by first fit
 */
public record VcpuConfig(String name, long budgetCycles, long periodCycles, int core, Location location) {
    public double utilisation() {
        return budgetCycles / (double) periodCycles;
    }
}
