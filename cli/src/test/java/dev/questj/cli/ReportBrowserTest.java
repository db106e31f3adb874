package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * report.html of examples/smp-basic.yaml in a real headless browser (Debian's chromium, driven by
 * its own command line), opened from disk with every network request refused: the page's script
 * runs without an error, the Gantt chart has a track per PCPU and per VCPU, zooming changes the
 * window shown, and a screenshot is kept as a test artefact (cli/target/browser-test/).
 *
 * <p>Without chromium the test fails, saying so loudly; with QUEST_SKIP_BROWSER=1 it is skipped,
 * saying so as loudly. CI (.ci/run) installs chromium first.
 */
class ReportBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path ARTEFACTS = Path.of("target", "browser-test").toAbsolutePath();
    private static Path browser;
    private static Path report;

    @BeforeAll
    static void runTheExampleAndFindTheBrowser() throws IOException {
        browser = findChromium();
        if (browser == null) {
            String msg = "NO HEADLESS BROWSER FOUND: report.html was NOT checked in a browser. Install Debian's chromium "
                    + "(apt-get install chromium; .ci/run does it before ./quest test)";
            System.err.println("\n" + "*".repeat(100) + "\n*** " + msg + "\n" + "*".repeat(100) + "\n");
            if ("1".equals(System.getenv("QUEST_SKIP_BROWSER"))) {
                Assumptions.abort(msg + " -- SKIPPED because QUEST_SKIP_BROWSER=1");
            }
            fail(msg + ", or set QUEST_SKIP_BROWSER=1 to skip this test on purpose.");
        }
        Path out = ARTEFACTS.resolve("smp-basic");
        Files.createDirectories(out);
        Cli.Result r = quest("run", arg(Cli.example("smp-basic.yaml")), "-q", "--out", arg(out));
        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        report = out.resolve("report.html");
    }

    static Path findChromium() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(d, "chromium"));
                candidates.add(Path.of(d, "chromium-browser"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Test
    void rendersWithoutAScriptErrorWithATrackPerPcpuAndVcpu() throws Exception {
        JsonNode s = status("");

        assertThat(s.get("errors")).as("script errors").isEmpty();
        assertThat(s.get("ok").asBoolean()).as("status %s", s).isTrue();
        assertThat(s.get("tracks").asInt()).as("4 PCPUs + 13 VCPUs").isEqualTo(17);
        assertThat(s.get("rows").get(0).asText()).isEqualTo("PCPU 0");
        assertThat(s.get("rows").get(4).asText()).isEqualTo("VCPU ctl-fast");
        assertThat(s.get("drawn").get("slices").asInt()).isPositive();
        assertThat(s.get("histograms").asInt()).as("every thread that completed a job (the hog never does)").isEqualTo(29);
        assertThat(s.get("budgets").asInt()).isEqualTo(13);
        assertThat(s.get("view").get("fromSeconds").asDouble()).isZero();
        assertThat(s.get("view").get("toSeconds").asDouble()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void zoomingChangesTheVisibleWindow() throws Exception {
        JsonNode whole = status("").get("view");
        JsonNode zoomed = status("#zoom=8").get("view");
        JsonNode window = status("#from=2&to=2.25").get("view");

        double wholeSpan = whole.get("to").asDouble() - whole.get("from").asDouble();
        double zoomedSpan = zoomed.get("to").asDouble() - zoomed.get("from").asDouble();
        assertThat(zoomedSpan).isCloseTo(wholeSpan / 8, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(zoomed.get("from").asDouble()).isGreaterThan(whole.get("from").asDouble());
        assertThat(window.get("fromSeconds").asDouble()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(window.get("toSeconds").asDouble()).isCloseTo(2.25, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** The page's own self-test (#selftest) sends a wheel turn, a drag, a click and a hover through its handlers. */
    @Test
    void wheelDragButtonAndHoverWorkInTheBrowser() throws Exception {
        JsonNode s = status("#selftest");
        assertThat(s.get("errors")).as("script errors").isEmpty();
        JsonNode steps = s.get("selftest");
        assertThat(steps).as("self-test steps in %s", s).hasSize(5);

        double span0 = span(steps.get(0));
        double spanWheel = span(steps.get(1));
        assertThat(spanWheel).as("the wheel zooms in").isLessThan(span0 * 0.5);
        assertThat(span(steps.get(2))).as("a drag keeps the zoom").isCloseTo(spanWheel, org.assertj.core.data.Percentage.withPercentage(0.01));
        assertThat(steps.get(2).get("from").asDouble()).as("dragging left shows later times").isGreaterThan(steps.get(1).get("from").asDouble());
        assertThat(span(steps.get(3))).as("the zoom-out button doubles the window").isCloseTo(2 * spanWheel,
                org.assertj.core.data.Percentage.withPercentage(0.01));
        assertThat(steps.get(4).get("tooltip").asText()).as("hovering a slice names its thread")
                .startsWith(steps.get(4).get("thread").asText()).contains("VCPU ", "PCPU 0", "budget left");
    }

    private static double span(JsonNode step) {
        return step.get("to").asDouble() - step.get("from").asDouble();
    }

    @Test
    void aScreenshotIsKept() throws Exception {
        Path png = ARTEFACTS.resolve("report-smp-basic.png");
        Files.deleteIfExists(png);

        chromium(List.of("--screenshot=" + png, "--window-size=1400,2000"), "#from=0.1&to=0.16");

        assertThat(png).isRegularFile();
        byte[] head = Files.readAllBytes(png);
        assertThat(head).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertThat(head.length).as("a drawn page, not a blank one").isGreaterThan(50_000);
        System.err.println("ReportBrowserTest: screenshot " + png);
    }

    /** The page's #quest-status after its script ran, as JSON. */
    private static JsonNode status(String hash) throws Exception {
        String dom = chromium(List.of("--dump-dom", "--window-size=1400,2000"), hash);
        Matcher m = Pattern.compile("<pre id=\"quest-status\"[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("#quest-status in the DOM:%n%s", dom.length() > 2000 ? dom.substring(0, 2000) : dom).isTrue();
        String text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        return JSON.readTree(text);
    }

    private static String chromium(List<String> what, String hash) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("quest-chromium");
        Path err = profile.resolve("stderr.txt");
        Path outFile = Files.createTempFile("quest-dom", ".html");
        try {
            List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-extensions", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
                    // no network: every host unresolvable, every proxy connection refused
                    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                    "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
            cmd.addAll(what);
            cmd.add(report.toUri() + hash);
            Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish in 120 s: " + Files.readString(err));
            }
            assertThat(p.exitValue()).as("chromium's exit status; stderr:%n%s", Files.readString(err)).isZero();
            return Files.readString(outFile, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(outFile);
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
