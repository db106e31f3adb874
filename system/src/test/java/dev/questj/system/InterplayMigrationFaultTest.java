package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import dev.questj.vmm.Migration;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Probes: faults injected into the source or destination of a migration while it is in
 * progress, and into a thread after it migrated. examples/migration.yaml with planner's address space
 * at 1 MiB (258 pages: a copy of 258 us), so that a fault can land inside the copy.
 * Needs the review branch's fix of Migrations.withMigrationVcpus (else faults are dropped).
 */
class InterplayMigrationFaultTest {
    static SystemConfig base() throws Exception {
        String yaml = Files.readString(Examples.file("migration.yaml"))
                .replace("    - {name: mapper, memory: 64MiB}", "    - {name: mapper, memory: 64MiB}\n    - {name: planner, memory: 1MiB}");
        return ConfigReader.parse(yaml, "migration-1mib.yaml");
    }

    static Migration.Outcome planner(RunResult r) {
        return r.migrations().stream().filter(m -> m.thread().equals("planner")).findFirst().orElseThrow();
    }

    static RunResult run(SystemConfig cfg) throws Exception {
        return QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true));
    }

    static SystemConfig inject(SystemConfig cfg, String spec) {
        return cfg.withFaults(List.of(FaultReader.parse(spec, cfg)));
    }

    @Test
    void baseline() throws Exception {
        RunResult r = run(base());
        Migration.Outcome m = planner(r);
        assertThat(m.done()).isTrue();
        assertThat(r.thread("planner").jobs()).isBetween(295L, 301L);
    }

    /** The destination panics (restart policy) while its migration thread copies: the migrating thread must not vanish. */
    @Test
    void destinationPanicsDuringTheCopy() throws Exception {
        Migration.Outcome m0 = planner(run(base()));
        long at = m0.started() + (m0.finished() - m0.started()) / 2;
        RunResult r = run(inject(base(), "at=" + at + "ns sandbox=spare kind=kernel-panic"));
        Migration.Outcome m = planner(r);
        assertThat(m.outcome()).as("the migration ends one way or the other (not stuck copying)").isNotEqualTo(Migration.COPYING);
        assertThat(r.thread("planner").jobs()).as("planner, in a healthy sandbox, keeps releasing jobs").isGreaterThan(250);
    }

    /** The source panics (restart policy) while the destination copies: the thread must not end up in two kernels. */
    @Test
    void sourcePanicsDuringTheCopy() throws Exception {
        Migration.Outcome m0 = planner(run(base()));
        long at = m0.started() + (m0.finished() - m0.started()) / 2;
        SystemConfig cfg = inject(base(), "at=" + at + "ns sandbox=main kind=kernel-panic");
        assertThatCode(() -> {
            RunResult r = run(cfg);
            // one job per 10 ms at most, whichever kernel it runs in
            assertThat(r.thread("planner").jobs()).isLessThanOrEqualTo(301);
        }).doesNotThrowAnyException();
    }

    /**
     * The source panics and is recovered before the (slower) copy ends: the recovery restarts the
     * suspended thread in the source: the copy is aborted and the thread stays in its (recovered) source.
     */
    @Test
    void sourceRecoversBeforeTheCopyEnds() throws Exception {
        String yaml = Files.readString(Examples.file("migration.yaml"))
                .replace("    - {name: mapper, memory: 64MiB}", "    - {name: mapper, memory: 64MiB}\n    - {name: planner, memory: 1MiB}")
                .replace("pageCopy: 1000 cycles", "pageCopy: 8000 cycles").replace("budget: 500us ", "budget: 2500us");
        SystemConfig cfg = ConfigReader.parse(yaml, "m.yaml");
        Migration.Outcome m0 = planner(run(cfg));
        assertThat(m0.done()).isTrue();
        long at = m0.started() + 100_000;
        SystemConfig faulty = inject(cfg, "at=" + at + "ns sandbox=main kind=kernel-panic");
        assertThatCode(() -> {
            RunResult r = run(faulty);
            assertThat(planner(r).outcome()).as("the source failed during the copy").isEqualTo("aborted");
            assertThat(r.thread("planner").sandbox()).as("the thread stays in its source").isEqualTo("main");
            assertThat(r.thread("planner").incarnations()).as("restarted by the source's recovery").isEqualTo(2);
            assertThat(r.thread("planner").completedSinceRestart()).isPositive();
            assertThat(r.thread("planner").jobs()).isLessThanOrEqualTo(301);
        }).doesNotThrowAnyException();
    }

    /**
     * As above with planner sporadic: a restarted sporadic thread releases a job at once (in the
     * source), then the copy's end adopts it into the destination while it is runnable in the source.
     */
    @Test
    void sourceRecoversBeforeTheCopyEndsSporadic() throws Exception {
        String yaml = Files.readString(Examples.file("migration.yaml"))
                .replace("    - {name: mapper, memory: 64MiB}", "    - {name: mapper, memory: 64MiB}\n    - {name: planner, memory: 1MiB}")
                .replace("pageCopy: 1000 cycles", "pageCopy: 8000 cycles").replace("budget: 500us ", "budget: 2500us")
                .replace("{name: planner, vcpu: ctl, model: periodic, period: 10ms, exec: 1500us}",
                        "{name: planner, vcpu: ctl, model: sporadic, minInterarrival: 10ms, exec: 1900us}");
        SystemConfig cfg = ConfigReader.parse(yaml, "m.yaml");
        Migration.Outcome m0 = planner(run(cfg));
        long at = m0.started() + 100_000;
        SystemConfig faulty = inject(cfg, "at=" + at + "ns sandbox=main kind=kernel-panic");
        assertThatCode(() -> {
            RunResult r = run(faulty);
        }).doesNotThrowAnyException();
    }

    /** A migration requested to a sandbox that is already down for good: refused, and the thread keeps running. */
    @Test
    void migrationToASandboxThatIsDown() throws Exception {
        String yaml = Files.readString(Examples.file("migration.yaml"))
                .replace("  - name: spare\n    cores: [1]\n", "  - name: spare\n    cores: [1]\n    recovery: stay-down\n");
        SystemConfig cfg = ConfigReader.parse(yaml, "m.yaml");
        RunResult r = run(inject(cfg, "at=900ms sandbox=spare kind=kernel-panic"));
        assertThat(planner(r).outcome()).isEqualTo(Migration.REFUSED);
        assertThat(r.thread("planner").deadlineMisses()).as("planner's sandbox is healthy").isZero();
    }

    /** A runaway-thread fault naming a thread that has since migrated out of the sandbox. */
    @Test
    void runawayIntoAThreadThatMigratedAway() throws Exception {
        SystemConfig cfg = inject(base(), "at=2s sandbox=main kind=runaway-thread thread=planner");
        assertThatCode(() -> {
            RunResult r = run(cfg);
        }).doesNotThrowAnyException();
    }

    /** The destination stays down (its policy) while copying: the thread must not vanish either. */
    @Test
    void destinationStaysDownDuringTheCopy() throws Exception {
        SystemConfig b = base();
        Migration.Outcome m0 = planner(run(b));
        long at = m0.started() + (m0.finished() - m0.started()) / 2;
        String yaml = Files.readString(Examples.file("migration.yaml"))
                .replace("    - {name: mapper, memory: 64MiB}", "    - {name: mapper, memory: 64MiB}\n    - {name: planner, memory: 1MiB}")
                .replace("  - name: spare\n    cores: [1]\n", "  - name: spare\n    cores: [1]\n    recovery: stay-down\n");
        SystemConfig cfg = ConfigReader.parse(yaml, "m.yaml");
        RunResult r = run(inject(cfg, "at=" + at + "ns sandbox=spare kind=kernel-panic"));
        assertThat(r.thread("planner").jobs()).as("planner (its sandbox healthy) keeps running").isGreaterThan(250);
    }
}
