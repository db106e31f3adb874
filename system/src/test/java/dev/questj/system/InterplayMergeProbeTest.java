package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Probes: config fields lost where the parallel features meet (faults x migration x MILS x linux).
 * Each test states the behaviour expected; a failure is a finding.
 */
class InterplayMergeProbeTest {
    static String migrationYaml() throws Exception {
        return Files.readString(Examples.file("migration.yaml"));
    }

    /** SystemConfig.withFaults (used by --inject) keeps the file's migrations. */
    @Test
    void injectKeepsTheMigrations() throws Exception {
        SystemConfig m = ConfigReader.read(Examples.file("migration.yaml"));
        assertThat(m.migration().requests()).hasSize(2);
        SystemConfig injected = m.withFaults(List.of(FaultReader.parse("at=2500ms sandbox=main kind=kernel-panic", m)));
        assertThat(injected.migration().requests()).as("--inject must not drop the migrations").hasSize(2);
    }

    /** SeveranceSpec.apply (used by --sever) keeps the file's migrations. */
    @Test
    void severKeepsTheMigrations() throws Exception {
        String yaml = migrationYaml().replace("sandboxes:\n  - name: main", "monitors: {afterBoot: keep}\nchannels:\n"
                + "  - {name: link, from: main, to: spare, kind: ring, size: 4KiB, latency: 2us}\nsandboxes:\n  - name: main");
        SystemConfig m = ConfigReader.parse(yaml, "m.yaml");
        SystemConfig severed = QuestSystem.of(m).withSeverances(List.of("at=2s channel=link")).config();
        assertThat(severed.migration().requests()).as("--sever must not drop the migrations").hasSize(2);
    }

    /** A system with migrations still injects its faults (Migrations.withMigrationVcpus rebuilds QuestVConfig). */
    @Test
    void faultsInAFileWithMigrationsAreInjected() throws Exception {
        String yaml = migrationYaml() + "\nfaults:\n  - {at: 2500ms, sandbox: main, kind: kernel-panic}\n";
        SystemConfig cfg = ConfigReader.parse(yaml, "m.yaml");
        assertThat(cfg.questV().faults()).hasSize(1);
        RunResult r = QuestSystem.of(cfg).run(RunOptions.inMemory());
        assertThat(r.migrations()).hasSize(2);
        assertThat(r.faults()).as("the file's fault is injected").hasSize(1);
    }

    /** A destination sandbox keeps its recovery policy and watchdog when it gains a migration VCPU. */
    @Test
    void aMigrationDestinationKeepsItsRecoveryPolicy() throws Exception {
        String yaml = migrationYaml().replace("  - name: spare\n    cores: [1]\n",
                "  - name: spare\n    cores: [1]\n    recovery: stay-down\n    watchdog: {heartbeat: 1ms, timeout: 5ms}\n");
        SystemConfig cfg = ConfigReader.parse(yaml, "m.yaml");
        SystemConfig placed = Migrations.withMigrationVcpus(cfg);
        var spare = placed.questV().sandboxes().get(1);
        assertThat(spare.recovery().restart()).as("stay-down kept").isFalse();
        assertThat(spare.watchdog()).as("watchdog kept").isNotNull();
    }

    /** MILS severances of a file with migrations happen. */
    @Test
    void severancesInAFileWithMigrationsHappen() throws Exception {
        String yaml = migrationYaml().replace("sandboxes:\n  - name: main", "monitors: {afterBoot: keep}\nchannels:\n"
                + "  - {name: link, from: main, to: spare, kind: ring, size: 4KiB, latency: 2us}\nsandboxes:\n  - name: main")
                + "\nseverances:\n  - {at: 2s, channel: link}\n";
        SystemConfig cfg = ConfigReader.parse(yaml, "m.yaml");
        assertThat(cfg.questV().mils().severances()).hasSize(1);
        RunResult r = QuestSystem.of(cfg).run(RunOptions.inMemory());
        assertThat(r.channel("link").severedAt()).as("severed at 2 s").isNotNull();
    }
}
