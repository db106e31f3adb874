package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.questj.system.config.ConfigException;
import dev.questj.system.config.ConfigReader;
import dev.questj.vmm.Migration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Address-space migration between Quest-V sandboxes (docs/DESIGN.md "Migration"), end to end. */
class MigrationTest {
    private static final long MS = 1_000_000;

    @TempDir
    Path out;

    /** A slice of schedule.jsonl. */
    record Slice(int core, String thread, long start, long end) {}

    private static final Pattern SLICE = Pattern.compile(
            "\\{\"core\":(\\d+),\"sandbox\":\"[^\"]*\",\"vcpu\":\"[^\"]*\",\"thread\":\"([^\"]*)\",\"start\":(\\d+),\"end\":(\\d+)");

    private List<Slice> slices() throws Exception {
        List<Slice> slices = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("schedule.jsonl"))) {
            Matcher m = SLICE.matcher(line);
            if (m.lookingAt()) {
                slices.add(new Slice(Integer.parseInt(m.group(1)), m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
            }
        }
        return slices;
    }

    private RunResult runExample() throws Exception {
        return QuestSystem.load(Examples.file("migration.yaml")).run(RunOptions.inMemory().withOut(out).withChecks(true));
    }

    @Test
    void aPeriodicThreadMovesBetweenSandboxesWithoutADeadlineMiss() throws Exception {
        RunResult r = runExample();

        Migration.Outcome m = r.migrations().getFirst();
        assertThat(m.thread()).isEqualTo("planner");
        assertThat(m.outcome()).isEqualTo("done");
        assertThat(m.from()).isEqualTo("main");
        assertThat(m.to()).isEqualTo("spare");
        assertThat(m.pages()).isEqualTo(66); // 64 frames, a page table and the directory
        assertThat(m.durationCycles()).isPositive().isLessThanOrEqualTo(m.bound());
        assertThat(m.bound()).isLessThanOrEqualTo(m.available());
        assertThat(m.deadlineMissesDuring()).isZero();
        assertThat(r.deadlineMisses()).isZero();
        // one thread over its whole life (3s of 10ms jobs), reported where it ended
        assertThat(r.threads()).filteredOn(t -> t.name().equals("planner")).hasSize(1);
        RunResult.ThreadResult planner = r.thread("planner");
        assertThat(planner.sandbox()).isEqualTo("spare");
        assertThat(planner.vcpu()).isEqualTo("slot");
        assertThat(planner.jobs()).isEqualTo(300);
        assertThat(planner.completed()).isEqualTo(300);
        // its slices: on main's PCPU 0 before, on spare's PCPU 1 after
        List<Slice> own = slices().stream().filter(s -> s.thread().equals("planner")).toList();
        assertThat(own).filteredOn(s -> s.start() < m.started()).isNotEmpty().allMatch(s -> s.core() == 0);
        assertThat(own).filteredOn(s -> s.start() >= m.finished()).hasSizeGreaterThan(100).allMatch(s -> s.core() == 1);
        String schedule = Files.readString(out.resolve("schedule.jsonl"));
        assertThat(schedule).contains("\"event\":\"migrate-start\"", "\"event\":\"migrate-done\"", "\"event\":\"migrate-refused\"");
        assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"migrations\"", "\"outcome\" : \"done\"",
                "\"deadlineMissesDuring\" : 0");
    }

    @Test
    void aMigrationThatFailsAdmissionIsRefusedWithTheNumbersAndTheThreadStays() throws Exception {
        RunResult r = runExample();

        Migration.Outcome m = r.migrations().get(1);
        assertThat(m.thread()).isEqualTo("mapper");
        assertThat(m.outcome()).isEqualTo("refused");
        // 64 MiB: 16384 frames + 32 page tables + 1 directory, 1000 cycles each
        assertThat(m.pages()).isEqualTo(16_417);
        assertThat(m.copyCycles()).isEqualTo(16_417_000);
        assertThat(m.migrationBudget()).isEqualTo(500_000);
        assertThat(m.migrationPeriod()).isEqualTo(10 * MS);
        assertThat(m.available()).isLessThan(m.bound());
        assertThat(m.reason()).contains("E_s " + m.available(), "bound " + m.bound(), "delta 16417000", "Cm 500000",
                "Tm 10000000");
        assertThat(m.started()).isEqualTo(-1);
        RunResult.ThreadResult mapper = r.thread("mapper");
        assertThat(mapper.sandbox()).isEqualTo("main");
        assertThat(mapper.deadlineMisses()).isZero();
        assertThat(mapper.completed()).isEqualTo(150);
    }

    /** A big address space on a destination whose faster VCPU preempts the copy. */
    private static String preemptedCopy(String memory, String migrationBudget, int hpBudgetUs) {
        return """
                machine: {cores: 2, frequency: 1GHz, memory: 512MiB}
                duration: 1s
                sandboxes:
                  - name: a
                    cores: [0]
                    memory: 64MiB
                    vcpus: [{name: v, budget: 2ms, period: 100ms, core: 0}]
                    threads: [{name: slow, vcpu: v, model: periodic, period: 100ms, exec: 1ms}]
                  - name: b
                    cores: [1]
                    memory: 64MiB
                    vcpus:
                      - {name: fast, budget: %dus, period: 4ms, core: 1}
                      - {name: spare, budget: 2ms, period: 100ms, core: 1}
                    threads: [{name: watch, vcpu: fast, model: periodic, period: 4ms, exec: %dus}]
                migration:
                  budget: %s
                  period: 10ms
                  sandboxes: [{name: b, clockOffset: 1234567 cycles}, {name: a, clockOffset: 2ms}]
                  threads: [{name: slow, memory: %s}]
                migrations: [{at: 205ms, thread: slow, to: b}]
                """.formatted(hpBudgetUs, hpBudgetUs, migrationBudget, memory);
    }

    @Test
    void theCopyIsPreemptedByAHigherPriorityVcpuAndResumes() throws Exception {
        RunResult r = QuestSystem.of(ConfigReader.parse(preemptedCopy("4MiB", "500us", 1000), "pre.yaml"))
                .run(RunOptions.inMemory().withOut(out).withChecks(true));

        Migration.Outcome m = r.migrations().getFirst();
        assertThat(m.outcome()).isEqualTo("done");
        assertThat(m.pages()).isEqualTo(1027);
        assertThat(m.durationCycles()).isGreaterThan(m.copyCycles()).isLessThanOrEqualTo(m.bound());
        List<Slice> slices = slices();
        List<Slice> copy = slices.stream().filter(s -> s.thread().equals("migration.copy")).toList();
        assertThat(copy).hasSizeGreaterThan(1).allMatch(s -> s.core() == 1);
        assertThat(copy.stream().mapToLong(s -> s.end() - s.start()).sum()).isEqualTo(m.copyCycles());
        long first = copy.getFirst().start();
        long last = copy.getLast().end();
        assertThat(slices).as("the faster VCPU runs between pieces of the copy")
                .anyMatch(s -> s.thread().equals("watch") && s.start() > first && s.end() < last);
        assertThat(r.deadlineMisses()).isZero();
        assertThat(r.thread("slow").sandbox()).isEqualTo("b");
        assertThat(r.thread("slow").completed()).isEqualTo(10);
    }

    /** Random copy sizes, migration budgets and interference: an admitted copy ends within its bound, and nobody misses. */
    @Property(tries = 25)
    void anAdmittedCopyFinishesWithinTheBound(@ForAll @IntRange(min = 1, max = 3000) int kib,
            @ForAll @IntRange(min = 50, max = 2500) int budgetUs, @ForAll @IntRange(min = 100, max = 1200) int hpUs)
            throws Exception {
        String budget = budgetUs + "us";
        RunResult r = QuestSystem.of(ConfigReader.parse(preemptedCopy(kib + "KiB", budget, hpUs), "p.yaml"))
                .run(RunOptions.inMemory().withDuration(400 * MS));

        Migration.Outcome m = r.migrations().getFirst();
        assertThat(m.outcome()).isIn("done", "refused");
        if (m.done()) {
            assertThat(m.bound()).isLessThanOrEqualTo(m.available());
            assertThat(m.durationCycles()).isLessThanOrEqualTo(m.bound());
            assertThat(m.deadlineMissesDuring()).isZero();
            assertThat(r.thread("slow").sandbox()).isEqualTo("b");
        } else {
            assertThat(m.available()).isLessThan(m.bound());
            assertThat(r.thread("slow").sandbox()).isEqualTo("a");
        }
        assertThat(r.deadlineMisses()).isZero();
    }

    private static final String TWO = """
            machine: {cores: 2}
            sandboxes:
              - name: a
                cores: [0]
                memory: 16MiB
                vcpus: [{name: v, budget: 1ms, period: 10ms}, {name: w, budget: 1ms, period: 20ms}]
                threads:
                  - {name: p, vcpu: v, model: periodic, period: 10ms, exec: 500us}
                  - {name: q, vcpu: v, model: periodic, period: 10ms, exec: 100us}
                  - {name: hog, vcpu: w, model: cpu-hog}
              - name: b
                cores: [1]
                memory: 16MiB
                vcpus: [{name: x, budget: 1ms, period: 20ms}]
            """;

    private static String refusal(String migrations) {
        try {
            ConfigReader.parse(TWO + migrations, "m.yaml");
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + migrations);
    }

    @Test
    void configErrorsAreLocated() {
        assertThat(refusal("migrations: [{at: 1s, thread: nobody, to: b}]"))
                .contains("m.yaml:15:14: migrations[0]: unknown thread \"nobody\"; threads are: p, q, hog");
        assertThat(refusal("migrations: [{at: 1s, thread: p, to: mars}]"))
                .contains("migrations[0]: unknown sandbox \"mars\"; sandboxes are: a, b");
        assertThat(refusal("migrations: [{at: 1s, thread: p, to: a}]"))
                .contains("migrations[0]: thread p is already in sandbox a then");
        assertThat(refusal("migrations: [{at: 1s, thread: p, to: b}]"))
                .contains("migrations[0]: VCPU v of sandbox a also runs q: a migrating thread needs a VCPU of its own");
        assertThat(refusal("migrations: [{at: 1s, thread: hog, to: b}]"))
                .contains("thread hog cannot migrate: only periodic and sporadic threads");
        assertThat(refusal("migrations: [{at: 1s, when: 2s, thread: p, to: b}]"))
                .contains("migrations[0].when: unknown field \"when\"; accepted fields: at, thread, to");
        assertThat(refusal("migration: {budget: 20ms}\nmigrations: []")).contains("migration.budget: budget 20ms exceeds period 10ms");
        assertThat(refusal("monitors: {afterBoot: remove}\nmigrations: [{at: 1s, thread: p, to: b}]"))
                .contains("a migration needs the monitors, but monitors.afterBoot is remove");
        assertThat(refusal("migration: {threads: [{name: ghost, memory: 1MiB}]}"))
                .contains("migration.threads[0]: unknown thread \"ghost\"");
    }

    @Test
    void theDestinationNeedsAnUnusedVcpuOfTheSameBudgetAndPeriod() {
        String text = """
                machine: {cores: 2}
                sandboxes:
                  - {name: a, cores: [0], memory: 16MiB, vcpus: [{name: v, budget: 1ms, period: 10ms}],
                     threads: [{name: p, vcpu: v, model: periodic, period: 10ms, exec: 500us}]}
                  - {name: b, cores: [1], memory: 16MiB, vcpus: [{name: x, budget: 1ms, period: 20ms}]}
                migrations: [{at: 1s, thread: p, to: b}]
                """;
        assertThatThrownBy(() -> ConfigReader.parse(text, "m.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("m.yaml:6:14: migrations[0]: sandbox b has no unused Main VCPU with budget 1ms and period"
                        + " 10ms (those of VCPU v of thread p): add one there");
    }

    @Test
    void migrationsAreRefusedInSmpMode() {
        assertThatThrownBy(() -> ConfigReader.parse("""
                machine: {cores: 1}
                vcpus: [{name: v, budget: 1ms, period: 10ms}]
                threads: [{name: p, vcpu: v, model: periodic, period: 10ms, exec: 500us}]
                migrations: [{at: 1s, thread: p, to: b}]
                """, "s.yaml")).hasMessageContaining("migrations: field \"migrations\" is used only in Quest-V mode");
    }

    @Test
    void theCommandLineSpecIsReadAndChecked() throws Exception {
        var req = Migrations.parse("at=1.5ms thread=p to=b", 1_000_000_000L);
        assertThat(req.atCycles()).isEqualTo(1_500_000);
        assertThat(req.thread()).isEqualTo("p");
        assertThat(req.to()).isEqualTo("b");
        assertThatThrownBy(() -> Migrations.parse("at=1s thread=p", 1_000_000_000L)).hasMessage(
                "--migrate \"at=1s thread=p\": missing to=...; expected at=TIME thread=NAME to=SANDBOX, such as at=4s thread=planner to=spare");
        assertThatThrownBy(() -> Migrations.parse("at=1 thread=p to=b", 1_000_000_000L))
                .hasMessageContaining("--migrate \"at=1 thread=p to=b\": at: ");
        QuestSystem q = QuestSystem.load(Examples.file("migration.yaml"));
        assertThatThrownBy(() -> q.withMigrations(List.of(Migrations.parse("at=2s thread=watch to=spare", 1_000_000_000L))))
                .hasMessageContaining("--migrate \"at=2s thread=watch to=spare\": thread watch is already in sandbox spare then");
    }

    @Test
    void aThreadCanComeBackAndTheRunIsDeterministic() throws Exception {
        QuestSystem q = QuestSystem.load(Examples.file("migration.yaml"))
                .withMigrations(List.of(Migrations.parse("at=2s thread=planner to=main", 1_000_000_000L)));
        RunResult r1 = q.run(RunOptions.inMemory().withOut(out));
        String digest = r1.traceDigest();
        RunResult r2 = q.run(RunOptions.inMemory().withOut(out.resolve("again")));

        assertThat(r1.migrations()).extracting(Migration.Outcome::outcome).containsExactly("done", "refused", "done");
        assertThat(r1.thread("planner").sandbox()).isEqualTo("main");
        assertThat(r1.thread("planner").vcpu()).isEqualTo("ctl");
        assertThat(r1.deadlineMisses()).isZero();
        assertThat(r2.traceDigest()).isEqualTo(digest);
    }
}
