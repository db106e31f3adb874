package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.questj.system.config.ConfigError;
import dev.questj.system.config.ConfigException;
import dev.questj.system.config.ConfigReader;
import dev.questj.system.programs.FixedLoop;
import dev.questj.system.programs.NoPublicConstructor;
import dev.questj.system.programs.NotAProgram;
import dev.questj.system.programs.RandomLoop;
import dev.questj.system.programs.ThrowsOnFourthJob;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java guest programs named in a thread's {@code class}: run, deterministic, and contained when they fail. */
class GuestProgramTest {
    private static final long ONE_SECOND = 1_000_000_000L;

    /** One PCPU, VCPU v (2 ms / 10 ms) for thread p, VCPU w (2 ms / 20 ms) for a periodic neighbour. */
    private static QuestSystem system(String threadP) throws ConfigException {
        return QuestSystem.of(ConfigReader.parse("""
                machine: {cores: 1}
                vcpus:
                  - {name: v, budget: 2ms, period: 10ms}
                  - {name: w, budget: 2ms, period: 20ms}
                threads:
                  - %s
                  - {name: n, vcpu: w, model: periodic, period: 20ms, exec: 1ms}
                """.formatted(threadP), "g.yaml"));
    }

    private static String program(Class<?> c, String more) {
        return "{name: p, vcpu: v, model: program, class: " + c.getName() + more + "}";
    }

    @Test
    void programRunsOneJobPerPeriod() throws Exception {
        RunResult r = system(program(FixedLoop.class, ", period: 10ms, args: {execUs: 800}"))
                .run(RunOptions.inMemory().withDuration(ONE_SECOND));
        RunResult.ThreadResult p = r.thread("p");

        assertThat(p.model()).isEqualTo("program");
        assertThat(p.completed()).isEqualTo(100);
        assertThat(p.deadlineMisses()).isZero();
        assertThat(p.cpuCycles()).isEqualTo(100 * 800_000L);
        assertThat(p.responseMin()).isCloseTo(800_000L, Percentage.withPercentage(0.1));
        assertThat(p.responseMax()).isCloseTo(800_000L, Percentage.withPercentage(0.1));
        assertThat(p.fault()).isNull();
        assertThat(r.thread("n").deadlineMisses()).isZero();
    }

    @Test
    void programSchedulesExactlyLikeTheEquivalentPeriodicThread(@TempDir Path dir) throws Exception {
        RunResult asProgram = system(program(FixedLoop.class, ", period: 10ms, args: {execUs: 800}"))
                .run(RunOptions.inMemory().withDuration(ONE_SECOND).withOut(dir.resolve("program")));
        RunResult asPeriodic = system("{name: p, vcpu: v, model: periodic, period: 10ms, exec: 800us}")
                .run(RunOptions.inMemory().withDuration(ONE_SECOND).withOut(dir.resolve("periodic")));

        assertThat(Files.readAllBytes(dir.resolve("program/schedule.jsonl")))
                .isEqualTo(Files.readAllBytes(dir.resolve("periodic/schedule.jsonl")));
        assertThat(asProgram.thread("p")).usingRecursiveComparison().ignoringFields("model").isEqualTo(asPeriodic.thread("p"));
    }

    @Test
    void programUsingItsRandomStreamIsDeterministicPerSeed(@TempDir Path dir) throws Exception {
        QuestSystem q = system(program(RandomLoop.class, ", period: 10ms"));
        RunOptions oneSecond = RunOptions.inMemory().withDuration(ONE_SECOND);
        q.run(oneSecond.withSeed(5).withOut(dir.resolve("a")));
        q.run(oneSecond.withSeed(5).withOut(dir.resolve("b")));
        q.run(oneSecond.withSeed(6).withOut(dir.resolve("c")));

        byte[] a = Files.readAllBytes(dir.resolve("a/schedule.jsonl"));
        assertThat(Files.readAllBytes(dir.resolve("b/schedule.jsonl"))).isEqualTo(a);
        assertThat(Files.readAllBytes(dir.resolve("c/schedule.jsonl"))).isNotEqualTo(a);
    }

    @Test
    void programThatThrowsIsAGuestFaultNotACrash(@TempDir Path dir) throws Exception {
        RunResult r = system(program(ThrowsOnFourthJob.class, ", period: 10ms"))
                .run(RunOptions.inMemory().withDuration(ONE_SECOND).withOut(dir));
        RunResult.ThreadResult p = r.thread("p");

        assertThat(p.fault()).contains("IllegalStateException").contains("sensor lost");
        assertThat(r.guestFaults()).isEqualTo(1);
        assertThat(p.completed()).isEqualTo(3);
        assertThat(p.deadlineMisses()).as("the fourth job never completes").isEqualTo(1);
        assertThat(r.thread("n").deadlineMisses()).as("the neighbour is unaffected").isZero();
        assertThat(r.thread("n").completed()).isEqualTo(50);
        assertThat(r.simulatedCycles()).isEqualTo(ONE_SECOND);
        assertThat(Files.readString(dir.resolve("metrics.json")))
                .contains("\"guestFaults\" : 1")
                .containsPattern("\"fault\" : \"[^\"]*sensor lost\"");
        assertThat(Files.readString(dir.resolve("schedule.jsonl"))).contains("\"event\":\"fault\"");
    }

    @Test
    void waitForNextPeriodWithoutAPeriodIsAGuestFault() throws Exception {
        RunResult r = system(program(FixedLoop.class, "")).run(RunOptions.inMemory().withDuration(ONE_SECOND));

        assertThat(r.thread("p").fault()).contains("waitForNextPeriod needs a period");
        assertThat(r.thread("n").deadlineMisses()).isZero();
    }

    @Test
    void classThatDoesNotExistIsALocatedConfigError() throws Exception {
        QuestSystem q = system("{name: p, vcpu: v, model: program, class: com.example.NoSuchProgram, period: 10ms}");

        assertThat(errors(q)).containsExactly("g.yaml:6:5: threads[0].class: class com.example.NoSuchProgram is not on"
                + " the classpath (put its jar on the classpath, e.g. java -cp quest.jar:yours.jar dev.questj.cli.Main)");
        assertThat(catchThrowableOfType(ConfigException.class, () -> q.run(RunOptions.inMemory()))).isNotNull();
    }

    @Test
    void classThatIsNotAGuestProgramIsALocatedConfigError() throws Exception {
        assertThat(errors(system(program(NotAProgram.class, ", period: 10ms")))).singleElement().asString()
                .startsWith("g.yaml:6:5: threads[0].class: class " + NotAProgram.class.getName()
                        + " does not implement dev.questj.guest.GuestProgram");
    }

    @Test
    void classWithoutANoArgumentConstructorIsALocatedConfigError() throws Exception {
        assertThat(errors(system(program(NoPublicConstructor.class, ", period: 10ms")))).singleElement().asString()
                .startsWith("g.yaml:6:5: threads[0].class: class " + NoPublicConstructor.class.getName()
                        + " cannot be created with a public no-argument constructor");
    }

    private static java.util.List<String> errors(QuestSystem q) {
        return catchThrowableOfType(ConfigException.class, q::check).errors().stream().map(ConfigError::format).toList();
    }
}
