package dev.questj.system.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.questj.system.Recording;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html: self-contained, deterministic, the verdict in words, bounded data for long runs. */
class ReportWriterTest {
    @Test
    void everyRunWritesASelfContainedReport(@TempDir Path dir) throws Exception {
        Runs.run("smp-basic.yaml", 500 * Runs.MS, dir);
        String html = Files.readString(dir.resolve("report.html"));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Quest/J report: smp-basic</title>");
        assertThat(html).contains("Verdict: all promises kept", "Every deadline was met", "No isolation breaches",
                "No guest faults</b>; no recoveries.", "Admission</b>: all 4 PCPUs within their utilisation bound");
        assertThat(html).contains("id=\"gantt\"", "id=\"budget\"", "id=\"histograms\"", "id=\"quest-data\"", "id=\"quest-status\"");
        // nothing is fetched: no external script, style, font, image or frame
        assertThat(html).doesNotContainPattern("(?i)<script[^>]+src=").doesNotContainPattern("(?i)<link\\b")
                .doesNotContainPattern("(?i)@import").doesNotContainPattern("(?i)url\\(").doesNotContainPattern("(?i)<img\\b")
                .doesNotContainPattern("(?i)<iframe\\b").doesNotContainPattern("(?i)(src|href)=\"(https?:)?//");
        assertThat(html).doesNotContain("wallSeconds");
        // the data block cannot end its script element early
        String data = dataBlock(html);
        assertThat(data).doesNotContain("<", ">");
        assertThat(html.chars().filter(c -> c > 127)).as("ASCII only, whatever the names").isEmpty();
    }

    @Test
    void theReportIsTheSameBytesForTheSameRunAndWhenWrittenAgain(@TempDir Path dir) throws Exception {
        Runs.run("io-vcpus.yaml", 300 * Runs.MS, dir.resolve("a"));
        Runs.run("io-vcpus.yaml", 300 * Runs.MS, dir.resolve("b"));
        byte[] a = Files.readAllBytes(dir.resolve("a/report.html"));

        assertThat(Files.readAllBytes(dir.resolve("b/report.html"))).isEqualTo(a);
        ReportWriter.write(dir.resolve("a"), dir.resolve("again.html"));
        assertThat(Files.readAllBytes(dir.resolve("again.html"))).isEqualTo(a);
    }

    @Test
    void theDataHoldsEveryTrackSliceAndHistogram(@TempDir Path dir) throws Exception {
        Runs.run("smp-basic.yaml", 500 * Runs.MS, dir);
        Map<String, Object> data = data(dir.resolve("report.html"), dir);
        Map<String, Object> schedule = JsonTree.obj(data, "schedule");

        List<Map<String, Object>> tracks = JsonTree.objects(schedule, "tracks");
        assertThat(tracks).hasSize(4 + 13);
        assertThat(tracks.stream().filter(t -> t.get("kind").equals("core"))).hasSize(4);
        long sliceLines = Files.readAllLines(dir.resolve("schedule.jsonl")).stream().filter(l -> l.startsWith("{\"core\"")).count();
        assertThat(JsonTree.num(schedule, "slices", -1)).isEqualTo(sliceLines);
        assertThat(JsonTree.obj(schedule, "detail").get("end")).as("small runs: every slice in detail").isNull();
        assertThat(JsonTree.num(JsonTree.obj(schedule, "detail"), "count", -1)).isEqualTo(sliceLines);
        assertThat(schedule.get("overview")).isNull();
        assertThat(JsonTree.objects(JsonTree.obj(data, "metrics"), "threads"))
                .filteredOn(t -> JsonTree.num(t, "completed", 0) > 0)
                .allSatisfy(t -> assertThat(JsonTree.obj(JsonTree.obj(t, "responseTime"), "histogram")).containsKeys("from", "width", "counts"));
    }

