package dev.questj.kernel;

/**
 * Parameters of one kernel instance; defaults are Quest's.
 *
 * @param quantumCycles     round-robin quantum of threads in a VCPU, in the VCPU's virtual time
 * @param maxReplenishments entries a Main VCPU's replenishment list holds (at least 2)
 * @param overheads         the cycles kernel work costs
 * @param checkInvariants   verify the scheduler's invariants after every scheduling pass (slow)
 */
public record KernelParams(long quantumCycles, int maxReplenishments, OverheadModel overheads, boolean checkInvariants) {
    public KernelParams {
        if (quantumCycles <= 0) {
            throw new IllegalArgumentException("quantum must be positive, got " + quantumCycles + " cycles");
        }
        if (maxReplenishments < 2) {
            throw new IllegalArgumentException("maxReplenishments must be at least 2, got " + maxReplenishments);
        }
    }

    /** Quest's defaults at the given frequency: a 1 ms quantum, 32 replenishments, no overheads. */
    public static KernelParams questDefaults(long hz) {
        return new KernelParams(hz / 1000, 32, OverheadModel.NONE, false);
    }

    public KernelParams withChecks(boolean on) {
        return new KernelParams(quantumCycles, maxReplenishments, overheads, on);
    }
}
