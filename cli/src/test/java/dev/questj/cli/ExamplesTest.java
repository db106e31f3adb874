package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.QuestSystem;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file in examples/ does what its header says. */
class ExamplesTest {
    /** The one example that is meant to be refused. */
    private static final String REFUSED = "overloaded.yaml";

    static Stream<Path> admittedExamples() throws IOException {
        return examples().stream().filter(p -> !p.getFileName().toString().equals(REFUSED));
    }

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Cli.repoRoot().resolve("examples"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyTaskModelHasItsExample() throws IOException {
        assertThat(examples()).extracting(p -> p.getFileName().toString()).contains("smp-basic.yaml", "periodic.yaml",
                "sporadic.yaml", "cpu-hog.yaml", "best-effort.yaml", "java-program.yaml", REFUSED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("admittedExamples")
    void examplePassesCheckAndRunsTwoSecondsWithoutAMiss(Path file) throws Exception {
        Cli.Result check = quest("check", arg(file));
        assertThat(check.status()).as("check: %s", check.err()).isZero();
        if (file.getFileName().toString().contains("insecure")) {
            assertThat(check.err()).as("an insecure system says so").contains("INSECURE");
        } else {
            assertThat(check.err()).as("no admission warnings").isEmpty();
        }

        RunResult r = QuestSystem.load(file).run(RunOptions.inMemory().withDuration(2_000_000_000L));

        assertThat(r.deadlineMisses()).isZero();
        assertThat(r.guestFaults()).isZero();
        assertThat(r.jobsCompleted()).isPositive();
        assertThat(r.threads()).filteredOn(t -> !t.model().equals("cpu-hog") && !t.model().equals("wild-writer"))
                .allMatch(t -> t.completed() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("admittedExamples")
    void exampleStartsWithACommentHeader(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);

        assertThat(lines.getFirst()).startsWith("# ");
        assertThat(lines.stream().takeWhile(l -> l.startsWith("#")).count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void overloadedExampleIsRefusedWithTheNumbers() {
        Cli.Result r = quest("check", arg(Cli.example(REFUSED))).refusedWithOneShortMessage();

        assertThat(r.err()).contains("PCPU 0 is overloaded", "0.9333", "of 2 Main VCPUs", "the bound 0.8284");
    }

    @Test
    void cpuHogExampleGivesTheHogExactlyItsBudget() throws Exception {
        RunResult r = QuestSystem.load(Cli.example("cpu-hog.yaml")).run(RunOptions.inMemory());
        RunResult.VcpuResult hog = r.vcpu("hog");

        long periods = r.simulatedCycles() / hog.period();
        assertThat(hog.consumed()).isEqualTo(periods * hog.budget());
        assertThat(r.thread("loop").deadlineMisses()).isZero();
    }
}