    @Test
    void longRecordingsKeepDetailForAPrefixAndASummaryForTheRest(@TempDir Path dir) throws Exception {
        Runs.run("smp-basic.yaml", 1_000 * Runs.MS, dir);
        ReportWriter.write(dir, dir.resolve("small.html"), 2_000, 1_000);
        Map<String, Object> schedule = JsonTree.obj(data(dir.resolve("small.html"), dir), "schedule");
        Map<String, Object> detail = JsonTree.obj(schedule, "detail");

        long end = JsonTree.num(detail, "end", -1);
        assertThat(end).isPositive().isLessThan(1_000 * Runs.MS);
        assertThat(JsonTree.num(detail, "count", -1)).isBetween(900L, 2_000L + 4);
        Map<String, Object> overview = JsonTree.obj(schedule, "overview");
        assertThat(JsonTree.num(overview, "buckets", 0)).isBetween(1_000L, (long) ScheduleSummary.BUCKETS);
        long buckets = JsonTree.num(overview, "buckets", 0);
        assertThat((List<?>) overview.get("busy")).hasSize(4 + 13).allSatisfy(b -> assertThat((List<?>) b).hasSize((int) buckets));
        assertThat((List<?>) overview.get("dom")).hasSize(4 + 13).allSatisfy(b -> assertThat((List<?>) b).hasSize((int) buckets));
        assertThat(Files.readString(dir.resolve("small.html"))).contains("after that, a summary in");
    }

    @Test
    void withoutASchedulesTheReportSaysWhy(@TempDir Path dir) throws Exception {
        Runs.run("smp-basic.yaml", 100 * Runs.MS, dir, Recording.NONE);

        assertThat(dir.resolve("schedule.jsonl")).doesNotExist();
        assertThat(dir.resolve("trace.json")).doesNotExist();
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("No schedule was recorded for this run (--record none)").contains("Every deadline was met");
        assertThat(dataBlock(html)).contains("\"schedule\":null");
    }

    @Test
    void aScheduleFromAnotherRunIsFlagged(@TempDir Path dir) throws Exception {
        Runs.run("smp-basic.yaml", 100 * Runs.MS, dir.resolve("a"));
        Runs.run("smp-basic.yaml", 200 * Runs.MS, dir.resolve("b"));
        Files.copy(dir.resolve("b/schedule.jsonl"), dir.resolve("a/schedule.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ReportWriter.write(dir.resolve("a"), dir.resolve("a/report.html"));

        assertThat(Files.readString(dir.resolve("a/report.html"))).contains("schedule.jsonl does not match metrics.json");
    }

    @Test
    void badInputsAreNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ReportWriter.write(dir.resolve("nope"), dir.resolve("r.html")))
                .isInstanceOf(ReportWriter.BadInput.class).hasMessageContaining("no such directory");
        assertThatThrownBy(() -> ReportWriter.write(dir, dir.resolve("r.html")))
                .isInstanceOf(ReportWriter.BadInput.class).hasMessageContaining("has no metrics.json");
        Files.writeString(dir.resolve("metrics.json"), "{\"formatVersion\": 1,");
        assertThatThrownBy(() -> ReportWriter.write(dir, dir.resolve("r.html")))
                .isInstanceOf(ReportWriter.BadInput.class).hasMessageContaining("is not readable JSON");
        Files.writeString(dir.resolve("metrics.json"), "[1, 2]");
        assertThatThrownBy(() -> ReportWriter.write(dir, dir.resolve("r.html")))
                .isInstanceOf(ReportWriter.BadInput.class).hasMessageContaining("not a Quest/J metrics.json");
    }

    @Test
    void namesThatLookLikeHtmlAreEscaped(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("sys.yaml");
        Files.writeString(yaml, """
                format: 1
                name: "<script>alert(1)</script> & \u00e9t\u00e9 \u2028"
                duration: 50ms
                machine: {cores: 1, frequency: 1GHz}
                vcpus:
                  - {name: v, budget: 1ms, period: 5ms}
                threads:
                  - {name: t, vcpu: v, model: periodic, period: 5ms, exec: 300us}
                """);
        dev.questj.system.QuestSystem.load(yaml).run(dev.questj.system.RunOptions.inMemory().withOut(dir.resolve("out")));
        String html = Files.readString(dir.resolve("out/report.html"));

        assertThat(html).doesNotContain("<script>alert");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; ");
        assertThat(html.split("</script>", -1)).as("only the two script elements end").hasSize(3);
    }

