package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.example;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind gives exit status 2 and one short located message on stderr, never a
 * stack trace, and never any output files.
 */
class BadInputTest {
    private static final String MACHINE = "machine: {cores: 2}\n";
    private static final String ONE_THREAD = "threads: [{name: t, vcpu: v, model: cpu-hog}]\n";

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("empty file", "", "1:1", "the file is empty"),
                Arguments.of("YAML syntax error", "machine: {cores: 2\nvcpus: []\n", "2:6", "YAML syntax error"),
                Arguments.of("unknown field", MACHINE + "vcpus: [{name: v, budget: 1ms, period: 5ms, colour: red}]\n" + ONE_THREAD,
                        "2:45", "vcpus[0].colour: unknown field \"colour\""),
                Arguments.of("negative budget", MACHINE + "vcpus: [{name: v, budget: -1ms, period: 5ms}]\n" + ONE_THREAD,
                        "2:27", "vcpus[0].budget: a duration cannot be negative"),
                Arguments.of("zero budget", MACHINE + "vcpus: [{name: v, budget: 0ms, period: 5ms}]\n" + ONE_THREAD,
                        "2:27", "vcpus[0].budget: expected a duration greater than 0"),
                Arguments.of("budget above period", MACHINE + "vcpus: [{name: v, budget: 6ms, period: 5ms}]\n" + ONE_THREAD,
                        "2:27", "vcpus[0].budget: budget 6ms exceeds period 5ms"),
                Arguments.of("thread names an unknown VCPU", MACHINE + "vcpus: [{name: v, budget: 1ms, period: 5ms}]\n"
                        + "threads: [{name: t, vcpu: w, model: cpu-hog}]\n", "3:27", "threads[0].vcpu: unknown VCPU \"w\""),
                Arguments.of("overloaded core", MACHINE + """
                        vcpus:
                          - {name: a, budget: 4ms, period: 10ms, core: 1}
                          - {name: b, budget: 5ms, period: 10ms, core: 1}
                        """ + "threads: [{name: t, vcpu: a, model: cpu-hog}]\n",
                        "4:5", "vcpus[1].core: PCPU 1 is overloaded with VCPU \"b\": PCPU 1: utilisation 0.9000 of 2 Main VCPUs"
                                + " against the bound 0.8284"),
                Arguments.of("unknown device", MACHINE + "vcpus: [{name: v, budget: 1ms, period: 5ms}]\n"
                        + "threads: [{name: t, vcpu: v, model: io-bound, device: nope, exec: 1ms}]\n",
                        "3:55", "threads[0].device: unknown device \"nope\""),
                Arguments.of("interrupt routed to a missing core", "machine: {cores: 2, devices: [{name: d, type: disk, irq: {core: 5}}]}\n"
                        + "vcpus: [{name: v, budget: 1ms, period: 5ms}, {name: io, kind: io, utilisation: 10%, devices: [d]}]\n"
                        + ONE_THREAD, "1:65", "machine.devices[0].irq.core: core 5 does not exist"),
                Arguments.of("utilisation outside (0, 1]", "machine: {cores: 2, devices: [{name: d, type: disk, irq: {core: 1}}]}\n"
                        + "vcpus: [{name: v, budget: 1ms, period: 5ms}, {name: io, kind: io, utilisation: 0%, devices: [d]}]\n"
                        + ONE_THREAD, "2:80", "vcpus[1].utilisation: utilisation 0% outside (0, 100%]"),
                Arguments.of("I/O VCPU bound to no device", "machine: {cores: 2}\n"
                        + "vcpus: [{name: v, budget: 1ms, period: 5ms}, {name: io, kind: io, utilisation: 10%}]\n"
                        + ONE_THREAD, "2:46", "vcpus[1]: I/O VCPU io serves no device"),
                Arguments.of("sandboxes sharing a core", "machine: {cores: 2}\nsandboxes:\n"
                        + "  - {name: a, cores: [0], memory: 8MiB}\n  - {name: b, cores: [0, 1], memory: 8MiB}\n",
                        "4:23", "sandboxes[1].cores[0]: core 0 already belongs to sandbox a"),
                Arguments.of("a channel to an unknown sandbox", "machine: {cores: 2}\nsandboxes:\n"
                        + "  - {name: a, cores: [0], memory: 8MiB}\nchannels: [{name: c, from: a, to: nowhere}]\n",
                        "4:35", "channels[0].to: unknown sandbox \"nowhere\""),
                Arguments.of("program class that does not exist", MACHINE + "vcpus: [{name: v, budget: 1ms, period: 5ms}]\n"
                        + "threads: [{name: p, vcpu: v, model: program, class: com.example.NoSuchProgram, period: 10ms}]\n",
                        "3:11", "threads[0].class: class com.example.NoSuchProgram is not on the classpath"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void runRefusesABadFileWithOneLocatedMessage(String what, String yaml, String lineAndColumn, String message,
            @TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        Path out = dir.resolve("out");

        Cli.Result r = quest("run", arg(file), "--out", arg(out)).refusedWithOneShortMessage();

        assertThat(r.err().strip()).startsWith(file + ":" + lineAndColumn + ": ").contains(message);
        assertThat(r.out()).isEmpty();
        assertThat(out).as("no output directory for a refused run").doesNotExist();
    }

    /** Guards: a program class that could not be found used to truncate the earlier schedule.jsonl. */
    @Test
    void refusedRunLeavesAnEarlierRunsOutputsAlone(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        assertThat(quest("run", arg(example("smp-basic.yaml")), "--duration", "100ms", "-q", "--out", arg(out)).status()).isZero();
        byte[] schedule = Files.readAllBytes(out.resolve("schedule.jsonl"));
        byte[] metrics = Files.readAllBytes(out.resolve("metrics.json"));
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, MACHINE + "vcpus: [{name: v, budget: 1ms, period: 5ms}]\n"
                + "threads: [{name: p, vcpu: v, model: program, class: com.example.NoSuchProgram, period: 10ms}]\n");

        quest("run", arg(file), "--out", arg(out)).refusedWithOneShortMessage();

        assertThat(Files.readAllBytes(out.resolve("schedule.jsonl"))).isEqualTo(schedule);
        assertThat(Files.readAllBytes(out.resolve("metrics.json"))).isEqualTo(metrics);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void checkRefusesTheSameFilesWithTheSameMessage(String what, String yaml, String lineAndColumn, String message,
            @TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);

        Cli.Result r = quest("check", arg(file)).refusedWithOneShortMessage();

        assertThat(r.err().strip()).startsWith(file + ":" + lineAndColumn + ": ").contains(message);
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        Cli.Result r = quest("run", arg(file), "--out", arg(dir)).refusedWithOneShortMessage();

        assertThat(r.err().strip()).isEqualTo(file + ": cannot read the file: it does not exist");
    }

