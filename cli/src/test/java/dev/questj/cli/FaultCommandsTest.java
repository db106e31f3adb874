package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.example;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quest run --inject} and {@code quest campaign}. */
class FaultCommandsTest {

    @Test
    void anInjectedFaultIsReportedInTheMetrics(@TempDir Path dir) throws Exception {
        Cli.Result r = quest("run", arg(example("fault-recovery.yaml")), "--duration", "1500ms", "--record", "none", "-q",
                "--out", arg(dir), "--inject", "at=1200ms sandbox=comms kind=hung-driver device=eth0");

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(m.get("formatVersion").asInt()).isEqualTo(2);
        JsonNode faults = m.get("faults");
        assertThat(faults).hasSize(2);
        assertThat(faults.get(0).get("kind").asText()).as("the file's own").isEqualTo("kernel-panic");
        assertThat(faults.get(1).get("kind").asText()).isEqualTo("hung-driver");
        assertThat(faults.get(1).get("detectedBy").asText()).startsWith("watchdog");
        assertThat(faults.get(1).get("outcome").asText()).isEqualTo("recovered");
        for (JsonNode s : m.get("sandboxes")) {
            if (!s.get("name").asText().equals("comms")) {
                assertThat(s.get("deadlineMisses").asLong()).as(s.get("name").asText()).isZero();
            }
        }
    }

    @Test
    void noFileFaultsKeepsOnlyTheInjectedOnesAndALateOneIsReportedNotInjected(@TempDir Path dir) throws Exception {
        Cli.Result r = quest("run", arg(example("fault-recovery.yaml")), "--duration", "1200ms", "--record", "none", "-q",
                "--out", arg(dir), "--no-file-faults", "--inject", "at=1100ms sandbox=comms kind=unresponsive",
                "--inject", "at=5s sandbox=comms kind=kernel-panic");

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        JsonNode faults = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile()).get("faults");
        assertThat(faults).hasSize(2);
        assertThat(faults.get(0).get("kind").asText()).isEqualTo("unresponsive");
        assertThat(faults.get(0).get("outcome").asText()).isEqualTo("recovered");
        assertThat(faults.get(1).get("outcome").asText()).as("its time never came").isEqualTo("not-injected");
    }

    @Test
    void aBadInjectionIsRefusedWithOneMessage() {
        quest("run", arg(example("fault-recovery.yaml")), "--inject", "at=1s sandbox=comms kind=meltdown")
                .refusedWithOneShortMessage();
        Cli.Result r = quest("run", arg(example("fault-recovery.yaml")), "--inject", "at=1s kind=kernel-panic")
                .refusedWithOneShortMessage();
        assertThat(r.err()).contains("--inject \"at=1s kind=kernel-panic\"").contains("missing sandbox=");
        quest("run", arg(example("smp-basic.yaml")), "--inject", "at=1s sandbox=a kind=kernel-panic")
                .refusedWithOneShortMessage();
    }

    @Test
    void aCampaignReportsItsCountsAndExitsZeroWhenNobodyElseSuffered() {
        Cli.Result r = quest("campaign", arg(example("fault-recovery.yaml")), "--runs", "6", "--duration", "800ms",
                "--jobs", "2");

        assertThat(r.status()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("6 runs of 800ms", "faults injected                               6",
                "deadline misses outside the faulty sandbox    0", "messages lost                                 0");
    }

    @Test
    void badCampaignOptionsAreRefused() {
        quest("campaign", arg(example("fault-recovery.yaml")), "--runs", "0").refusedWithOneShortMessage();
        quest("campaign", arg(example("fault-recovery.yaml")), "--window", "70%..10%").refusedWithOneShortMessage();
        quest("campaign", arg(example("fault-recovery.yaml")), "--kinds", "meltdown").refusedWithOneShortMessage();
        quest("campaign", arg(example("smp-basic.yaml"))).refusedWithOneShortMessage();
    }
}