    /** The Quest-V fields of metrics.json (sandboxes, channels, isolation, VM exits) in words and tables. */
    @Test
    void questVMetricsAreReportedInWords(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("metrics.json"), """
                {"formatVersion": 1, "system": "qv", "source": "qv.yaml", "mode": "quest-v", "seed": 1, "cpuHz": 1000000000,
                 "simulatedCycles": 2000000000, "events": 10, "wallSeconds": 0.5, "traceDigest": null,
                 "verdict": {"jobsCompleted": 10, "deadlineMisses": 0, "guestFaults": 0, "allCoresAdmitted": true,
                             "isolationBreaches": 3, "vmExitsAfterBoot": 0},
                 "cores": [{"pcpu": 0, "core": 0, "hardwareThread": 0, "mainVcpus": 1, "utilisation": 0.2, "bound": 1.0,
                            "admitted": true, "busyCycles": 1000, "schedulingPasses": 5, "contextSwitches": 2}],
                 "sandboxes": [{"name": "control", "kind": "quest", "cores": [0], "state": "running", "faults": 0},
                               {"name": "besteffort", "kind": "quest", "cores": [1], "state": "running", "faults": 1919}],
                 "vcpus": [], "threads": [], "devices": [],
                 "channels": [{"name": "telemetry", "kind": "ring", "from": "control", "to": "comms", "sent": 100,
                               "delivered": 99, "refused": 1, "lost": 0, "corrupted": 0,
                               "latency": {"p50": 12000, "p99": 30000, "max": 41000}}],
                 "isolation": {"protections": {"ept": false, "iommu": true, "interruptRemapping": true},
                               "attempts": 7, "blocked": 4, "breaches": 3, "cpuWrite": {"attempts": 7, "blocked": 4, "breaches": 3}},
                 "vmExits": {"total": 12, "afterBoot": 0, "monitorsRemoved": true,
                             "byReason": {"eptViolation": 4, "hypercall": 8, "configSpace": 0, "interruptRouting": 0}}}
                """);

        ReportWriter.write(dir, dir.resolve("report.html"));
        String html = Files.readString(dir.resolve("report.html"));

