package dev.questj.system.workload;

import dev.questj.system.config.ExecTime;
import dev.questj.system.config.KernelSettings;
import dev.questj.system.config.Location;
import dev.questj.system.config.MachineConfig;
import dev.questj.system.config.OverheadsConfig;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.TaskModel;
import dev.questj.system.config.ThreadConfig;
import dev.questj.system.config.VcpuConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a system from a {@link WorkloadSpec}: per PCPU, UUniFast (Bini and Buttazzo 2005) splits
 * the utilisation among the threads, periods are log-uniform and rounded to the grid, execution
 * times are whole microseconds (at least one), periods are the grid multiples within [min, max], and threads sorted by period are cut into
 * contiguous groups, one Main VCPU each, bound to that PCPU, with period = the group's shortest
 * period and budget = inflation x group utilisation x that period (rounded up to a cycle, at most
 * the period). Deterministic in the spec.
 */
public final class Generator {
    private Generator() {}

    public static SystemConfig generate(WorkloadSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        long micro = Math.max(1, spec.frequencyHz() / 1_000_000);
        List<VcpuConfig> vcpus = new ArrayList<>();
        List<ThreadConfig> threads = new ArrayList<>();
        for (int core = 0; core < spec.cores(); core++) {
            double[] u = uunifast(random, spec.threadsPerCore(), spec.utilisationPerCore());
            long[][] tasks = new long[spec.threadsPerCore()][];
            for (int i = 0; i < tasks.length; i++) {
                long period = period(random, spec);
                long exec = Math.max(micro, Math.round(u[i] * period / micro) * micro);
                tasks[i] = new long[] {period, Math.min(exec, period)};
            }
            Arrays.sort(tasks, Comparator.comparingLong((long[] t) -> t[0]));
            group(spec, core, tasks, vcpus, threads);
        }
        String name = String.format(java.util.Locale.ROOT, "generated-s%d-c%d-t%d-v%d", spec.seed(), spec.cores(),
                spec.threadsPerCore(), spec.vcpusPerCore());
        return new SystemConfig("<generated>", name, spec.seed(), spec.durationCycles(),
                new MachineConfig(spec.cores(), 1, spec.frequencyHz(), Location.NONE), OverheadsConfig.NONE,
                new KernelSettings(spec.frequencyHz() / 1000, 32, KernelSettings.Admission.ENFORCE), vcpus, threads);
    }

    private static void group(WorkloadSpec spec, int core, long[][] tasks, List<VcpuConfig> vcpus, List<ThreadConfig> threads) {
        int n = tasks.length;
        int k = spec.vcpusPerCore();
        for (int g = 0; g < k; g++) {
            int from = g * n / k;
            int to = (g + 1) * n / k;
            long period = tasks[from][0];
            double util = 0;
            for (int i = from; i < to; i++) {
                util += tasks[i][1] / (double) tasks[i][0];
            }
            long budget = Math.min(period, Math.max(1, (long) Math.ceil(spec.inflation() * util * period)));
            String vname = "c" + core + "v" + g;
            vcpus.add(new VcpuConfig(vname, budget, period, core, Location.NONE));
            for (int i = from; i < to; i++) {
                TaskModel model = new TaskModel.Periodic(tasks[i][0], tasks[i][0], new ExecTime.Constant(tasks[i][1]), 0);
                threads.add(new ThreadConfig("c" + core + "t" + i, vname, model, Location.NONE));
            }
        }
    }

    /** UUniFast: n utilisations summing to {@code total}, uniformly distributed over that simplex. */
    static double[] uunifast(SplittableRandom random, int n, double total) {
        double[] u = new double[n];
        double sum = total;
        for (int i = 0; i < n - 1; i++) {
            double next = sum * Math.pow(random.nextDouble(), 1.0 / (n - i - 1));
            u[i] = sum - next;
            sum = next;
        }
        u[n - 1] = sum;
        return u;
    }

    private static long period(SplittableRandom random, WorkloadSpec spec) {
        double lo = Math.log(spec.periodMin());
        double hi = Math.log(spec.periodMax() + spec.periodGrid());
        long raw = (long) Math.exp(lo + (hi - lo) * random.nextDouble());
        long grid = spec.periodGrid();
        long lowest = Math.ceilDiv(spec.periodMin(), grid) * grid;
        long highest = spec.periodMax() / grid * grid;
        return Math.clamp(raw / grid * grid, lowest, highest);
    }
}
