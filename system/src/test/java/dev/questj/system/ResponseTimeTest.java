package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.ConfigReader;
import org.junit.jupiter.api.Disabled;
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

    /**
     * DOUBT (reported): min and max come from an HdrHistogram with 3 significant digits, so a job of
     * exactly 400 us reports min 399,872 cycles (less than its execution time) and max 400,127; a job
     * that completes exactly at its deadline can report a max response above the deadline with zero misses.
     */
    @Disabled("responseTime.min/max are histogram bucket bounds, not the exact extremes")
    @Test
    void loneThreadsMinAndMaxResponseTimesAreExact() throws Exception {
        RunResult.ThreadResult t = loneThread().thread("t");

        assertThat(t.responseMin()).isEqualTo(400_000L);
        assertThat(t.responseMax()).isEqualTo(400_000L);
    }
}
