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
        assertThat(errors(MACHINE + ONE_VCPU + ONE_THREAD + "weather: {}\n")).containsExactly(
                "t.yaml:4:1: weather: unknown field \"weather\"; accepted fields: format, name, seed, duration,"
                        + " machine, overheads, kernel, vcpus, threads, protection, monitors, sandboxes, channels, policy,"
                        + " severances, faults, migration, migrations");
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
                        + " model periodic; its fields are: name, vcpu, model, ioVcpu, restartable, period, deadline, exec, offset");
        assertThat(errors(MACHINE + ONE_VCPU + "threads: [{name: t, vcpu: v, model: cpu-hog, exec: 1ms}]\n"))
                .containsExactly("t.yaml:3:46: threads[0].exec: field \"exec\" is not used by model cpu-hog;"
                        + " its fields are: name, vcpu, model, ioVcpu, restartable");
    }

    @Test
    void unknownModel() {
        assertThat(errors(MACHINE + ONE_VCPU + "threads: [{name: t, vcpu: v, model: io-heavy}]\n")).containsExactly(
                "t.yaml:3:37: threads[0].model: expected one of periodic, sporadic, cpu-hog, best-effort, program,"
                        + " io-bound, network-receiver, producer, consumer, wild-writer, got \"io-heavy\"");
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

    // ---- memory and devices ----

    /** A machine with one device of each type, and an I/O VCPU serving them all by class. */
    private static final String DEVICES = """
            machine:
              cores: 2
              devices:
                - {name: eth0, type: nic, irq: {core: 1}}
                - {name: disk0, type: disk, irq: {core: 1}}
                - {name: imu, type: sensor, irq: {core: 0}, period: 5ms}
                - {name: servo, type: actuator, irq: {core: 0}}
                - {name: tty, type: serial, irq: {core: 0}}
            """;
    private static final String IO_VCPUS = """
            vcpus:
              - {name: app, budget: 1ms, period: 5ms}
              - {name: io, kind: io, utilisation: 10%, classes: [nic, disk, sensor, actuator, serial]}
            """;

    @Test
    void memoryMustBeWholePagesAndAtLeastOneMiB() {
        assertThat(errors("machine: {cores: 1, memory: 1000KiB}\n" + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:1:29: machine.memory: memory 1000KiB must be at least 1MiB and a multiple of 4KiB (one page)");
        assertThat(errors("machine: {cores: 1, memory: 2MB}\n" + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:1:29: machine.memory: memory 2MB must be at least 1MiB and a multiple of 4KiB (one page)");
        assertThat(errors("machine: {cores: 1, memory: 512}\n" + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:1:29: machine.memory: expected a size with a unit (B, KiB, MiB, GiB, KB, MB, GB), got \"512\"");
        assertThat(errors("machine: {cores: 1, memory: 1.5B}\n" + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:1:29: machine.memory: the size \"1.5B\" is not a whole number of bytes");
    }

    @Test
    void unknownDeviceType() {
        assertThat(errors("machine:\n  cores: 1\n  devices: [{name: g, type: gpu, irq: {core: 0}}]\n" + ONE_VCPU + ONE_THREAD))
                .containsExactly("t.yaml:3:29: machine.devices[0].type: expected one of nic, disk, sensor, actuator,"
                        + " serial, rogue, got \"gpu\"");
    }

    @Test
    void irqCoreOutOfRangeNamesTheNumberOfPcpus() {
        assertThat(errors("machine:\n  cores: 2\n  smt: 2\n  devices: [{name: d, type: disk, irq: {core: 4}}]\n"
                + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:4:47: machine.devices[0].irq.core: core 4 does not exist: the machine has 4 PCPUs (cores 0 to 3)");
        assertThat(errors("machine:\n  cores: 1\n  devices: [{name: d, type: disk, irq: 0}, {name: e, type: disk}]\n"
                + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:3:40: machine.devices[0].irq: expected a mapping, got \"0\"",
                "t.yaml:3:44: machine.devices[1]: missing required field \"irq\"");
    }

    @Test
    void deviceFieldsAreCheckedAgainstTheType() {
        assertThat(errors("""
                machine:
                  cores: 1
                  devices:
                    - {name: d, type: disk, irq: {core: 0}, ring: 8, colour: red}
                    - {name: s, type: sensor, irq: {core: 0}}
                    - {name: d, type: serial, irq: {core: 0}, baud: 0, driver: {perByte: 1us}}
                    - {name: n, type: nic, irq: {core: 0}, ring: 0, bandwidth: 0MB/s}
                """ + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:4:45: machine.devices[0].ring: field \"ring\" is not used by type disk; its fields are: name, type,"
                        + " irq, driver, seek, bandwidth",
                "t.yaml:4:54: machine.devices[0].colour: unknown field \"colour\"; accepted fields: name, type, irq, driver,"
                        + " seek, bandwidth",
                "t.yaml:5:7: machine.devices[1]: missing required field \"period\"",
                "t.yaml:6:14: machine.devices[2].name: duplicate device name \"d\" (first given on line 4)",
                "t.yaml:6:53: machine.devices[2].baud: expected an integer of at least 1, got 0",
                "t.yaml:6:65: machine.devices[2].driver.perByte: unknown field \"perByte\"; accepted fields: topHalf,"
                        + " perRequest, perKiB",
                "t.yaml:7:50: machine.devices[3].ring: expected an integer from 1 to 65536, got 0",
                "t.yaml:7:64: machine.devices[3].bandwidth: expected a bandwidth greater than 0, got \"0MB/s\"");
    }

    @Test
    void badArrivals() {
        assertThat(errors("""
                machine:
                  cores: 1
                  devices:
                    - {name: a, type: nic, irq: {core: 0}, arrivals: {pattern: lumpy}}
                    - {name: b, type: nic, irq: {core: 0}, arrivals: {pattern: periodic}}
                    - {name: c, type: nic, irq: {core: 0}, arrivals: {pattern: periodic, rate: 1/s, interval: 1s}}
                    - {name: d, type: nic, irq: {core: 0}, arrivals: {pattern: poisson, rate: 2000, port: 65536}}
                    - {name: e, type: nic, irq: {core: 0}, arrivals: {pattern: bursty, rate: 0/s, on: 1ms, size: 0B}}
                    - {name: f, type: nic, irq: {core: 0}, arrivals: {pattern: poisson, rate: 2000000000/s, file: x}}
                """ + ONE_VCPU + ONE_THREAD)).containsExactly(
                "t.yaml:4:64: machine.devices[0].arrivals.pattern: expected one of none, periodic, poisson, bursty, trace,"
                        + " got \"lumpy\"",
                "t.yaml:5:54: machine.devices[1].arrivals: missing required field \"rate\" or \"interval\"",
                "t.yaml:6:85: machine.devices[2].arrivals.interval: give rate or interval, not both",
                "t.yaml:7:79: machine.devices[3].arrivals.rate: expected a rate with a unit (/s), got \"2000\"",
                "t.yaml:7:91: machine.devices[3].arrivals.port: expected an integer from 0 to 65535, got 65536",
                "t.yaml:8:54: machine.devices[4].arrivals: missing required field \"off\"",
                "t.yaml:8:78: machine.devices[4].arrivals.rate: expected a rate greater than 0/s and at most one a cycle"
                        + " (1000000000/s at 1GHz), got \"0/s\"",
                "t.yaml:8:98: machine.devices[4].arrivals.size: expected a size greater than 0, got \"0B\"",
                "t.yaml:9:79: machine.devices[5].arrivals.rate: expected a rate greater than 0/s and at most one a cycle"
                        + " (1000000000/s at 1GHz), got \"2000000000/s\"",
                "t.yaml:9:93: machine.devices[5].arrivals.file: field \"file\" is not used by pattern poisson; its fields"
                        + " are: pattern, rate, size, port");
    }

    @Test
    void missingTraceFile(@TempDir Path dir) {
        String yaml = "machine:\n  cores: 1\n  devices: [{name: n, type: nic, irq: {core: 0},"
                + " arrivals: {pattern: trace, file: none.trace}}]\n" + ONE_VCPU + ONE_THREAD;
        assertThat(errors(yaml, dir.resolve("t.yaml").toString())).containsExactly(
                dir.resolve("t.yaml") + ":3:83: machine.devices[0].arrivals.file: cannot read the trace file \""
                        + dir.resolve("none.trace") + "\": it does not exist");
    }

    @Test
    void unsortedAndMalformedTracesAreLocatedInTheTraceFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("eth.trace"), """
                # time,size[,port]
                1ms,1500B,7
                2ms,64B
                1.5ms,64B     # out of order
                3ms
                4ms,0B,70000
                5,1KiB
                """);
        String yaml = "machine:\n  cores: 1\n  devices: [{name: n, type: nic, irq: {core: 0},"
                + " arrivals: {pattern: trace, file: eth.trace}}]\n" + ONE_VCPU + ONE_THREAD;
        String trace = dir.resolve("eth.trace") + ":";
        assertThat(errors(yaml, dir.resolve("t.yaml").toString())).containsExactly(
                trace + "4:1: machine.devices[0].arrivals.file: packet at 1.5ms comes before the one at 2ms on line 3:"
                        + " a trace must be sorted by time",
                trace + "5:1: machine.devices[0].arrivals.file: expected time,size[,port] such as 1.5ms,1500B,7, got \"3ms\"",
                trace + "6:5: machine.devices[0].arrivals.file: expected a size greater than 0, got \"0B\"",
                trace + "6:8: machine.devices[0].arrivals.file: expected a port from 0 to 65535, got \"70000\"",
                trace + "7:1: machine.devices[0].arrivals.file: expected a duration with a unit (cycles, ns, us, ms, s),"
                        + " got \"5\"");
    }

    @Test
    void traceProblemsFollowTheDescriptionsOwn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("eth.trace"), "2ms,1B\n1ms,1B\n");
        String yaml = "machine:\n  cores: 1\n  devices: [{name: n, type: nic, irq: {core: 0},"
                + " arrivals: {pattern: trace, file: eth.trace}}]\n" + ONE_VCPU + "threads: [{name: t, vcpu: w, model: cpu-hog}]\n";
        assertThat(errors(yaml, dir.resolve("t.yaml").toString())).containsExactly(
                dir.resolve("t.yaml") + ":5:27: threads[0].vcpu: unknown VCPU \"w\"; VCPUs are: v",
                dir.resolve("eth.trace") + ":2:1: machine.devices[0].arrivals.file: packet at 1ms comes before the one at"
                        + " 2ms on line 1: a trace must be sorted by time");
    }

    // ---- I/O VCPUs ----

    @Test
    void ioVcpuFieldsAndKinds() {
        assertThat(errors(DEVICES + """
                kernel: {ioVcpus: fifo}
                vcpus:
                  - {name: app, budget: 1ms, period: 5ms, utilisation: 10%, classes: [disk]}
                  - {name: io, kind: io, utilisation: 10%, budget: 1ms, classes: [nic, disk, sensor, actuator, serial]}
                  - {name: x, kind: interrupt, utilisation: 10%}
                """ + ONE_THREAD.replace("vcpu: v", "vcpu: app"))).containsExactly(
                "t.yaml:9:19: kernel.ioVcpus: expected one of pibs, sporadic, got \"fifo\"",
                "t.yaml:11:43: vcpus[0].utilisation: field \"utilisation\" is not used by a Main VCPU (kind: main); its"
                        + " fields are: name, kind, budget, period, core",
                "t.yaml:11:61: vcpus[0].classes: field \"classes\" is not used by a Main VCPU (kind: main); its fields are:"
                        + " name, kind, budget, period, core",
                "t.yaml:12:44: vcpus[1].budget: field \"budget\" is not used by an I/O VCPU; it has a utilisation",
                "t.yaml:13:21: vcpus[2].kind: expected one of main, io, got \"interrupt\"");
    }

    @Test
    void utilisationOutsideZeroToOne() {
        assertThat(errors(DEVICES + """
                vcpus:
                  - {name: app, budget: 1ms, period: 5ms}
                  - {name: a, kind: io, utilisation: 0%, classes: [nic]}
                  - {name: b, kind: io, utilisation: 100.5%, classes: [disk]}
                  - {name: c, kind: io, utilisation: 1.5, classes: [sensor]}
                  - {name: d, kind: io, utilisation: "-10%", classes: [actuator]}
                  - {name: e, kind: io, utilisation: 10, classes: [serial]}
                  - {name: f, kind: io, utilisation: ten, devices: [eth0]}
                  - {name: g, kind: io, devices: [disk0]}
                """ + ONE_THREAD.replace("vcpu: v", "vcpu: app"))).containsExactly(
                "t.yaml:11:38: vcpus[1].utilisation: utilisation 0% outside (0, 100%]",
                "t.yaml:12:38: vcpus[2].utilisation: utilisation 100.5% outside (0, 100%]",
                "t.yaml:13:38: vcpus[3].utilisation: utilisation 1.5 outside (0, 100%]",
                "t.yaml:14:38: vcpus[4].utilisation: utilisation -10% outside (0, 100%]",
                "t.yaml:15:38: vcpus[5].utilisation: utilisation 10 outside (0, 100%]",
                "t.yaml:16:38: vcpus[6].utilisation: expected a utilisation as a percentage (10%) or a fraction (0.1),"
                        + " got \"ten\"",
                "t.yaml:17:5: vcpus[7]: missing required field \"utilisation\"");
    }

    @Test
    void ioVcpuBoundToNoDevice() {
        assertThat(errors(DEVICES + """
                vcpus:
                  - {name: app, budget: 1ms, period: 5ms}
                  - {name: net-io, kind: io, utilisation: 10%, core: 1}
                  - {name: named, kind: io, utilisation: 10%, devices: []}
                  - {name: io, kind: io, utilisation: 10%, classes: [nic, disk, sensor, actuator, serial]}
                  - {name: empty, kind: io, utilisation: 10%, devices: [], classes: []}
                threads:
                  - {name: t, vcpu: app, model: cpu-hog, ioVcpu: named}
                """)).containsExactly(
                "t.yaml:11:5: vcpus[1]: I/O VCPU net-io serves no device: give it devices or classes",
                "t.yaml:14:5: vcpus[4]: I/O VCPU empty serves no device: give it devices or classes");
    }

    @Test
    void ioVcpuListsNameDevicesAndTypes() {
        assertThat(errors(DEVICES + """
                vcpus:
                  - {name: app, budget: 1ms, period: 5ms}
                  - {name: io, kind: io, utilisation: 10%, devices: [eth0, eth9, eth0], classes: [tape, disk, disk]}
                  - {name: rest, kind: io, utilisation: 10%, classes: [sensor, actuator, serial], devices: eth0}
                """ + ONE_THREAD.replace("vcpu: v", "vcpu: app"))).containsExactly(
                "t.yaml:11:60: vcpus[1].devices[1]: unknown device \"eth9\"; devices are: eth0, disk0, imu, servo, tty",
                "t.yaml:11:66: vcpus[1].devices[2]: \"eth0\" is listed twice",
                "t.yaml:11:83: vcpus[1].classes[0]: expected one of nic, disk, sensor, actuator, serial, got \"tape\"",
                "t.yaml:11:95: vcpus[1].classes[2]: \"disk\" is listed twice",
                "t.yaml:12:92: vcpus[2].devices: expected a list of device names, got \"eth0\"");
        assertThat(errors(MACHINE + "vcpus:\n  - {name: v, budget: 1ms, period: 5ms}\n"
                + "  - {name: io, kind: io, utilisation: 10%, devices: [eth0]}\n" + ONE_THREAD)).containsExactly(
                "t.yaml:4:54: vcpus[1].devices[0]: unknown device \"eth0\": the machine has no devices");
    }

    @Test
    void deviceClaimedByTwoIoVcpus() {
        assertThat(errors(DEVICES + """
                vcpus:
                  - {name: app, budget: 1ms, period: 5ms}
                  - {name: a, kind: io, utilisation: 10%, devices: [eth0], classes: [sensor, actuator, serial]}
                  - {name: b, kind: io, utilisation: 10%, devices: [eth0], classes: [disk]}
                  - {name: c, kind: io, utilisation: 10%, classes: [disk]}
                """ + ONE_THREAD.replace("vcpu: v", "vcpu: app"))).containsExactly(
                "t.yaml:12:53: vcpus[2].devices[0]: device eth0 is already served by I/O VCPU a (line 11): a device is"
                        + " named by one I/O VCPU at most",
                "t.yaml:13:53: vcpus[3].classes[0]: device disk0 matches the classes of I/O VCPUs b and c: name it in the"
                        + " devices of one of them");
        // a device named explicitly is not in conflict with the classes of others
        assertThat(errors(DEVICES + """
                vcpus:
                  - {name: app, budget: 1ms, period: 5ms}
                  - {name: a, kind: io, utilisation: 10%, classes: [nic, disk, sensor, actuator, serial]}
                  - {name: b, kind: io, utilisation: 10%, classes: [disk, nic], devices: [disk0]}
                """ + ONE_THREAD.replace("vcpu: v", "vcpu: app"))).containsExactly(
                "t.yaml:12:59: vcpus[2].classes[1]: device eth0 matches the classes of I/O VCPUs a and b: name it in the"
                        + " devices of one of them");
    }

    // ---- threads and I/O ----

    @Test
    void threadOnAnIoVcpu() {
        assertThat(errors(DEVICES + IO_VCPUS + "threads: [{name: t, vcpu: io, model: cpu-hog}]\n")).containsExactly(
                "t.yaml:12:27: threads[0].vcpu: thread t runs on I/O VCPU io; threads run on Main VCPUs");
    }

    @Test
    void ioVcpuOfAThreadMustBeAnIoVcpu() {
        assertThat(errors(DEVICES + IO_VCPUS + """
                threads:
                  - {name: t, vcpu: app, model: cpu-hog, ioVcpu: app}
                  - {name: u, vcpu: app, model: cpu-hog, ioVcpu: nope}
                """)).containsExactly(
                "t.yaml:13:50: threads[0].ioVcpu: app is a Main VCPU; ioVcpu names an I/O VCPU (kind: io): I/O VCPUs are: io",
                "t.yaml:14:50: threads[1].ioVcpu: unknown VCPU \"nope\"; ioVcpu names an I/O VCPU (kind: io): I/O VCPUs"
                        + " are: io");
        assertThat(errors(MACHINE + ONE_VCPU + "threads: [{name: t, vcpu: v, model: cpu-hog, ioVcpu: v}]\n")).containsExactly(
                "t.yaml:3:54: threads[0].ioVcpu: v is a Main VCPU; ioVcpu names an I/O VCPU (kind: io): there are none");
    }

    @Test
    void threadNamingAnUnknownDevice() {
        assertThat(errors(DEVICES + IO_VCPUS + """
                threads:
                  - {name: t, vcpu: app, model: io-bound, device: eth9, exec: 1ms}
                  - {name: u, vcpu: app, model: network-receiver, exec: 1ms}
                """)).containsExactly(
                "t.yaml:13:51: threads[0].device: unknown device \"eth9\"; devices are: eth0, disk0, imu, servo, tty",
                "t.yaml:14:5: threads[1]: missing required field \"device\"",
                "t.yaml:14:5: threads[1]: missing required field \"port\"");
    }

    @Test
    void requestTheDeviceCannotDo() {
        assertThat(errors(DEVICES + IO_VCPUS + """
                threads:
                  - {name: a, vcpu: app, model: io-bound, device: eth0, exec: 1ms}
                  - {name: b, vcpu: app, model: io-bound, device: imu, request: write, exec: 1ms}
                  - {name: c, vcpu: app, model: io-bound, device: servo, request: read, exec: 1ms}
                  - {name: d, vcpu: app, model: io-bound, device: disk0, request: transmit, exec: 1ms}
                  - {name: e, vcpu: app, model: io-bound, device: tty, request: print, exec: 1ms}
                """)).containsExactly(
                "t.yaml:13:51: threads[0].device: device eth0 (nic) cannot read (the default request); a nic takes"
                        + " request: transmit or write",
                "t.yaml:14:65: threads[1].request: device imu (sensor) cannot write; a sensor takes request: read",
                "t.yaml:15:67: threads[2].request: device servo (actuator) cannot read; an actuator takes request: write",
                "t.yaml:16:67: threads[3].request: device disk0 (disk) cannot transmit; a disk takes request: read or write",
                "t.yaml:17:65: threads[4].request: expected one of read, write, transmit, got \"print\"");
    }

    @Test
    void ioBoundAndReceiverValues() {
        assertThat(errors(DEVICES + IO_VCPUS + """
                threads:
                  - {name: a, vcpu: app, model: io-bound, device: disk0, size: 0B, exec: 1ms, deadline: 1}
                  - {name: b, vcpu: app, model: network-receiver, device: disk0, port: 7, exec: 1ms}
                  - {name: c, vcpu: app, model: network-receiver, device: eth0, port: 70000, exec: 1ms, request: read}
                  - {name: d, vcpu: app, model: network-receiver, device: eth0, port: 7, exec: 1ms}
                  - {name: e, vcpu: app, model: network-receiver, device: eth0, port: 7, exec: 1ms}
                """)).containsExactly(
                "t.yaml:13:64: threads[0].size: expected a size greater than 0, got \"0B\"",
                "t.yaml:13:89: threads[0].deadline: expected a duration with a unit (cycles, ns, us, ms, s), got \"1\"",
                "t.yaml:14:59: threads[1].device: device disk0 is a disk; network-receiver receives from a nic",
                "t.yaml:15:71: threads[2].port: expected an integer from 0 to 65535, got 70000",
                "t.yaml:15:89: threads[2].request: field \"request\" is not used by model network-receiver; its fields are:"
                        + " name, vcpu, model, ioVcpu, restartable, device, port, exec, deadline",
                "t.yaml:17:71: threads[4].port: port 7 of eth0 is already received by thread d (line 16); a port has one"
                        + " receiver");
    }

    @Test
    void noIoVcpuServesTheDevice() {
        assertThat(errors(DEVICES + """
                vcpus:
                  - {name: app, budget: 1ms, period: 5ms}
                  - {name: net-io, kind: io, utilisation: 10%, devices: [eth0]}
                  - {name: own, kind: io, utilisation: 10%}
                threads:
                  - {name: rx, vcpu: app, model: network-receiver, device: eth0, port: 7, exec: 50us}
                  - {name: db, vcpu: app, model: io-bound, device: disk0, exec: 1ms}
                  - {name: ok, vcpu: app, model: io-bound, device: disk0, exec: 1ms, ioVcpu: own}
                """)).containsExactly(
                "t.yaml:15:52: threads[1].device: no I/O VCPU serves device disk0 for thread db: add devices: [disk0] or"
                        + " classes: [disk] to an I/O VCPU, or give the thread an ioVcpu");
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
        return errors(yaml, "t.yaml");
    }

    private static List<String> errors(String yaml, String fileName) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigReader.parse(yaml, fileName))
                .errors().stream().map(ConfigError::format).toList();
    }

    private static List<String> errorsReading(Path file) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigReader.read(file))
                .errors().stream().map(ConfigError::format).toList();
    }
}
