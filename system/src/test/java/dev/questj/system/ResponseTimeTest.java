package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.ConfigReader;
import org.junit.jupiter.api.Test;

/** Response times in metrics are the simulated ones. */
class ResponseTimeTest {
    private static RunResult loneThread() throws Exception {
        return QuestSystem.of(ConfigReader.parse("""
                machine: {cores: 1}
                vcpus: [{name: v, budget: 1ms, period: 5ms}]
                threads: [{name: t, vcpu: v, model: periodic, period: 5ms, exec: 400us}]
                """, "r.yaml")).run(RunOptions.inMemory().withDuration(100_000_000L));
    }

    @Test
    void loneThreadsResponseTimeIsItsExecutionTimeWithinHistogramPrecision() throws Exception {
        RunResult.ThreadResult t = loneThread().thread("t");

        assertThat(t.completed()).isEqualTo(20);
        assertThat(t.deadlineMisses()).isZero();
        for (Long v : new Long[] {t.responseMin(), t.responseP50(), t.responseP99(), t.responseMax()}) {
            assertThat(v).isBetween(400_000L - 400, 400_000L + 400);
        }
    }

    /** min and max are exact (kept beside the histogram, which has 3 significant digits). */
    @Test
    void loneThreadsMinAndMaxResponseTimesAreExact() throws Exception {
        RunResult.ThreadResult t = loneThread().thread("t");

        assertThat(t.responseMin()).isEqualTo(400_000L);
        assertThat(t.responseMax()).isEqualTo(400_000L);
    }
}
