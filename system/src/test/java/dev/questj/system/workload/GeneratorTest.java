package dev.questj.system.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.questj.system.Placement;
import dev.questj.system.QuestSystem;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import dev.questj.system.config.ExecTime;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.TaskModel;
import dev.questj.system.config.ThreadConfig;
import dev.questj.system.config.VcpuConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The workload generator: UUniFast, periods on a grid, VCPUs sized to their threads, all admitted. */
class GeneratorTest {
    private static final long MS = 1_000_000;

    @Test
    void uunifastUtilisationsSumToTheTargetAndAreNotNegative() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int n : new int[] {1, 2, 5, 10, 40}) {
                double target = 0.05 + random.nextDouble() * 0.95;
                double[] u = Generator.uunifast(random, n, target);

                assertThat(u).hasSize(n);
                assertThat(Arrays.stream(u).sum()).as("seed %d, n %d", seed, n).isCloseTo(target, within(1e-12));
                assertThat(Arrays.stream(u).allMatch(x -> x >= 0 && x <= target + 1e-12)).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 42})
    void periodsAreOnTheGridWithinTheirRange(long seed) {
        WorkloadSpec spec = new WorkloadSpec(seed, 3, 12, 0.6, 10 * MS, 100 * MS, 5 * MS, 3, 1.15, 1_000_000_000L, 1000 * MS);
        SystemConfig cfg = Generator.generate(spec);

        assertThat(cfg.threads()).hasSize(36);
        for (ThreadConfig t : cfg.threads()) {
            TaskModel.Periodic p = (TaskModel.Periodic) t.model();
            assertThat(p.period()).as(t.name()).isBetween(10 * MS, 100 * MS);
            assertThat(p.period() % (5 * MS)).as(t.name() + " period on the 5 ms grid").isZero();
            assertThat(p.deadline()).isEqualTo(p.period());
            long exec = ((ExecTime.Constant) p.exec()).cycles();
            assertThat(exec).isPositive().isLessThanOrEqualTo(p.period());
            assertThat(exec % 1000).as("whole microseconds").isZero();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 42})
    void eachVcpuIsSizedToItsThreads(long seed) {
        SystemConfig cfg = Generator.generate(WorkloadSpec.reference().withSeed(seed));

        assertThat(cfg.vcpus()).hasSize(8);
        for (VcpuConfig v : cfg.vcpus()) {
            var threads = cfg.threads().stream().filter(t -> t.vcpu().equals(v.name()))
                    .map(t -> (TaskModel.Periodic) t.model()).toList();
            assertThat(threads).isNotEmpty();
            double u = threads.stream().mapToDouble(p -> ((ExecTime.Constant) p.exec()).cycles() / (double) p.period()).sum();
            long shortest = threads.stream().mapToLong(TaskModel.Periodic::period).min().orElseThrow();

            assertThat(v.periodCycles()).isEqualTo(shortest);
            assertThat(v.budgetCycles()).isEqualTo(Math.min(shortest, (long) Math.ceil(1.15 * u * shortest)));
        }
    }

    @Test
    void sameSpecGivesTheSameSystem() {
        assertThat(Generator.generate(WorkloadSpec.reference())).isEqualTo(Generator.generate(WorkloadSpec.reference()));
    }

    @Test
    void referenceWorkloadPassesAdmission() throws Exception {
        SystemConfig cfg = Generator.generate(WorkloadSpec.reference());

        Placement p = QuestSystem.of(cfg).check();

        assertThat(p.loads()).hasSize(4).allMatch(l -> l.admitted() && l.mainVcpus() == 2);
        assertThat(p.warnings()).isEmpty();
    }

    /** A VCPU per thread, with budget >= the thread's execution time and its period: admitted means no miss. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void generatedSystemWithOneThreadPerVcpuRunsTwentySecondsWithoutAMiss(long seed) throws Exception {
        WorkloadSpec spec = new WorkloadSpec(seed, 4, 10, 0.6, 10 * MS, 100 * MS, MS, 10, 1.15, 1_000_000_000L, 20_000 * MS);
        QuestSystem q = QuestSystem.of(Generator.generate(spec));
        assertThat(q.check().loads()).allMatch(l -> l.admitted());

        RunResult r = q.run(RunOptions.inMemory());

        assertThat(r.jobsCompleted()).isGreaterThan(10_000);
        assertThat(r.threads()).allSatisfy(t -> assertThat(t.deadlineMisses()).as(t.name()).isZero());
    }

    /** Periods are grid multiples inside [min, max], even when min itself is not one. */
    @Test
    void periodsStayOnTheGridWhenTheShortestPeriodIsNotAMultipleOfIt() {
        WorkloadSpec spec = new WorkloadSpec(1, 1, 20, 0.5, 15 * MS, 100 * MS, 10 * MS, 1, 1.0, 1_000_000_000L, 1000 * MS);

        for (ThreadConfig t : Generator.generate(spec).threads()) {
            assertThat(((TaskModel.Periodic) t.model()).period() % (10 * MS)).as(t.name()).isZero();
        }
    }
}
