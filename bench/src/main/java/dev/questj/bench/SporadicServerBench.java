package dev.questj.bench;

import dev.questj.kernel.SporadicServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One wake / run / block cycle of a sporadic server: unblock, update, charge with a split. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SporadicServerBench {
    private SporadicServer server;
    private long now;

    @Setup
    public void build() {
        server = new SporadicServer(3_000, 10_000, 32, 0);
    }

    @Benchmark
    public long wakeRunBlock() {
        now += 4_000;
        server.unblock(now);
        server.updateBudget(now);
        long run = Math.min(server.budget(), 700);
        if (run > 0) {
            now += run;
            server.endOfTimeslice(now, run, true);
        }
        return server.budget();
    }
}
