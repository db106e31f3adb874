package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.example;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quest audit}: the frames shared between sandboxes are exactly the declared channels. */
class AuditCommandTest {

    @Test
    void questVSharesExactlyItsChannelsFrames() {
        Cli.Result r = quest("audit", arg(example("quest-v.yaml")));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("channel imu-data                  1 (1)", "channel telemetry                 2 (2)",
                "ok: the shared frames are exactly the declared channels");
    }

    @Test
    void aSystemWithoutChannelsSharesNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("two.yaml");
        Files.writeString(file, """
                machine: {cores: 2}
                sandboxes:
                  - {name: a, cores: [0], memory: 8MiB}
                  - {name: b, cores: [1], memory: 8MiB}
                """);
        Cli.Result r = quest("audit", arg(file));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("  none", "ok:");
    }

    @Test
    void anSmpSystemIsRefused() {
        quest("audit", arg(example("smp-basic.yaml"))).refusedWithOneShortMessage();
    }
}