    @Test
    void durationWithoutAUnit(@TempDir Path dir) {
        Cli.Result r = quest("run", arg(example("smp-basic.yaml")), "--duration", "10", "--out", arg(dir))
                .refusedWithOneShortMessage();

        assertThat(r.err()).contains("--duration").contains("\"10\"").contains("unit");
        assertThat(dir.resolve("metrics.json")).doesNotExist();
    }

    @Test
    void zeroDuration(@TempDir Path dir) {
        quest("run", arg(example("smp-basic.yaml")), "--duration", "0s", "--out", arg(dir)).refusedWithOneShortMessage();
    }

    @Test
    void unknownRecordValue(@TempDir Path dir) {
        Cli.Result r = quest("run", arg(example("smp-basic.yaml")), "--record", "bogus", "--out", arg(dir))
                .refusedWithOneShortMessage();

        assertThat(r.err()).contains("--record").contains("bogus").contains("slices").contains("none");
    }

    @Test
    void unknownOption() {
        Cli.Result r = quest("run", "--bogus").refusedWithOneShortMessage();

        assertThat(r.err()).contains("--bogus").contains("quest run --help");
    }

    @Test
    void unknownCommand() {
        Cli.Result r = quest("fly").refusedWithOneShortMessage();

        assertThat(r.err()).contains("fly");
    }

    @Test
    void seedThatIsNotANumber(@TempDir Path dir) {
        Cli.Result r = quest("run", arg(example("smp-basic.yaml")), "--seed", "abc", "--out", arg(dir))
                .refusedWithOneShortMessage();

        assertThat(r.err()).contains("--seed").contains("abc");
    }

    @Test
    void severalProblemsInOneFileAreAllListedOnePerLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("two.yaml");
        Files.writeString(file, MACHINE + "vcpus: [{name: v, budget: 0ms, period: 5ms}]\n"
                + "threads: [{name: t, vcpu: w, model: cpu-hog}]\n");

        Cli.Result r = quest("check", arg(file)).refusedWithOneShortMessage();

        assertThat(r.err().strip().lines()).hasSize(2)
                .allMatch(l -> Pattern.compile(Pattern.quote(file.toString()) + ":\\d+:\\d+: ").matcher(l).lookingAt());
    }
}
