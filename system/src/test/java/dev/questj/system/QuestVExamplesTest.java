package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Quest-V examples keep their promises. */
class QuestVExamplesTest {

    @Test
    void questVHasNoVmExitAfterBootAndEveryDeadlineIsMet() throws Exception {
        RunResult r = QuestSystem.load(Examples.file("quest-v.yaml")).run(RunOptions.inMemory().withChecks(true));

        assertThat(r.mode()).isEqualTo("quest-v");
        assertThat(r.sandboxes()).hasSize(4);
        assertThat(r.vmExits().monitorsRemoved()).isTrue();
        assertThat(r.vmExits().afterBoot()).isZero();
        assertThat(r.vmExits().total()).as("boot: configuration-space probes and interrupt routing").isPositive();
        assertThat(r.threads()).allSatisfy(t -> assertThat(t.deadlineMisses()).as(t.name()).isZero());
        assertThat(r.channels()).allSatisfy(c -> {
            assertThat(c.lost()).isZero();
            assertThat(c.corrupted()).isZero();
            assertThat(c.delivered()).as(c.name()).isPositive();
        });
        assertThat(r.isolation().sharedFrames()).containsOnlyKeys("channel imu-data", "channel telemetry");
        assertThat(r.isolation().attempts()).isZero();
    }

    @Test
    void attacksAreAllBlockedAndNoVictimMissesADeadline() throws Exception {
        RunResult r = QuestSystem.load(Examples.file("attacks.yaml")).run(RunOptions.inMemory());

        assertThat(r.isolation().breaches()).isZero();
        assertThat(r.isolation().attempts()).isEqualTo(r.isolation().blocked());
        for (String kind : new String[] {"cpuWrite", "dma", "interrupt"}) {
            assertThat(r.isolation().byKind().get(kind).get("blocked")).as(kind).isPositive();
        }
        assertThat(r.isolation().byKind().get("cpuWrite").get("blockedByEpt")).isPositive();
        assertThat(r.isolation().byKind().get("cpuWrite").get("blockedByPageTable")).isPositive();
        assertThat(r.vmExits().afterBoot()).as("only the EPT violations of the faulty driver")
                .isEqualTo(r.vmExits().byReason().get("eptViolation")).isPositive();
        assertThat(r.threads()).filteredOn(t -> !t.sandbox().equals("besteffort"))
                .allSatisfy(t -> assertThat(t.deadlineMisses()).as(t.name()).isZero());
    }

    @Test
    void theInsecureVariantCountsItsBreaches() throws Exception {
        RunResult r = QuestSystem.load(Examples.file("attacks-insecure.yaml")).run(RunOptions.inMemory());

        assertThat(r.isolation().ept()).isFalse();
        for (String kind : new String[] {"cpuWrite", "dma", "interrupt"}) {
            assertThat(r.isolation().byKind().get(kind).get("breaches")).as(kind).isPositive();
        }
        assertThat(r.isolation().byKind().get("cpuWrite").get("blockedByPageTable"))
                .as("the user thread is still stopped by its page table").isPositive();
        assertThat(r.isolation().blocked() + r.isolation().breaches()).isEqualTo(r.isolation().attempts());
    }
}
