package dev.questj.bench;

import dev.questj.guest.ExecDistribution;
import dev.questj.guest.Periodic;
import dev.questj.kernel.Kernel;
import dev.questj.kernel.KernelParams;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.Vcpu;
import dev.questj.machine.Machine;
import dev.questj.sim.EventQueue;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one simulation event on one PCPU as the number of VCPUs on it grows: the hot path
 * (release wake-up, scheduling pass, sporadic-server charge, timer re-arm). The aim is a cost per
 * event that grows at most logarithmically with VCPUs per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulerBench {
    private static final int EVENTS = 10_000;

    @Param({"1", "4", "16", "64"})
    int vcpusPerCore;

    private EventQueue queue;

    @Setup(Level.Iteration)
    public void build() {
        Machine machine = new Machine(1, 1, 1_000_000_000L);
        Kernel kernel = new Kernel("bench", machine, List.of(0), KernelParams.questDefaults(1_000_000_000L), ScheduleSink.NONE);
        SplittableRandom random = new SplittableRandom(42);
        double share = 0.6 / vcpusPerCore;
        for (int i = 0; i < vcpusPerCore; i++) {
            long period = 1_000_000L * (10 + random.nextInt(90));
            long budget = Math.max(1, (long) (share * period));
            Vcpu v = kernel.createMainVcpu("v" + i, budget, period, 0);
            for (int t = 0; t < 2; t++) {
                long exec = Math.max(1, (long) (budget * 0.45));
                kernel.createThread("t" + i + "." + t, v, new Periodic(period, period, ExecDistribution.constant(exec), 0),
                        random.split());
            }
        }
        kernel.start();
        queue = machine.queue();
        for (int i = 0; i < 100_000; i++) {
            queue.step();
        }
    }

    /** Average cost of one event of a running system. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long event() {
        for (int i = 0; i < EVENTS; i++) {
            queue.step();
        }
        return queue.now();
    }
}
