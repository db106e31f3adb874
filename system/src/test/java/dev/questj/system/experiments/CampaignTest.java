package dev.questj.system.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault campaign on examples/fault-recovery.yaml: every fault detected and handled, nobody else harmed. */
class CampaignTest {
    private static final long MS = 1_000_000;

    static SystemConfig example() throws Exception {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("examples/fault-recovery.yaml");
            if (Files.isRegularFile(f)) {
                return ConfigReader.read(f);
            }
        }
        throw new IllegalStateException("examples/fault-recovery.yaml not found");
    }

    @Test
    void everyKindIsDetectedAndHandledAndNothingOutsideSuffers() throws Exception {
        SystemConfig cfg = example();
        Campaign.Plan plan = new Campaign.Plan(24, 100, 1_500 * MS, 0.1, 0.7, List.of(), List.of());
        List<Campaign.Run> runs = Campaign.run(cfg, plan, 2);

        assertThat(runs).hasSize(24);
        assertThat(runs).extracting(Campaign.Run::seed).isSorted();
        assertThat(runs).extracting(Campaign.Run::kind).containsAll(FaultReader.KINDS);
        for (Campaign.Run r : runs) {
            assertThat(r.fault()).as(r.spec()).isNotNull();
            assertThat(r.fault().detectedAt()).as("detected: " + r.spec()).isGreaterThanOrEqualTo(r.fault().injectedAt());
            assertThat(r.fault().outcome()).as(r.spec()).isIn("recovered", "contained");
            assertThat(r.missesOutside()).as("misses outside the faulty sandbox: " + r.spec()).isZero();
            assertThat(r.messagesLost()).as(r.spec()).isZero();
        }
        assertThat(Campaign.clean(runs)).isTrue();
        String report = Campaign.report("fault-recovery.yaml", plan, runs, cfg.machine().frequencyHz());
        assertThat(report).contains("faults injected                              24")
                .contains("deadline misses outside the faulty sandbox    0").contains("messages lost                                 0")
                .doesNotContain("runs to look at");
    }

    @Test
    void theSameCampaignGivesTheSameReportWhateverTheParallelism() throws Exception {
        SystemConfig cfg = example();
        Campaign.Plan plan = new Campaign.Plan(6, 7, 800 * MS, 0.2, 0.8, List.of("kernel-panic", "hung-driver"), List.of("comms"));
        String one = Campaign.report("f", plan, Campaign.run(cfg, plan, 1), cfg.machine().frequencyHz());
        String two = Campaign.report("f", plan, Campaign.run(cfg, plan, 3), cfg.machine().frequencyHz());
        assertThat(two).isEqualTo(one);
        assertThat(one).contains("kernel-panic").doesNotContain("unresponsive");
    }

    @Test
    void eachRunCanBeRepeatedFromItsSpec() throws Exception {
        SystemConfig cfg = example();
        Campaign.Plan plan = new Campaign.Plan(1, 42, 1_000 * MS, 0.1, 0.7, List.of(), List.of());
        Campaign.Run r = Campaign.run(cfg, plan, 1).getFirst();
        SystemConfig again = cfg.withQuestV(cfg.questV().withOnlyFaults(List.of())).withDuration(1_000 * MS).withSeed(42);
        again = again.withFaults(List.of(FaultReader.parse(r.spec(), again)));
        var result = dev.questj.system.QuestSystem.of(again).run(dev.questj.system.RunOptions.inMemory());
        assertThat(result.faults().getFirst()).isEqualTo(r.fault());
    }

    @Test
    void badPlansAreRefused() throws Exception {
        SystemConfig cfg = example();
        assertThatThrownBy(() -> Campaign.run(cfg, new Campaign.Plan(1, 1, MS, 0.1, 0.7, List.of("meltdown"), List.of()), 1))
                .hasMessageContaining("unknown fault kind \"meltdown\"");
        assertThatThrownBy(() -> Campaign.run(cfg, new Campaign.Plan(1, 1, MS, 0.1, 0.7, List.of(), List.of("nowhere")), 1))
                .hasMessageContaining("no sandbox \"nowhere\"");
        assertThatThrownBy(() -> new Campaign.Plan(1, 1, MS, 0.7, 0.1, List.of(), List.of())).hasMessageContaining("window");
        assertThatThrownBy(() -> Campaign.run(cfg, new Campaign.Plan(1, 1, MS, 0.1, 0.7, List.of("hung-driver"), List.of("control")), 1))
                .hasMessageContaining("no sandbox can take");
    }
}
