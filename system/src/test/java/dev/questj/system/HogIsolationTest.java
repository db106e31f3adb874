package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.questj.system.config.ConfigException;
import dev.questj.system.config.ConfigReader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CPU hog of smp-basic is contained by its VCPU's budget: nobody else notices it. */
class HogIsolationTest {
    private static final String HOG_THREAD = "  - {name: hog, vcpu: hog, model: cpu-hog}\n";
    private static final String HOG_VCPU = "{name: hog, budget: 10ms, period: 100ms, core: 0}";
    private static final long TEN_SECONDS = 10_000_000_000L;

    private static RunResult withHog;

    @BeforeAll
    static void runTheDefaultExampleForTenSeconds() throws Exception {
        withHog = QuestSystem.load(Examples.file("smp-basic.yaml")).run(RunOptions.inMemory().withDuration(TEN_SECONDS));
    }

    @Test
    void noThreadMissesADeadlineBesideTheHog() {
        assertThat(withHog.simulatedCycles()).isEqualTo(TEN_SECONDS);
        assertThat(withHog.threads()).allSatisfy(t -> assertThat(t.deadlineMisses()).as(t.name()).isZero());
        assertThat(withHog.guestFaults()).isZero();
    }

    @Test
    void hogGetsItsBudgetAndNoMore() {
        RunResult.VcpuResult hog = withHog.vcpu("hog");
        long duration = withHog.simulatedCycles();
        long periodsStarted = (duration + hog.period() - 1) / hog.period();

        assertThat(hog.consumed()).isLessThanOrEqualTo(hog.budget() * (periodsStarted + 1));
        assertThat(hog.consumed()).as("an admitted VCPU gets its whole budget every period")
                .isGreaterThanOrEqualTo(hog.budget() * (duration / hog.period()));
        assertThat(hog.maxWindowUsage()).as("usage in any window of one period <= 2 budgets")
                .isLessThanOrEqualTo(2 * hog.budget());
        assertThat(withHog.thread("hog").cpuCycles()).isEqualTo(hog.consumed());
    }

    @Test
    void aLargerHogBudgetIsRefusedByAdmission() throws Exception {
        String greedy = Examples.text("smp-basic.yaml").replace(HOG_VCPU, "{name: hog, budget: 40ms, period: 100ms, core: 0}");
        assertThat(greedy).isNotEqualTo(Examples.text("smp-basic.yaml"));
        QuestSystem q = QuestSystem.of(ConfigReader.parse(greedy, "greedy-hog.yaml"));

        ConfigException e = catchThrowableOfType(ConfigException.class, q::check);

        assertThat(e.getMessage()).contains("PCPU 0 is overloaded with VCPU \"hog\"", "utilisation 0.8400 of 3 Main VCPUs", "bound 0.7798");
        assertThat(catchThrowableOfType(ConfigException.class, () -> q.run(RunOptions.inMemory()))).isNotNull();
    }

    @Test
    void removingTheHogChangesNothingOnTheOtherPcpus() throws Exception {
        String yaml = Examples.text("smp-basic.yaml");
        assertThat(yaml).contains(HOG_THREAD);
        RunResult withoutHog = QuestSystem.of(ConfigReader.parse(yaml.replace(HOG_THREAD, ""), "no-hog.yaml"))
                .run(RunOptions.inMemory().withDuration(TEN_SECONDS));

        List<RunResult.ThreadResult> others = withHog.threads().stream()
                .filter(t -> Set.of(1, 2, 3).contains(withHog.vcpu(t.vcpu()).core())).toList();
        assertThat(others).hasSizeGreaterThan(15);
        for (RunResult.ThreadResult t : others) {
            assertThat(withoutHog.thread(t.name())).as(t.name()).usingRecursiveComparison().isEqualTo(t);
        }
    }

    @Test
    void theHogDoesNotDelayHigherPriorityVcpusOnItsOwnPcpu() throws Exception {
        String yaml = Examples.text("smp-basic.yaml");
        RunResult withoutHog = QuestSystem.of(ConfigReader.parse(yaml.replace(HOG_THREAD, ""), "no-hog.yaml"))
                .run(RunOptions.inMemory().withDuration(TEN_SECONDS));

        for (RunResult.ThreadResult t : withHog.threads()) {
            if (withHog.vcpu(t.vcpu()).core() == 0 && !t.name().equals("hog")) {
                assertThat(withoutHog.thread(t.name())).as(t.name()).usingRecursiveComparison().isEqualTo(t);
            }
        }
    }
}
