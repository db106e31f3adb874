package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.example;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quest run} writes trace.json and report.html; {@code quest report} writes the page again; the recording options. */
class ReportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SMP_BASIC = example("smp-basic.yaml");

    @Test
    void runWritesTheReportAndTheTraceNextToMetrics(@TempDir Path dir) throws Exception {
        Cli.Result r = quest("run", arg(SMP_BASIC), "--duration", "500ms", "--out", arg(dir));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("trace.json", "report.html");
        assertThat(dir.resolve("report.html")).isRegularFile();
        JsonNode trace = JSON.readTree(dir.resolve("trace.json").toFile());
        assertThat(trace.get("traceEvents").isArray()).isTrue();
        assertThat(trace.get("traceEvents").size()).isGreaterThan(100);
        assertThat(trace.get("otherData").get("system").asText()).isEqualTo("smp-basic");
    }

    @Test
    void reportWritesTheSamePageAgainFromTheOutputDirectory(@TempDir Path dir) throws Exception {
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "500ms", "-q", "--out", arg(dir)).status()).isZero();
        byte[] first = Files.readAllBytes(dir.resolve("report.html"));
        Files.delete(dir.resolve("report.html"));

        Cli.Result r = quest("report", arg(dir));
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("report.html");
        assertThat(Files.readAllBytes(dir.resolve("report.html"))).isEqualTo(first);

        Path elsewhere = dir.resolve("copy.html");
        assertThat(quest("report", arg(dir), "-o", arg(elsewhere), "-q").status()).isZero();
        assertThat(Files.readAllBytes(elsewhere)).isEqualTo(first);
    }

    @Test
    void reportOfAMissingDirectoryIsRefused(@TempDir Path dir) {
        Cli.Result r = quest("report", arg(dir.resolve("nowhere"))).refusedWithOneShortMessage();

        assertThat(r.err()).contains("no such directory").contains("nowhere");
    }

    @Test
    void reportWithoutMetricsIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("schedule.jsonl"), "");
        Cli.Result r = quest("report", arg(dir)).refusedWithOneShortMessage();

        assertThat(r.err()).contains("has no metrics.json");
    }

    @Test
    void reportOfBrokenMetricsIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("metrics.json"), "{\"cpuHz\": ");
        Cli.Result r = quest("report", arg(dir)).refusedWithOneShortMessage();

        assertThat(r.err()).contains("metrics.json is not readable JSON");
    }

    @Test
    void recordEventsWritesEventLinesOnly(@TempDir Path dir) throws Exception {
        Cli.Result r = quest("run", arg(example("io-vcpus.yaml")), "--duration", "100ms", "--record", "events", "-q", "--out", arg(dir));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("schedule.jsonl"));
        assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("{\"event\":"));
        assertThat(dir.resolve("trace.json")).isRegularFile();
    }

    @Test
    void recordNoneWritesNeitherScheduleNorTraceButAReport(@TempDir Path dir) throws Exception {
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "100ms", "-q", "--out", arg(dir)).status()).isZero();
        assertThat(dir.resolve("trace.json")).exists();

        assertThat(quest("run", arg(SMP_BASIC), "--duration", "100ms", "--record", "none", "-q", "--out", arg(dir)).status()).isZero();

        assertThat(dir.resolve("schedule.jsonl")).as("an earlier run's schedule is not left behind").doesNotExist();
        assertThat(dir.resolve("trace.json")).doesNotExist();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("--record none");
    }

    @Test
    void recordWindowKeepsOnlyThatStretch(@TempDir Path dir) throws Exception {
        Cli.Result r = quest("run", arg(SMP_BASIC), "--duration", "500ms", "--record-window", "200ms..300ms", "-q", "--out", arg(dir));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        for (String line : Files.readAllLines(dir.resolve("schedule.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.has("event")) {
                assertThat(n.get("time").asLong()).isBetween(200_000_000L, 299_999_999L);
            } else {
                assertThat(n.get("end").asLong()).isGreaterThan(200_000_000L);
                assertThat(n.get("start").asLong()).isLessThan(300_000_000L);
            }
        }
    }

    @Test
    void badRecordingOptionsAreRefused() {
        assertThat(quest("run", arg(SMP_BASIC), "--record", "everything").refusedWithOneShortMessage().err())
                .contains("--record takes slices, events, slices,events or none");
        assertThat(quest("run", arg(SMP_BASIC), "--record-window", "2s..1s").refusedWithOneShortMessage().err())
                .contains("the end must come after the start");
        assertThat(quest("run", arg(SMP_BASIC), "--record-window", "1s").refusedWithOneShortMessage().err())
                .contains("FROM..TO");
        assertThat(quest("run", arg(SMP_BASIC), "--record-window", "1x..2s").refusedWithOneShortMessage().err())
                .contains("--record-window");
    }
}
