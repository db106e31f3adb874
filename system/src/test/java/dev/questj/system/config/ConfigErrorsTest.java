package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of problem: one message each, {@code file:line:column: path: message}. */
class ConfigErrorsTest {
    /** A valid head that the tests append VCPUs and threads to. */
    private static final String MACHINE = "machine: {cores: 2}\n";
    private static final String ONE_VCPU = "vcpus: [{name: v, budget: 1ms, period: 5ms}]\n";
    private static final String ONE_THREAD = "threads: [{name: t, vcpu: v, model: cpu-hog}]\n";

    // ---- the file itself ----

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertThat(errorsReading(file)).containsExactly(file + ": cannot read the file: it does not exist");
    }

    @Test
    void directoryInsteadOfFile(@TempDir Path dir) {
        assertThat(errorsReading(dir)).containsExactly(dir + ": cannot read the file: it is a directory");
    }

    @Test
    void fileThatIsNotUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThat(errorsReading(file)).containsExactly(file + ": cannot read the file: it is not valid UTF-8 text");
    }

    @Test
    void emptyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("empty.yaml");
        Files.writeString(file, "");
        assertThat(errorsReading(file)).containsExactly(
                file + ":1:1: the file is empty: expected a mapping with at least machine, vcpus and threads");
    }

    @Test
    void fileWithOnlyComments() {
        assertThat(errors("# nothing yet\n---\n")).containsExactly(
                "t.yaml:1:1: the file is empty: expected a mapping with at least machine, vcpus and threads");
    }

    @Test
    void yamlSyntaxErrorUsesTheProblemMark() {
        assertThat(errors("machine: {cores: 2\nvcpus: []\n")).containsExactly(
                "t.yaml:2:6: YAML syntax error: expected ',' or '}', but got : (while parsing a flow mapping at line 1)");
    }

    @Test
    void tabIndentationIsASyntaxError() {
        assertThat(errors("machine:\n\tcores: 2\n")).singleElement().asString()
                .startsWith("t.yaml:2:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token");
    }

    @Test
    void twoDocumentsAreASyntaxError() {
        assertThat(errors(MACHINE + "---\n" + MACHINE)).containsExactly(
                "t.yaml:2:1: YAML syntax error: expected a single document in the stream, but found another document");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertThat(errors("- machine\n- vcpus\n")).containsExactly(
                "t.yaml:1:1: expected a mapping with at least machine, vcpus and threads, got a list");
        assertThat(errors("rover\n")).containsExactly(
                "t.yaml:1:1: expected a mapping with at least machine, vcpus and threads, got \"rover\"");
    }

    // ---- fields ----

    @Test
    void unknownFieldListsTheAcceptedOnes() {
        assertThat(errors("machine: {cores: 2, colour: blue}\n" + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:1:21: machine.colour: unknown field \"colour\"; accepted fields: cores, smt, frequency, memory, devices");
        assertThat(errors(MACHINE + ONE_VCPU + ONE_THREAD + "sandboxes: []\n")).containsExactly(
                "t.yaml:4:1: sandboxes: unknown field \"sandboxes\"; accepted fields: format, name, seed, duration,"
                        + " machine, overheads, kernel, vcpus, threads");
        assertThat(errors(MACHINE + "vcpus: [{name: v, budget: 1ms, period: 5ms, weight: 2}]\n" + ONE_THREAD)).containsExactly(
                "t.yaml:2:45: vcpus[0].weight: unknown field \"weight\"; accepted fields: name, kind, budget, period, core");
    }

    @Test
    void duplicateKeyIsReportedAtTheSecondOccurrence() {
        assertThat(errors("""
                machine:
                  cores: 2
                  smt: 1
                  cores: 4
                """ + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:4:3: machine.cores: duplicate field \"cores\" (first given on line 2)");
    }

    @Test
    void missingRequiredFields() {
        assertThat(errors("seed: 3\n")).containsExactly(
                "t.yaml:1:1: missing required field \"machine\"",
                "t.yaml:1:1: missing required field \"vcpus\"",
                "t.yaml:1:1: missing required field \"threads\"");
        assertThat(errors("machine: {smt: 2}\n" + "vcpus: [{name: v, period: 5ms}]\n" + "threads: [{vcpu: v}]\n"))
                .containsExactly(
                        "t.yaml:1:10: machine: missing required field \"cores\"",
                        "t.yaml:2:9: vcpus[0]: missing required field \"budget\"",
                        "t.yaml:3:11: threads[0]: missing required field \"name\"",
                        "t.yaml:3:11: threads[0]: missing required field \"model\"");
    }

    @Test
    void fieldsOfAnotherModelAreNotUsed() {
        assertThat(errors(MACHINE + ONE_VCPU
                + "threads: [{name: t, vcpu: v, model: periodic, period: 5ms, exec: 1ms, minInterarrival: 3ms}]\n"))
                .containsExactly("t.yaml:3:71: threads[0].minInterarrival: field \"minInterarrival\" is not used by"
                        + " model periodic; its fields are: name, vcpu, model, ioVcpu, period, deadline, exec, offset");
        assertThat(errors(MACHINE + ONE_VCPU + "threads: [{name: t, vcpu: v, model: cpu-hog, exec: 1ms}]\n"))
                .containsExactly("t.yaml:3:46: threads[0].exec: field \"exec\" is not used by model cpu-hog;"
                        + " its fields are: name, vcpu, model, ioVcpu");
    }

    @Test
    void unknownModel() {
        assertThat(errors(MACHINE + ONE_VCPU + "threads: [{name: t, vcpu: v, model: io-heavy}]\n")).containsExactly(
                "t.yaml:3:37: threads[0].model: expected one of periodic, sporadic, cpu-hog, best-effort, program,"
                        + " io-bound, network-receiver, got \"io-heavy\"");
    }

    // ---- values ----

    @Test
    void budgetMustBePositive() {
        assertThat(errors(MACHINE + "vcpus: [{name: v, budget: 0us, period: 5ms}]\n" + ONE_THREAD)).containsExactly(
                "t.yaml:2:27: vcpus[0].budget: expected a duration greater than 0, got \"0us\"");
        assertThat(errors(MACHINE + "vcpus: [{name: v, budget: -1ms, period: 5ms}]\n" + ONE_THREAD)).containsExactly(
                "t.yaml:2:27: vcpus[0].budget: a duration cannot be negative, got \"-1ms\"");
    }

    @Test
    void bareNumberIsNotADuration() {
        assertThat(errors(MACHINE + "vcpus: [{name: v, budget: 10, period: 5ms}]\n" + ONE_THREAD)).containsExactly(
                "t.yaml:2:27: vcpus[0].budget: expected a duration with a unit (cycles, ns, us, ms, s), got \"10\"");
    }

    @Test
    void budgetAbovePeriod() {
        assertThat(errors(MACHINE + "vcpus:\n  - {name: v, budget: 1ms, period: 5ms}\n"
                + "  - {name: w, budget: 6ms, period: 5ms}\n" + ONE_THREAD)).containsExactly(
                "t.yaml:4:23: vcpus[1].budget: budget 6ms exceeds period 5ms");
    }

    @Test
    void threadNamesAnUnknownVcpu() {
        assertThat(errors(MACHINE + "vcpus: [{name: fast, budget: 1ms, period: 5ms}, {name: slow, budget: 1ms, period: 5ms}]\n"
                + "threads: [{name: t, vcpu: x, model: cpu-hog}]\n")).containsExactly(
                "t.yaml:3:27: threads[0].vcpu: unknown VCPU \"x\"; VCPUs are: fast, slow");
    }

    @Test
    void duplicateNames() {
        assertThat(errors(MACHINE + """
                vcpus:
                  - {name: v, budget: 1ms, period: 5ms}
                  - {name: v, budget: 1ms, period: 5ms}
                threads:
                  - {name: t, vcpu: v, model: cpu-hog}
                  - {name: t, vcpu: v, model: cpu-hog}
                """)).containsExactly(
                "t.yaml:4:12: vcpus[1].name: duplicate VCPU name \"v\" (first given on line 3)",
                "t.yaml:7:12: threads[1].name: duplicate thread name \"t\" (first given on line 6)");
    }

    @Test
    void invalidName() {
        assertThat(errors(MACHINE + "vcpus: [{name: \"a b\", budget: 1ms, period: 5ms}]\n" + ONE_THREAD)).containsExactly(
                "t.yaml:2:16: vcpus[0].name: invalid name \"a b\": use letters, digits, '_', '-' and '.',"
                        + " starting with a letter, digit or '_'");
    }

    @Test
    void coreOutOfRangeNamesTheNumberOfPcpus() {
        assertThat(errors("machine: {cores: 2, smt: 2}\n" + "vcpus: [{name: v, budget: 1ms, period: 5ms, core: 4}]\n"
                + ONE_THREAD)).containsExactly(
                "t.yaml:2:51: vcpus[0].core: core 4 does not exist: the machine has 4 PCPUs (cores 0 to 3)");
        assertThat(errors("machine: {cores: 1}\n" + "vcpus: [{name: v, budget: 1ms, period: 5ms, core: 1}]\n"
                + ONE_THREAD)).containsExactly(
                "t.yaml:2:51: vcpus[0].core: core 1 does not exist: the machine has 1 PCPU (core 0)");
        assertThat(errors(MACHINE + "vcpus: [{name: v, budget: 1ms, period: 5ms, core: -1}]\n" + ONE_THREAD))
                .containsExactly("t.yaml:2:51: vcpus[0].core: core -1 does not exist: the machine has 2 PCPUs (cores 0 to 1)");
        assertThat(errors("machine: {cores: x}\n" + "vcpus: [{name: v, budget: 1ms, period: 5ms, core: -1}]\n" + ONE_THREAD))
                .contains("t.yaml:2:51: vcpus[0].core: core -1 does not exist: cores are numbered from 0");
    }

    @Test
    void machineRanges() {
        assertThat(errors("machine: {cores: 0, smt: 3, frequency: 500kHz}\n" + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:1:18: machine.cores: expected an integer from 1 to 1024, got 0",
                "t.yaml:1:26: machine.smt: expected an integer from 1 to 2, got 3",
                "t.yaml:1:40: machine.frequency: expected a frequency from 1MHz to 100GHz, got \"500kHz\"");
        assertThat(errors("machine: {cores: 1, frequency: 2}\n" + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:1:32: machine.frequency: expected a frequency with a unit (Hz, kHz, MHz, GHz), got \"2\"");
    }

    @Test
    void kernelAndTopLevelRanges() {
        assertThat(errors("format: 2\nseed: 1.5\nduration: 0s\n" + MACHINE
                + "kernel: {quantum: 0ms, maxReplenishments: 1, admission: strict}\n" + ONE_VCPU + ONE_THREAD))
                .containsExactly(
                        "t.yaml:1:9: format: unsupported format 2: this version reads format 1",
                        "t.yaml:2:7: seed: expected a 64-bit integer, got \"1.5\"",
                        "t.yaml:3:11: duration: expected a duration greater than 0, got \"0s\"",
                        "t.yaml:5:19: kernel.quantum: expected a duration greater than 0, got \"0ms\"",
                        "t.yaml:5:43: kernel.maxReplenishments: expected an integer from 2 to 4096, got 1",
                        "t.yaml:5:57: kernel.admission: expected one of enforce, warn, off, got \"strict\"");
    }

    @Test
    void wrongTypes() {
        assertThat(errors("machine: [2]\nvcpus: {name: v}\nthreads: [t]\n")).containsExactly(
                "t.yaml:1:10: machine: expected a mapping, got a list",
                "t.yaml:2:8: vcpus: expected a list of VCPUs, got a mapping",
                "t.yaml:3:11: threads[0]: expected a mapping, got \"t\"");
        assertThat(errors("machine: {cores: four}\n" + "vcpus: [{name: [v], budget: {a: 1}, period: }]\n" + ONE_THREAD))
                .containsExactly(
                        "t.yaml:1:18: machine.cores: expected an integer from 1 to 1024, got \"four\"",
                        "t.yaml:2:16: vcpus[0].name: expected a name, got a list",
                        "t.yaml:2:29: vcpus[0].budget: expected a duration with a unit (cycles, ns, us, ms, s), got a mapping",
                        "t.yaml:2:44: vcpus[0].period: expected a duration with a unit (cycles, ns, us, ms, s), got nothing");
    }

    @Test
    void emptyLists() {
        assertThat(errors(MACHINE + "vcpus: []\nthreads: []\n")).containsExactly(
                "t.yaml:2:8: vcpus: expected at least one VCPU",
                "t.yaml:3:10: threads: expected at least one thread");
    }

    @Test
    void badExecForms() {
        assertThat(errors(MACHINE + ONE_VCPU + """
                threads:
                  - {name: a, vcpu: v, model: best-effort, exec: 0us}
                  - {name: b, vcpu: v, model: best-effort, exec: [1ms, 2ms]}
                  - {name: c, vcpu: v, model: best-effort, exec: {uniform: [1ms]}}
                  - {name: d, vcpu: v, model: best-effort, exec: {uniform: [9ms, 4ms]}}
                  - {name: e, vcpu: v, model: best-effort, exec: {poisson: 3ms}}
                  - {name: f, vcpu: v, model: best-effort, exec: {normal: {sd: 1ms}}}
                  - {name: g, vcpu: v, model: best-effort, exec: {normal: {mean: 5ms, sd: 1ms, max: 4ms}}}
                  - {name: h, vcpu: v, model: best-effort, exec: {uniform: [1ms, 2ms], normal: {mean: 1ms, sd: 0us}}}
                """)).containsExactly(
                "t.yaml:4:50: threads[0].exec: expected a duration greater than 0, got \"0us\"",
                "t.yaml:5:50: threads[1].exec: expected a duration (such as 800us), {uniform: [min, max]} or"
                        + " {normal: {mean, sd, min, max}}, got a list",
                "t.yaml:6:60: threads[2].exec.uniform: expected a list of two durations [min, max], got a list of 1",
                "t.yaml:7:60: threads[3].exec.uniform: min 9ms exceeds max 4ms",
                "t.yaml:8:51: threads[4].exec.poisson: unknown field \"poisson\"; accepted fields: uniform, normal",
                "t.yaml:9:59: threads[5].exec.normal: missing required field \"mean\"",
                "t.yaml:10:85: threads[6].exec.normal.max: mean 5ms exceeds max 4ms",
                "t.yaml:11:50: threads[7].exec: expected a duration (such as 800us), {uniform: [min, max]} or"
                        + " {normal: {mean, sd, min, max}}, got a mapping");
    }

    @Test
    void badProgramClassAndArgs() {
        assertThat(errors(MACHINE + ONE_VCPU
                + "threads: [{name: p, vcpu: v, model: program, class: com..Bad, args: {gain: [1], gain: 2}}]\n"))
                .containsExactly(
                        "t.yaml:3:53: threads[0].class: expected a Java class name such as com.example.Estimator,"
                                + " got \"com..Bad\"",
                        "t.yaml:3:76: threads[0].args.gain: expected a single value, got a list",
                        "t.yaml:3:81: threads[0].args.gain: duplicate field \"gain\" (first given on line 3)");
    }

    // ---- several at once ----

    @Test
    void allErrorsAreReportedInFileOrder() {
        List<String> errors = errors("""
                threads:
                  - {name: t, vcpu: nope, model: periodic, period: 5ms, exec: 10}
                machine: {cores: 1, colour: blue}
                vcpus:
                  - {name: v, budget: 6ms, period: 5ms, core: 3}
                """);
        assertThat(errors).containsExactly(
                "t.yaml:2:21: threads[0].vcpu: unknown VCPU \"nope\"; VCPUs are: v",
                "t.yaml:2:63: threads[0].exec: expected a duration with a unit (cycles, ns, us, ms, s), got \"10\"",
                "t.yaml:3:21: machine.colour: unknown field \"colour\"; accepted fields: cores, smt, frequency, memory,"
                        + " devices",
                "t.yaml:5:23: vcpus[0].budget: budget 6ms exceeds period 5ms",
                "t.yaml:5:47: vcpus[0].core: core 3 does not exist: the machine has 1 PCPU (core 0)");
    }

    @Test
    void aBrokenMachineStillLetsTheRestBeChecked() {
        assertThat(errors("machine: {cores: 1, frequency: fast}\n" + "vcpus: [{name: v, budget: 6ms, period: 5ms, core: 3}]\n"
                + ONE_THREAD)).containsExactly(
                "t.yaml:1:32: machine.frequency: expected a frequency with a unit (Hz, kHz, MHz, GHz), got \"fast\"",
                "t.yaml:2:27: vcpus[0].budget: budget 6ms exceeds period 5ms");
    }

    @Test
    void atMostTwentyErrorsAreShownThenCounted() {
        StringBuilder yaml = new StringBuilder(MACHINE + "vcpus:\n");
        for (int i = 0; i < 25; i++) {
            yaml.append("  - {name: v").append(i).append(", budget: 0ms, period: 5ms}\n");
        }
        yaml.append(ONE_THREAD.replace("vcpu: v", "vcpu: v0"));
        List<String> errors = errors(yaml.toString());
        assertThat(errors).hasSize(21);
        assertThat(errors.get(19)).startsWith("t.yaml:22:");
        assertThat(errors.get(20)).isEqualTo("t.yaml: and 5 more errors not shown");
    }

    @Test
    void theExceptionMessageIsOneLinePerError() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigReader.parse("machine: {cores: 0}\nvcpus: []\n" + ONE_THREAD, "t.yaml"));
        assertThat(e.getMessage()).isEqualTo("""
                t.yaml:1:18: machine.cores: expected an integer from 1 to 1024, got 0
                t.yaml:2:8: vcpus: expected at least one VCPU""");
    }

    @Test
    void nothingButConfigExceptionEscapes() {
        for (String yaml : List.of("a: *unknown\n", "!!binary x: 1\n", "[\n", "a: b: c\n", "? {a: 1}\n: 2\n", "{a: 1, a: 2}\n",
                "machine: &m {cores: *m}\nvcpus: [*m]\nthreads: *m\n")) {
            assertThatThrownBy(() -> ConfigReader.parse(yaml, "t.yaml")).isInstanceOf(ConfigException.class);
        }
    }

    private static List<String> errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigReader.parse(yaml, "t.yaml"))
                .errors().stream().map(ConfigError::format).toList();
    }

    private static List<String> errorsReading(Path file) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigReader.read(file))
                .errors().stream().map(ConfigError::format).toList();
    }
}
