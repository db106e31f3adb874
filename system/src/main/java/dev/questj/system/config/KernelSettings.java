package dev.questj.system.config;

/**
 * Kernel parameters; the defaults are Quest's own.
 *
 * @param quantumCycles      round-robin quantum of threads inside a VCPU, in that VCPU's virtual time (1 ms)
 * @param maxReplenishments  the most entries a Main VCPU's replenishment list holds (32; at least 2)
 * @param admission          what to do with a core whose VCPUs fail the admission bound (enforce)
 */
public record KernelSettings(long quantumCycles, int maxReplenishments, Admission admission) {
    public enum Admission { ENFORCE, WARN, OFF }
}
