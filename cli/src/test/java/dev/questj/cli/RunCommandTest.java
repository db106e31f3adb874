package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.example;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quest run}: the summary, and the output contract of metrics.json and schedule.jsonl. */
class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SMP_BASIC = example("smp-basic.yaml");

    @Test
    void runWritesTheSummaryAndBothOutputFiles(@TempDir Path dir) {
        Cli.Result r = quest("run", arg(SMP_BASIC), "--duration", "1s", "--out", arg(dir));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("verdict").contains("smp-basic");
        assertThat(dir.resolve("metrics.json")).isRegularFile();
        assertThat(dir.resolve("schedule.jsonl")).isRegularFile().isNotEmptyFile();
    }

    @Test
    void metricsJsonHasEveryFieldOfTheContract(@TempDir Path dir) throws IOException {
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "1s", "--out", arg(dir)).status()).isZero();
        JsonNode m = JSON.readTree(dir.resolve("metrics.json").toFile());

        assertThat(m.get("formatVersion").asInt()).isEqualTo(2);
        assertThat(m.get("seed").asLong()).isEqualTo(42);
        assertThat(m.get("cpuHz").asLong()).isEqualTo(1_000_000_000L);
        assertThat(m.get("simulatedCycles").asLong()).isEqualTo(1_000_000_000L);
        assertThat(m.get("events").asLong()).isPositive();
        assertThat(m.get("wallSeconds").isNumber()).isTrue();
        assertThat(m.get("traceDigest").asText()).matches("[0-9a-f]{64}");
        for (String array : List.of("sandboxes", "vcpus", "threads", "devices", "channels")) {
            assertThat(m.get(array).isArray()).as(array).isTrue();
        }
        for (String object : List.of("isolation", "vmExits")) {
            assertThat(m.get(object).isObject()).as(object).isTrue();
        }

        assertThat(m.get("vcpus")).hasSize(13);
        for (JsonNode v : m.get("vcpus")) {
            assertThat(v.get("sandbox").asText()).isEqualTo("smp");
            assertThat(v.get("name").asText()).isNotEmpty();
            assertThat(v.get("kind").asText()).isEqualTo("main");
            assertThat(v.get("core").asInt()).isBetween(0, 3);
            assertThat(v.get("budget").asLong()).isPositive().isLessThanOrEqualTo(v.get("period").asLong());
            assertThat(v.get("consumed").asLong()).isNotNegative();
            assertThat(v.get("maxWindowUsage").asLong()).isNotNegative()
                    .isLessThanOrEqualTo(2 * v.get("budget").asLong());
        }
        JsonNode hog = find(m.get("vcpus"), "hog");
        assertThat(hog.get("budget").asLong()).isEqualTo(10_000_000L);
        assertThat(hog.get("period").asLong()).isEqualTo(100_000_000L);

        assertThat(m.get("threads")).hasSize(30);
        for (JsonNode t : m.get("threads")) {
            assertThat(t.get("jobs").asLong()).as(t.get("name").asText()).isNotNegative();
            assertThat(t.get("deadlineMisses").asLong()).as(t.get("name").asText()).isZero();
            JsonNode rt = t.get("responseTime");
            for (String f : List.of("min", "p50", "p99", "max")) {
                assertThat(rt.has(f)).as(t.get("name").asText() + ".responseTime." + f).isTrue();
            }
        }
        JsonNode pid = find(m.get("threads"), "pid");
        assertThat(pid.get("jobs").asLong()).isBetween(200L, 201L);
        JsonNode rt = pid.get("responseTime");
        assertThat(rt.get("min").asLong()).isPositive().isLessThanOrEqualTo(rt.get("p50").asLong());
        assertThat(rt.get("p50").asLong()).isLessThanOrEqualTo(rt.get("p99").asLong());
        assertThat(rt.get("p99").asLong()).isLessThanOrEqualTo(rt.get("max").asLong());
        assertThat(find(m.get("threads"), "hog").get("responseTime").get("max").isNull())
                .as("a hog completes no job, so it has no response time").isTrue();
    }

    @Test
    void traceDigestIsTheSha256OfScheduleJsonl(@TempDir Path dir) throws Exception {
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "1s", "--out", arg(dir)).status()).isZero();
        byte[] schedule = Files.readAllBytes(dir.resolve("schedule.jsonl"));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(schedule));

        assertThat(JSON.readTree(dir.resolve("metrics.json").toFile()).get("traceDigest").asText()).isEqualTo(sha256);
    }

    @Test
    void scheduleJsonlHasOneSliceObjectPerLine(@TempDir Path dir) throws IOException {
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "200ms", "--out", arg(dir)).status()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("schedule.jsonl"));

        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode slice = JSON.readTree(line);
            if (slice.has("event")) {
                continue;
            }
            assertThat(slice.get("core").asInt()).isBetween(0, 3);
            assertThat(slice.get("sandbox").asText()).isEqualTo("smp");
            assertThat(slice.get("vcpu").asText()).isNotEmpty();
            assertThat(slice.get("thread").asText()).isNotEmpty();
            assertThat(slice.get("start").asLong()).isLessThan(slice.get("end").asLong());
        }
    }

    @Test
    void sameFileAndSeedGiveTheSameBytes(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "1s", "--out", arg(a)).status()).isZero();
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "1s", "--out", arg(b)).status()).isZero();

        assertThat(Files.readAllBytes(b.resolve("schedule.jsonl"))).isEqualTo(Files.readAllBytes(a.resolve("schedule.jsonl")));
        assertThat(withoutWallSeconds(b.resolve("metrics.json"))).isEqualTo(withoutWallSeconds(a.resolve("metrics.json")));
    }

    @Test
    void anotherSeedGivesAnotherSchedule(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "1s", "--out", arg(a)).status()).isZero();
        assertThat(quest("run", arg(SMP_BASIC), "--duration", "1s", "--seed", "43", "--out", arg(b)).status()).isZero();

        assertThat(Files.readAllBytes(b.resolve("schedule.jsonl"))).isNotEqualTo(Files.readAllBytes(a.resolve("schedule.jsonl")));
        assertThat(JSON.readTree(b.resolve("metrics.json").toFile()).get("seed").asLong()).isEqualTo(43);
    }

    @Test
    void recordNoneWritesMetricsWithoutASchedule(@TempDir Path dir) throws IOException {
        Cli.Result r = quest("run", arg(SMP_BASIC), "--duration", "200ms", "--record", "none", "-q", "--out", arg(dir));

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(dir.resolve("schedule.jsonl")).doesNotExist();
        assertThat(JSON.readTree(dir.resolve("metrics.json").toFile()).get("traceDigest").isNull()).isTrue();
    }

    @Test
    void admissionWarnRunsTheOverloadedCoreAndSaysSoOnStderr(@TempDir Path dir) throws IOException {
        Path overloadedButWarn = dir.resolve("warn.yaml");
        Files.writeString(overloadedButWarn, Files.readString(example("overloaded.yaml"))
                .replace("admission: enforce", "admission: warn"));

        Cli.Result r = quest("run", arg(overloadedButWarn), "--out", arg(dir.resolve("out")));

        assertThat(r.status()).isZero();
        assertThat(r.err()).startsWith("warning: ").contains("PCPU 0", "0.9333", "0.8284");
        assertThat(r.out()).contains("OVER BOUND");
    }

    private static JsonNode find(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no element named " + name + " in " + array);
    }

    private static List<String> withoutWallSeconds(Path metrics) throws IOException {
        List<String> lines = Files.readAllLines(metrics);
        assertThat(lines).filteredOn(l -> l.contains("\"wallSeconds\"")).hasSize(1);
        return lines.stream().filter(l -> !l.contains("\"wallSeconds\"")).toList();
    }
}
