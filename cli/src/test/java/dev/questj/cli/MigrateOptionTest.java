package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quest run --migrate SPEC}: Quest-V migrations from the command line. */
class MigrateOptionTest {
    @TempDir
    Path out;

    @Test
    void aMigrationFromTheCommandLineRunsAndIsReported() throws Exception {
        Cli.Result r = quest("run", arg(Cli.example("migration.yaml")), "--duration", "2500ms", "--out", arg(out),
                "--migrate", "at=2s thread=planner to=main");

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("migration: planner spare -> main at 2.000s: done in",
                "migration: mapper main -> spare at 1.500s: REFUSED: admission: E_s");
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertThat(metrics).contains("\"from\" : \"spare\"", "\"to\" : \"main\"");
    }

    @Test
    void aBadSpecIsOneClearMessageAndExitStatus2() {
        assertThat(quest("run", arg(Cli.example("migration.yaml")), "--out", arg(out), "--migrate", "at=2s thread=planner")
                .refusedWithOneShortMessage().err()).contains("--migrate \"at=2s thread=planner\": missing to");
        assertThat(quest("run", arg(Cli.example("migration.yaml")), "--out", arg(out), "--migrate", "at=2s thread=ghost to=main")
                .refusedWithOneShortMessage().err()).contains("unknown thread \"ghost\"");
        assertThat(quest("run", arg(Cli.example("smp-basic.yaml")), "--out", arg(out), "--migrate", "at=2s thread=a to=b")
                .refusedWithOneShortMessage().err()).contains("SMP mode");
    }
}
