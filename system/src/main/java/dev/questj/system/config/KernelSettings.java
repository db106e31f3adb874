package dev.questj.system.config;

/**
 * Kernel parameters; the defaults are Quest's own.
 *
 * @param quantumCycles      round-robin quantum of threads inside a VCPU, in that VCPU's virtual time (1 ms)
 * @param maxReplenishments  the most entries a Main VCPU's replenishment list holds (32; at least 2)
 * @param admission          what to do with a core whose VCPUs fail the admission bound (enforce)
 * @param ioVcpus            pibs (default) or sporadic
 */
public record KernelSettings(long quantumCycles, int maxReplenishments, Admission admission, IoVcpuMode ioVcpus) {
    public enum Admission { ENFORCE, WARN, OFF }

    /** How I/O VCPUs are served: PIBS (Quest's default) or plain sporadic servers (the paper's comparison). */
    public enum IoVcpuMode { PIBS, SPORADIC }

    public KernelSettings(long quantumCycles, int maxReplenishments, Admission admission) {
        this(quantumCycles, maxReplenishments, admission, IoVcpuMode.PIBS);
    }
}
