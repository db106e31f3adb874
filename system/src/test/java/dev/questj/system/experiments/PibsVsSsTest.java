package dev.questj.system.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.KernelSettings.IoVcpuMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claims docs/EXPERIMENTS.md draws from `quest experiment pibs-vs-ss`, on short runs. */
class PibsVsSsTest {
    @Test
    void theMainVcpusGuaranteeHoldsAtEveryLoadAndPibsHasTheLowerLatencyBelowSaturation() throws Exception {
        List<PibsVsSs.Row> rows = PibsVsSs.run(List.of(1000.0, 50_000.0), 1_000_000_000L, 1);

        assertThat(rows).hasSize(4).allSatisfy(r -> {
            assertThat(r.cpuMisses()).as("%s at %.0f/s", r.mode(), r.rate()).isZero();
            assertThat(r.cpuJobs()).isEqualTo(100);
            assertThat(r.ioShare()).isLessThanOrEqualTo(0.1 + 0.01);
        });
        PibsVsSs.Row pibs = rows.get(0);
        PibsVsSs.Row ss = rows.get(1);
        assertThat(pibs.mode()).isEqualTo(IoVcpuMode.PIBS);
        assertThat(pibs.latencyP99()).as("PIBS inherits the receiver's shorter period").isLessThan(ss.latencyP99() / 5);
        assertThat(rows.get(2).dropped()).as("past saturation the ring overflows, counted").isPositive();
    }
}
