package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.example;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MILS from the command line: a policy-breaking channel is refused; {@code --sever}; the audit after severances. */
class MilsCommandTest {
    private static final String FORBIDDEN = """
            machine: {cores: 2}
            sandboxes:
              - {name: control, label: secret, cores: [0], memory: 8MiB}
              - {name: linux, label: unclassified, cores: [1], memory: 8MiB}
            channels:
              - {name: up, from: linux, to: control}
              - {name: leak, from: control, to: linux}
            policy:
              flows:
                - {from: unclassified, to: secret}
            """;

    @Test
    void checkAndRunRefuseAChannelThePolicyForbids(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("leak.yaml");
        Files.writeString(file, FORBIDDEN);

        Cli.Result check = quest("check", arg(file)).refusedWithOneShortMessage();
        Cli.Result run = quest("run", arg(file), "--out", arg(dir.resolve("out"))).refusedWithOneShortMessage();

        for (Cli.Result r : new Cli.Result[] {check, run}) {
            assertThat(r.err()).contains(file + ":7:5: channels[1]: channel \"leak\" from sandbox \"control\""
                    + " (label secret) to sandbox \"linux\" (label unclassified): no flow in policy (" + file + ":9:3) allows"
                    + " control -> linux");
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void theSameChannelsPassWhenTheDowngradeIsAllowed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, FORBIDDEN + "    - {from: control, to: linux, via: leak}\n");

        Cli.Result r = quest("check", arg(file));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
    }

    @Test
    void badSeverSpecsAreOneClearMessage(@TempDir Path dir) {
        String mils = arg(example("mils.yaml"));
        String out = arg(dir.resolve("out"));

        assertThat(quest("run", mils, "--out", out, "--sever", "at=3s").refusedWithOneShortMessage().err())
                .contains("--sever \"at=3s\": missing channel=...");
        assertThat(quest("run", mils, "--out", out, "--sever", "at=3s channel=nope").refusedWithOneShortMessage().err())
                .contains("--sever \"at=3s channel=nope\": unknown channel \"nope\"; channels are: imu-data, telemetry");
        assertThat(quest("run", mils, "--out", out, "--sever", "at=soon channel=imu-data").refusedWithOneShortMessage().err())
                .contains("--sever \"at=soon channel=imu-data\": at: ");
        assertThat(quest("run", mils, "--out", out, "--sever", "at=2s channel=telemetry").refusedWithOneShortMessage().err())
                .contains("channel telemetry is already severed (" + mils + ":");
        assertThat(quest("run", arg(example("quest-v.yaml")), "--out", out, "--sever", "at=1s channel=telemetry")
                .refusedWithOneShortMessage().err()).contains("the monitors are removed after boot");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void runWithSeverancesWritesTheAuditToMetrics(@TempDir Path dir) throws Exception {
        Cli.Result r = quest("run", arg(example("mils.yaml")), "--duration", "2s", "--out", arg(dir), "--record", "none",
                "--sever", "at=1500ms channel=imu-data");

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("severed: imu-data at 1.500s", "severed: telemetry at 1.005s; 1 queued message(s) discarded",
                "audit: the frames shared at the end are exactly the live channels' {}");
        String metrics = Files.readString(dir.resolve("metrics.json"));
        assertThat(metrics.replaceAll("\\s+", "")).contains("\"audit\":{\"sharedFrames\":{},\"declaredFrames\":{},"
                + "\"severedChannels\":[\"imu-data\",\"telemetry\"],\"equalsDeclared\":true}");
    }

    @Test
    void theAuditAccountsForSeverancesDoneBeforeItsTime() {
        Cli.Result before = quest("audit", arg(example("mils.yaml")), "--after", "1s");
        Cli.Result after = quest("audit", arg(example("mils.yaml")), "--after", "2s");

        assertThat(before.status()).as("stderr: %s", before.err()).isZero();
        assertThat(before.out()).contains("channel telemetry                 2 (2)\n", "ok:");
        assertThat(after.status()).as("stderr: %s", after.err()).isZero();
        assertThat(after.out()).contains("channel imu-data                  1 (1)\n",
                "channel telemetry                 0 (0)  severed\n", "ok: the shared frames are exactly the declared channels");
    }

    @Test
    void afterEveryChannelIsSeveredTheAuditFindsNothingShared() {
        Cli.Result r = quest("audit", arg(example("mils.yaml")), "--after", "1500ms", "--sever", "at=1200ms channel=imu-data");

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("channel imu-data                  0 (0)  severed\n",
                "channel telemetry                 0 (0)  severed\n", "ok:");
    }
}