        assertThat(html).contains("Verdict: problems found", "INSECURE: protections off</b>: EPT", "3 isolation breaches</b> (7 attempts, 4 blocked)",
                "VM exits</b>: 12 (eptViolation 4, hypercall 8), 0 after boot; monitors removed after boot.");
        assertThat(html).contains("No guest faults</b>; 1,919 sandbox faults (accesses its monitor refused, the sandbox kept running: besteffort 1,919)");
        assertThat(html).contains("<td>telemetry</td>", "p50 12.000us, p99 30.000us, max 41.000us", "class=\"lat-max\"");
        assertThat(html).contains("Isolation ledger", "cpuWrite.breaches", "byReason.hypercall");
        assertThat(html).contains("No schedule was recorded");
    }

    /** A run with a fault: the Faults table from metrics.json's faults array, the verdict counts it, the chart marks it. */
    @Test
    void faultsAreTabledAndMarked(@TempDir Path dir) throws Exception {
        Runs.run("fault-recovery.yaml", 1010 * Runs.MS, dir);
        String html = Files.readString(dir.resolve("report.html"));

        assertThat(html).contains("<a href=\"#faults\">Faults</a>", "<section id=\"faults\"><h2>Faults</h2>");
        assertThat(html).contains("<tr class=\"fault-recovered\"><td>kernel-panic</td><td>comms</td><td>-</td>"
                + "<td class=\"r\">1.000s</td><td>panic exit</td><td class=\"r\">1.000s</td>"
                + "<td><span class=\"outcome ok\">recovered</span></td><td class=\"r\">639.680us</td>"
                + "<td class=\"r\">256</td><td class=\"r\">4</td><td></td></tr>");
        assertThat(html).contains("<b>1 fault</b> (see <a href=\"#faults\">Faults</a>): 1 recovered.", "; 1 recovery.");
        assertThat(html).contains("<tr><td>comms</td><td>running</td><td class=\"r\">1</td><td class=\"r\">639.680us</td></tr>");
        Map<String, Object> schedule = JsonTree.obj(data(dir.resolve("report.html"), dir), "schedule");
        assertThat(((List<?>) schedule.get("kinds")).stream().map(String::valueOf).toList()).contains("fault", "halt", "detected", "restart", "recovered");

        ReportWriter.write(dir, dir.resolve("again.html"));
        assertThat(Files.readString(dir.resolve("again.html"))).isEqualTo(html);
    }

    @Test
    void undetectedAndDownFaultsAreProblems(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("metrics.json"), """
                {"formatVersion": 2, "system": "f", "source": "f.yaml", "mode": "quest-v", "seed": 1, "cpuHz": 1000000000,
                 "simulatedCycles": 2000000000, "events": 10, "wallSeconds": 0.5, "traceDigest": null,
                 "verdict": {"jobsCompleted": 10, "deadlineMisses": 0, "guestFaults": 0, "allCoresAdmitted": true,
                             "isolationBreaches": 0, "vmExitsAfterBoot": 0},
                 "cores": [], "vcpus": [], "threads": [], "devices": [], "channels": [],
                 "sandboxes": [{"name": "a", "kind": "quest", "cores": [0], "state": "down", "faults": 0, "recoveries": 0,
                                "downtimeCycles": 1500000000},
                               {"name": "<b>", "kind": "quest", "cores": [1], "state": "running", "faults": 0, "recoveries": 0,
                                "downtimeCycles": 0}],
                 "faults": [{"kind": "kernel-panic", "sandbox": "a", "target": null, "injectedAt": 500000000,
                             "detectedAt": 500000000, "detectedBy": "panic exit", "recoveredAt": -1, "recoveryCycles": -1,
                             "outcome": "down", "pagesRestored": 0, "threadsRestarted": 0, "note": "policy: stay down"},
                            {"kind": "hung-driver", "sandbox": "<b>", "target": "eth0", "injectedAt": 600000000,
                             "detectedAt": -1, "detectedBy": "", "recoveredAt": -1, "recoveryCycles": -1,
                             "outcome": "undetected", "pagesRestored": 0, "threadsRestarted": 0, "note": ""}]}
                """);

        ReportWriter.write(dir, dir.resolve("report.html"));
        String html = Files.readString(dir.resolve("report.html"));

        assertThat(html).contains("Verdict: problems found",
                "<li class=\"bad\"><b>2 faults</b> (see <a href=\"#faults\">Faults</a>): 1 down, 1 undetected; down at the end: a.</li>");
        assertThat(html).contains("<td>kernel-panic</td><td>a</td><td>-</td><td class=\"r\">500.000ms</td><td>panic exit</td>",
                "<span class=\"outcome bad\">down</span></td><td class=\"r\">-</td>", "<td>policy: stay down</td>",
                "<td>hung-driver</td><td>&lt;b&gt;</td><td>eth0</td><td class=\"r\">600.000ms</td><td>-</td><td class=\"r\">-</td>",
                "<tr><td>a</td><td>down</td><td class=\"r\">0</td><td class=\"r\">1.500s</td></tr>");
    }

    static String dataBlock(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"quest-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("the data block").isTrue();
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Path html, Path scratch) throws Exception {
        Path f = scratch.resolve("data.json");
        Files.writeString(f, dataBlock(Files.readString(html)), StandardCharsets.UTF_8);
        return (Map<String, Object>) JsonTree.read(f);
    }
}
