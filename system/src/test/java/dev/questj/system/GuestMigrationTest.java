package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.ConfigException;
import dev.questj.system.config.ConfigReader;
import dev.questj.vmm.Migration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thread asks to move itself (GuestContext.migrate, GuestApi.migrate; docs/DESIGN.md "Migration"). */
class GuestMigrationTest {
    @TempDir
    Path out;

    record Slice(int core, String sandbox, String thread, long start, long end) {}

    private static final Pattern SLICE = Pattern.compile(
            "\\{\"core\":(\\d+),\"sandbox\":\"([^\"]*)\",\"vcpu\":\"[^\"]*\",\"thread\":\"([^\"]*)\",\"start\":(\\d+),\"end\":(\\d+)");

    private List<Slice> slices(Path dir) throws Exception {
        List<Slice> slices = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("schedule.jsonl"))) {
            Matcher m = SLICE.matcher(line);
            if (m.lookingAt()) {
                slices.add(new Slice(Integer.parseInt(m.group(1)), m.group(2), m.group(3), Long.parseLong(m.group(4)),
                        Long.parseLong(m.group(5))));
            }
        }
        return slices;
    }

    private RunResult runExample(Path dir) throws Exception {
        return QuestSystem.load(Examples.file("migration-guest.yaml")).run(RunOptions.inMemory().withOut(dir).withChecks(true));
    }

    private static Migration.Outcome of(RunResult r, String thread) {
        return r.migrations().stream().filter(m -> m.thread().equals(thread)).findFirst().orElseThrow();
    }

    @Test
    void aJavaProgramMovesItselfAndRunsInTheDestinationWithoutAMiss() throws Exception {
        RunResult r = runExample(out);

        Migration.Outcome m = of(r, "rover");
        assertThat(m.requestedBy()).isEqualTo("guest");
        assertThat(m.outcome()).isEqualTo("done");
        assertThat(m.from()).isEqualTo("main");
        assertThat(m.to()).isEqualTo("spare");
        assertThat(m.pages()).isEqualTo(66);
        // the call is the job boundary: the copy starts at once, and ends within the bound, within E_s
        assertThat(m.started()).isEqualTo(m.requested());
        assertThat(m.durationCycles()).isPositive().isLessThanOrEqualTo(m.bound());
        assertThat(m.bound()).isLessThanOrEqualTo(m.available());
        assertThat(m.deadlineMissesDuring()).isZero();
        assertThat(r.deadlineMisses()).isZero();

        RunResult.ThreadResult rover = r.thread("rover");
        assertThat(r.threads()).filteredOn(t -> t.name().equals("rover")).hasSize(1);
        assertThat(rover.sandbox()).isEqualTo("spare");
        assertThat(rover.vcpu()).isEqualTo("slot");
        assertThat(rover.fault()).isNull();
        assertThat(rover.jobs()).isEqualTo(300);
        assertThat(rover.completed()).isEqualTo(300);
        assertThat(rover.deadlineMisses()).isZero();

        List<Slice> own = slices(out).stream().filter(s -> s.thread().equals("rover")).toList();
        assertThat(own).filteredOn(s -> s.start() < m.started()).isNotEmpty()
                .allMatch(s -> s.core() == 0 && s.sandbox().equals("main"));
        assertThat(own).filteredOn(s -> s.start() >= m.finished()).hasSizeGreaterThan(100)
                .allMatch(s -> s.core() == 1 && s.sandbox().equals("spare"));
        // the program was told: migrate returned true
        String log = Files.readString(out.resolve("log.txt"));
        assertThat(log).contains("rover: after job 100: moved to sandbox spare");
        assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"requestedBy\" : \"guest\"");
        String schedule = Files.readString(out.resolve("schedule.jsonl"));
        assertThat(schedule).contains("\"event\":\"migrate-start\"", "\"event\":\"migrate-done\"",
                "\"thread\":\"rover\",\"detail\":\"hypercall: migrate rover to spare\"");
    }

    @Test
    void aMoveRefusedByAdmissionIsToldToTheThreadWhichRunsOnInPlace() throws Exception {
        RunResult r = runExample(out);

        Migration.Outcome m = of(r, "surveyor");
        assertThat(m.requestedBy()).isEqualTo("guest");
        assertThat(m.outcome()).isEqualTo("refused");
        assertThat(m.pages()).isEqualTo(16_417);
        assertThat(m.available()).isLessThan(m.bound());
        assertThat(m.reason()).startsWith("admission: E_s " + m.available() + " < bound " + m.bound());
        assertThat(m.started()).isEqualTo(-1);

        RunResult.ThreadResult surveyor = r.thread("surveyor");
        assertThat(surveyor.sandbox()).isEqualTo("main");
        assertThat(surveyor.vcpu()).isEqualTo("map-v");
        assertThat(surveyor.deadlineMisses()).isZero();
        assertThat(surveyor.completed()).isEqualTo(150);
        List<Slice> own = slices(out).stream().filter(s -> s.thread().equals("surveyor")).toList();
        assertThat(own).filteredOn(s -> s.start() > m.requested()).hasSizeGreaterThan(50).allMatch(s -> s.core() == 0);
        assertThat(Files.readString(out.resolve("log.txt")))
                .contains("surveyor: after job 75: the move to sandbox spare was refused; staying");
    }

    @Test
    void theSameRunTwiceGivesTheSameDigest() throws Exception {
        RunResult a = runExample(out.resolve("a"));
        RunResult b = runExample(out.resolve("b"));
        assertThat(a.traceDigest()).isNotNull().isEqualTo(b.traceDigest());
        assertThat(Files.readString(out.resolve("a/metrics.json")).replaceAll("\"wallSeconds\" : [0-9.eE-]+", ""))
                .contains("\"requestedBy\" : \"guest\"");
        assertThat(a.migrations()).isEqualTo(b.migrations());
    }

    @Test
    void inSmpModeTheCallIsRefusedAtOnceAndTheThreadGoesOn() throws Exception {
        String text = """
                machine: {cores: 1}
                duration: 1s
                vcpus: [{name: v, budget: 2ms, period: 10ms}]
                threads:
                  - {name: rover, vcpu: v, model: program, class: dev.questj.guest.examples.MovingController, period: 10ms,
                     args: {to: spare, after: 10, execUs: 1000}}
                """;
        RunResult r = QuestSystem.of(ConfigReader.parse(text, "smp.yaml")).run(RunOptions.inMemory().withOut(out).withChecks(true));

        assertThat(r.migrations()).isEmpty();
        RunResult.ThreadResult rover = r.thread("rover");
        assertThat(rover.fault()).isNull();
        assertThat(rover.deadlineMisses()).isZero();
        assertThat(rover.completed()).isEqualTo(100);
        String log = Files.readString(out.resolve("log.txt"));
        assertThat(log).contains("rover: migration to spare refused: no monitor to ask (SMP mode has no sandboxes)",
                "rover: after job 10: the move to sandbox spare was refused; staying");
        assertThat(Files.readString(out.resolve("schedule.jsonl"))).contains("\"event\":\"migrate-refused\"");
    }

    /** Two sandboxes, a program that asks to go to {@code to}; {@code migration} is the rest of the file. */
    private static String asker(String to, String migration) {
        return """
                machine: {cores: 2}
                duration: 500ms
                sandboxes:
                  - name: a
                    cores: [0]
                    memory: 16MiB
                    vcpus: [{name: v, budget: 2ms, period: 10ms}]
                    threads:
                      - {name: rover, vcpu: v, model: program, class: dev.questj.guest.examples.MovingController,
                         period: 10ms, args: {to: %s, after: 5, execUs: 1000}}
                  - name: b
                    cores: [1]
                    memory: 16MiB
                    vcpus: [{name: x, budget: 2ms, period: 10ms}]
                """.formatted(to) + migration;
    }

    @Test
    void withoutAMigrationThreadThereTheRequestIsRefusedWithTheFix() throws Exception {
        RunResult r = QuestSystem.of(ConfigReader.parse(asker("b", ""), "n.yaml")).run(RunOptions.inMemory().withChecks(true));

        Migration.Outcome m = r.migrations().getFirst();
        assertThat(m.outcome()).isEqualTo("refused");
        assertThat(m.reason()).isEqualTo("sandbox b has no migration thread (a thread's own request needs one there:"
                + " give it {name: b, receives: true} in migration.sandboxes)");
        assertThat(r.thread("rover").sandbox()).isEqualTo("a");
        assertThat(r.thread("rover").completed()).isEqualTo(50);
        assertThat(r.deadlineMisses()).isZero();
    }

    @Test
    void aReceivingSandboxTakesTheThread() throws Exception {
        RunResult r = QuestSystem.of(ConfigReader.parse(asker("b", "migration: {sandboxes: [{name: b, receives: true}]}\n"),
                "y.yaml")).run(RunOptions.inMemory().withChecks(true));

        assertThat(r.migrations()).extracting(Migration.Outcome::outcome).containsExactly("done");
        assertThat(r.thread("rover").sandbox()).isEqualTo("b");
        assertThat(r.thread("rover").completed()).isEqualTo(50);
        assertThat(r.deadlineMisses()).isZero();
    }

    @Test
    void aThreadThatMustRunAgainAtOnceIsRefusedAtOnceAndGoesOn() throws Exception {
        // a 15ms job on a 2ms-every-10ms VCPU: when it asks, its next release is long past (E_s would be 0)
        String text = asker("b", "migration: {sandboxes: [{name: b, receives: true}]}\n").replace("after: 5, execUs: 1000",
                "after: 1, execUs: 15000");
        RunResult r = QuestSystem.of(ConfigReader.parse(text, "o.yaml")).run(RunOptions.inMemory().withChecks(true));

        Migration.Outcome m = r.migrations().getFirst();
        assertThat(m.outcome()).isEqualTo("refused");
        assertThat(m.reason()).startsWith("the thread must run again at once (resume time ").endsWith("): E_s is 0");
        assertThat(r.thread("rover").sandbox()).isEqualTo("a");
        assertThat(r.thread("rover").fault()).isNull();
        assertThat(r.thread("rover").completed()).isGreaterThan(5);
    }

    @Test
    void anUnknownSandboxIsAGuestFaultThatNamesTheSandboxes() throws Exception {
        RunResult r = QuestSystem.of(ConfigReader.parse(asker("mars", ""), "u.yaml")).run(RunOptions.inMemory());

        assertThat(r.thread("rover").fault()).isEqualTo("migrate: unknown sandbox \"mars\"; sandboxes are: a, b");
        assertThat(r.migrations()).isEmpty();
    }

    @Test
    void receivesIsCheckedWhereItIsWritten() {
        String bad = asker("b", """
                migration:
                  sandboxes: [{name: c, receives: true}, {name: b, receives: maybe}]
                """);
        try {
            ConfigReader.parse(bad, "r.yaml");
            throw new AssertionError("accepted");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("r.yaml:16:15: migration.sandboxes[0]: unknown sandbox \"c\"; sandboxes are: a, b",
                    "r.yaml:16:62: migration.sandboxes[1].receives: expected true or false, got \"maybe\"");
        }
    }

    @Test
    void explainKeepsReceives() throws Exception {
        var cfg = ConfigReader.parse(Files.readString(Examples.file("migration-guest.yaml")), "g.yaml");
        String text = dev.questj.system.config.Explain.explain(cfg);
        assertThat(text).contains("{name: spare, clockOffset: 3ms, receives: true}");
        assertThat(ConfigReader.parse(text, "again.yaml").migration().settings().sandbox("spare").receives()).isTrue();
    }

    @Test
    void everyRequestSaysWhoMadeIt() throws Exception {
        QuestSystem q = QuestSystem.load(Examples.file("migration.yaml"))
                .withMigrations(List.of(Migrations.parse("at=2s thread=planner to=main", 1_000_000_000L)));
        RunResult r = q.run(RunOptions.inMemory());
        assertThat(r.migrations()).extracting(Migration.Outcome::requestedBy)
                .containsExactly("config", "config", "command-line");
    }
}
