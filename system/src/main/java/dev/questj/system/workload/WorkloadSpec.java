package dev.questj.system.workload;

/**
 * The recipe for a generated system, as real-time research tools generate task sets.
 *
 * @param seed               the generator's seed (also the generated system's run seed)
 * @param cores              PCPUs
 * @param threadsPerCore     periodic threads per PCPU
 * @param utilisationPerCore total thread utilisation per PCPU, split among its threads by UUniFast
 * @param periodMin          shortest period, cycles
 * @param periodMax          longest period, cycles (periods are log-uniform in [min, max])
 * @param periodGrid         periods are rounded to a multiple of this, cycles (at least one grid step)
 * @param vcpusPerCore       Main VCPUs per PCPU; threads are grouped into them by period
 * @param inflation          VCPU budget = inflation x group utilisation x the group's shortest period
 * @param frequencyHz        the machine's frequency
 * @param durationCycles     the generated system's default run length
 */
public record WorkloadSpec(long seed, int cores, int threadsPerCore, double utilisationPerCore, long periodMin,
        long periodMax, long periodGrid, int vcpusPerCore, double inflation, long frequencyHz, long durationCycles) {

    public WorkloadSpec {
        require(cores >= 1, "cores must be at least 1, got " + cores);
        require(threadsPerCore >= 1, "threads per core must be at least 1, got " + threadsPerCore);
        require(utilisationPerCore > 0 && utilisationPerCore <= 1, "utilisation per core must be in (0, 1], got " + utilisationPerCore);
        require(periodMin > 0 && periodMax >= periodMin, "periods need 0 < min <= max");
        require(periodGrid > 0, "the period grid must be positive");
        require(Math.ceilDiv(periodMin, periodGrid) * periodGrid <= periodMax,
                "no multiple of the period grid lies in [period min, period max]");
        require(vcpusPerCore >= 1 && vcpusPerCore <= threadsPerCore, "VCPUs per core must be in [1, threads per core], got " + vcpusPerCore);
        require(inflation >= 1, "inflation must be at least 1, got " + inflation);
        require(frequencyHz >= 1_000_000, "frequency must be at least 1 MHz");
        require(durationCycles > 0, "duration must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The reference workload of docs/BENCHMARKS.md: 4 cores x 10 threads, U 0.7, 10-100 ms on a 1 ms grid, 2 VCPUs per core, inflation 1.15, 1 GHz, 1000 s. */
    public static WorkloadSpec reference() {
        long ms = 1_000_000;
        return new WorkloadSpec(42, 4, 10, 0.7, 10 * ms, 100 * ms, ms, 2, 1.15, 1_000_000_000L, 1000_000 * ms);
    }

    public WorkloadSpec withSeed(long s) {
        return new WorkloadSpec(s, cores, threadsPerCore, utilisationPerCore, periodMin, periodMax, periodGrid, vcpusPerCore, inflation, frequencyHz, durationCycles);
    }

    public WorkloadSpec withShape(int c, int threads, int vcpus) {
        return new WorkloadSpec(seed, c, threads, utilisationPerCore, periodMin, periodMax, periodGrid, vcpus, inflation, frequencyHz, durationCycles);
    }

    public WorkloadSpec withDuration(long cycles) {
        return new WorkloadSpec(seed, cores, threadsPerCore, utilisationPerCore, periodMin, periodMax, periodGrid, vcpusPerCore, inflation, frequencyHz, cycles);
    }
}
