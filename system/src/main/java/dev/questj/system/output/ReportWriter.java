package dev.questj.system.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes report.html: one self-contained file (inline CSS, inline script, the data as an inline
 * JSON block; nothing fetched) from an output directory's metrics.json and, when the run recorded
 * it, schedule.jsonl (read in one streaming pass, see {@link ScheduleSummary}).
 *
 * <p>The verdict and the tables are plain HTML, written here; the Gantt chart, the budgets and the
 * histograms are drawn by the script on canvases, a window of the run at a time. The file depends
 * only on the two inputs, and {@code wallSeconds} is left out, so the same run gives the same bytes.
 */
public final class ReportWriter {
    /** A problem with the inputs (a missing directory or metrics.json, unreadable JSON). */
    public static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadInput(String message) {
            super(message);
        }
    }

    private static final String RESOURCES = "/dev/questj/system/output/";

    private final Object metrics;
    private final Map<String, Object> m;
    private final ScheduleSummary schedule;
    private final String scheduleNote;
    private final boolean digestMismatch;
    private final long hz;

    private ReportWriter(Object metrics, ScheduleSummary schedule, String scheduleNote, boolean digestMismatch) {
        this.metrics = metrics;
        this.m = asMap(metrics);
        this.schedule = schedule;
        this.scheduleNote = scheduleNote;
        this.digestMismatch = digestMismatch;
        this.hz = Math.max(1, JsonTree.num(m, "cpuHz", 1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /**
     * Writes {@code target} from {@code dir}/metrics.json and {@code dir}/schedule.jsonl.
     *
     * @throws BadInput when the directory or metrics.json is missing or not readable JSON
     */
    public static void write(Path dir, Path target) throws IOException {
        write(dir, target, ScheduleSummary.DETAIL_SLICES, ScheduleSummary.DETAIL_EVENTS);
    }

    /** With other caps on the chart's detail (for tests). */
    static void write(Path dir, Path target, int detailSlices, int detailEvents) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new BadInput("no such directory: " + dir);
        }
        Path metricsFile = dir.resolve("metrics.json");
        if (!Files.isRegularFile(metricsFile)) {
            throw new BadInput(dir + " has no metrics.json (write one with: quest run --out " + dir + ")");
        }
        Object metrics;
        try {
            metrics = JsonTree.read(metricsFile);
        } catch (IOException e) {
            throw new BadInput(metricsFile + " is not readable JSON: " + firstLine(e.getMessage()));
        }
        if (!(metrics instanceof Map<?, ?> mm) || !mm.containsKey("cpuHz") || !mm.containsKey("threads")) {
            throw new BadInput(metricsFile + " is not a Quest/J metrics.json (no cpuHz or threads)");
        }
        Path sched = dir.resolve(RunOutputs.SCHEDULE);
        String recorded = mm.get("traceDigest") instanceof String s ? s : null;
        ScheduleSummary summary = null;
        String note = null;
        boolean mismatch = false;
        if (recorded == null) {
            note = "No schedule was recorded for this run (--record none), so there is no Gantt chart; "
                    + "rerun with --record slices to see one.";
        } else if (!Files.isRegularFile(sched)) {
            note = "schedule.jsonl is missing from " + dir + ", so there is no Gantt chart.";
        } else {
            try {
                summary = ScheduleSummary.read(sched, metrics, detailSlices, detailEvents);
            } catch (IOException e) {
                throw new BadInput(sched + " is not readable: " + firstLine(e.getMessage()));
            }
            mismatch = !recorded.equals(summary.digest);
        }
        ReportWriter w = new ReportWriter(metrics, summary, note, mismatch);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), 1 << 16)) {
            w.html(out);
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---- the page ----

    private void html(Writer out) throws IOException {
        String system = JsonTree.str(m, "system", "system");
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.write("<title>Quest/J report: " + esc(system) + "</title>\n<style>\n");
        out.write(resource("report.css"));
        out.write("</style>\n</head>\n<body>\n");
        header(out, system);
        verdict(out);
        boolean faults = !JsonTree.objects(metrics, "faults").isEmpty();
        out.write("<nav class=\"toc\">" + (faults ? "<a href=\"#faults\">Faults</a> " : "")
                + "<a href=\"#schedule\">Schedule</a> <a href=\"#budgets\">Budgets</a> "
                + "<a href=\"#responses\">Response times</a> <a href=\"#io\">Channels and I/O</a> "
                + "<a href=\"#admission\">Admission</a> <a href=\"#vcpus\">VCPUs</a></nav>\n");
        faults(out);
        scheduleSection(out);
        responses(out);
        io(out);
        admission(out);
        vcpus(out);
        out.write("<footer>Written by Quest/J from metrics.json" + (schedule != null ? " and schedule.jsonl" : "")
                + ". Self-contained: this file fetches nothing. Times in the run's simulated time.</footer>\n");
        out.write("<pre id=\"quest-status\" hidden>{\"ok\":false,\"errors\":[\"the script did not run\"]}</pre>\n");
        out.write("<script type=\"application/json\" id=\"quest-data\">");
        data(out);
        out.write("</script>\n<script>\n");
        out.write(resource("report.js"));
        out.write("</script>\n</body>\n</html>\n");
    }

    private static String resource(String name) {
        try (InputStream in = ReportWriter.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void header(Writer out, String system) throws IOException {
        long sim = JsonTree.num(m, "simulatedCycles", 0);
        int cores = JsonTree.objects(metrics, "cores").size();
        out.write("<header><h1>" + esc(system) + "</h1><p class=\"sub\">" + esc(Summary.time(sim, hz)) + " simulated on "
                + cores + " PCPU" + (cores == 1 ? "" : "s") + " at " + esc(Summary.hzText(hz)) + ", seed "
                + JsonTree.num(m, "seed", 0) + ", mode " + esc(JsonTree.str(m, "mode", "smp")) + " &middot; "
                + esc(JsonTree.str(m, "source", "")) + "</p></header>\n");
    }

    /** The verdict in words: misses, isolation, faults and recoveries, admission. */
    private void verdict(Writer out) throws IOException {
        Map<String, Object> v = JsonTree.obj(metrics, "verdict");
        List<String[]> items = new ArrayList<>(); // {class, html}
        long misses = JsonTree.num(v, "deadlineMisses", 0);
        long jobs = JsonTree.num(v, "jobsCompleted", 0);
        List<Map<String, Object>> threads = JsonTree.objects(metrics, "threads");
        if (misses == 0) {
            items.add(new String[] {"ok", "<b>Every deadline was met</b>: " + fmt(jobs) + " jobs completed by "
                    + threads.size() + " threads."});
        } else {
            List<String> who = new ArrayList<>();
            for (Map<String, Object> t : threads) {
                long k = JsonTree.num(t, "deadlineMisses", 0);
                if (k > 0) {
                    who.add(esc(JsonTree.str(t, "name", "?")) + " (" + fmt(k) + ")");
                }
            }
            items.add(new String[] {"bad", "<b>" + fmt(misses) + " deadline miss" + (misses == 1 ? "" : "es") + "</b> in "
                    + who.size() + " thread" + (who.size() == 1 ? "" : "s") + ": " + String.join(", ", who)
                    + "; " + fmt(jobs) + " jobs completed."});
        }
        Map<String, Object> isolation = JsonTree.obj(metrics, "isolation");
        Map<String, Object> protections = JsonTree.obj(isolation, "protections");
        List<String> off = new ArrayList<>();
        for (String[] p : new String[][] {{"ept", "EPT"}, {"iommu", "IOMMU"}, {"interruptRemapping", "interrupt remapping"}}) {
            if (!JsonTree.bool(protections, p[0], true)) {
                off.add(p[1]);
            }
        }
        boolean sandboxed = !"smp".equals(JsonTree.str(m, "mode", "smp")); // SMP mode has no sandboxes to protect
        if (sandboxed && !off.isEmpty()) {
            items.add(new String[] {"bad", "<b>INSECURE: protections off</b>: " + String.join(", ", off)
                    + "; the sandboxes are not isolated."});
        }
        long breaches = JsonTree.num(v, "isolationBreaches", JsonTree.num(isolation, "breaches", 0));
        long attempts = JsonTree.num(isolation, "attempts", 0);
        long blocked = JsonTree.num(isolation, "blocked", 0);
        if (breaches == 0) {
            items.add(new String[] {"ok", "<b>No isolation breaches</b>" + (attempts == 0 ? (sandboxed ? "." : " (SMP mode: one kernel image, no sandboxes).")
                    : ": " + fmt(attempts) + " attempt" + (attempts == 1 ? "" : "s") + " to cross a sandbox's bounds, "
                            + fmt(blocked) + " blocked.")});
        } else {
            items.add(new String[] {"bad", "<b>" + fmt(breaches) + " isolation breach" + (breaches == 1 ? "" : "es") + "</b> ("
                    + fmt(attempts) + " attempts, " + fmt(blocked) + " blocked)."});
        }
        long faults = JsonTree.num(v, "guestFaults", 0);
        long recoveries = 0;
        for (Map<String, Object> sb : JsonTree.objects(metrics, "sandboxes")) {
            recoveries += JsonTree.num(sb, "recoveries", 0);
        }
        String rec = recoveries == 0 ? "no recoveries" : fmt(recoveries) + " recover" + (recoveries == 1 ? "y" : "ies");
        long sandboxFaults = 0;
        List<String> bySandbox = new ArrayList<>();
        for (Map<String, Object> sb : JsonTree.objects(metrics, "sandboxes")) {
            long f = JsonTree.num(sb, "faults", 0);
            if (f > 0) {
                sandboxFaults += f;
                bySandbox.add(esc(JsonTree.str(sb, "name", "?")) + " " + fmt(f));
            }
        }
        String contained = sandboxFaults == 0 ? "" : "; " + fmt(sandboxFaults) + " sandbox fault" + (sandboxFaults == 1 ? "" : "s")
                + " (accesses its monitor refused, the sandbox kept running: " + String.join(", ", bySandbox) + ")";
        if (faults == 0) {
            items.add(new String[] {"ok", "<b>No guest faults</b>" + contained + "; " + rec + "."});
        } else {
            List<String> who = new ArrayList<>();
            for (Map<String, Object> t : threads) {
                if (t.get("fault") instanceof String f) {
                    who.add(esc(JsonTree.str(t, "name", "?")) + ": " + esc(f));
                }
            }
            items.add(new String[] {"bad", "<b>" + fmt(faults) + " guest fault" + (faults == 1 ? "" : "s") + "</b> ("
                    + String.join("; ", who) + ")" + contained + "; " + rec + "."});
        }
        String[] injected = faultsInWords();
        if (injected != null) {
            items.add(injected);
        }
        List<Map<String, Object>> cores = JsonTree.objects(metrics, "cores");
        List<String> over = new ArrayList<>();
        for (Map<String, Object> c : cores) {
            if (!JsonTree.bool(c, "admitted", true)) {
                over.add("PCPU " + JsonTree.num(c, "pcpu", -1) + " (" + f4(JsonTree.dbl(c, "utilisation", 0)) + " &gt; "
                        + f4(JsonTree.dbl(c, "bound", 0)) + ")");
            }
        }
        items.add(over.isEmpty()
                ? new String[] {"ok", "<b>Admission</b>: all " + cores.size() + " PCPUs within their utilisation bound."}
                : new String[] {"bad", "<b>Over the admission bound</b>: " + String.join(", ", over) + " (run with admission: warn)."});
        List<Map<String, Object>> devices = JsonTree.objects(metrics, "devices");
        if (!devices.isEmpty()) {
            long req = 0;
            long irq = 0;
            long dropped = 0;
            for (Map<String, Object> d : devices) {
                req += JsonTree.num(d, "requests", 0);
                irq += JsonTree.num(d, "interrupts", 0);
                dropped += JsonTree.num(d, "dropped", 0) + JsonTree.num(d, "unclaimed", 0);
            }
            items.add(new String[] {"info", "<b>I/O</b>: " + devices.size() + " device" + (devices.size() == 1 ? "" : "s") + ", "
                    + fmt(req) + " requests, " + fmt(irq) + " interrupts, " + fmt(dropped) + " packets dropped."});
        }
        Map<String, Object> exits = JsonTree.obj(metrics, "vmExits");
        long exitTotal = JsonTree.num(exits, "total", 0);
        if (exitTotal > 0) {
            List<String> why = new ArrayList<>();
            JsonTree.obj(exits, "byReason").forEach((k, val) -> {
                if (val instanceof Number n && n.longValue() > 0) {
                    why.add(esc(k) + " " + fmt(n.longValue()));
                }
            });
            items.add(new String[] {"info", "<b>VM exits</b>: " + fmt(exitTotal) + " (" + String.join(", ", why) + "), "
                    + fmt(JsonTree.num(exits, "afterBoot", 0)) + " after boot"
                    + (JsonTree.bool(exits, "monitorsRemoved", false) ? "; monitors removed after boot." : ".")});
        }
        boolean bad = items.stream().anyMatch(i -> i[0].equals("bad"));
        out.write("<section id=\"verdict\" class=\"verdict " + (bad ? "bad" : "ok") + "\"><h2>Verdict: "
                + (bad ? "problems found" : "all promises kept") + "</h2><ul>\n");
        for (String[] i : items) {
            out.write("<li class=\"" + i[0] + "\">" + i[1] + "</li>\n");
        }
        out.write("</ul></section>\n");
    }

    /** The injected faults by outcome, for the verdict; null when there were none. Undetected ones are a problem. */
    private String[] faultsInWords() {
        List<Map<String, Object>> faults = JsonTree.objects(metrics, "faults");
        if (faults.isEmpty()) {
            return null;
        }
        Map<String, Long> byOutcome = new LinkedHashMap<>();
        for (String o : List.of("recovered", "contained", "down", "undetected", "skipped")) {
            byOutcome.put(o, 0L);
        }
        for (Map<String, Object> f : faults) {
            byOutcome.merge(JsonTree.str(f, "outcome", "?"), 1L, Long::sum);
        }
        List<String> parts = new ArrayList<>();
        byOutcome.forEach((o, n) -> {
            if (n > 0) {
                parts.add(fmt(n) + " " + esc(o));
            }
        });
        List<String> down = new ArrayList<>();
        for (Map<String, Object> sb : JsonTree.objects(metrics, "sandboxes")) {
            if ("down".equals(JsonTree.str(sb, "state", ""))) {
                down.add(esc(JsonTree.str(sb, "name", "?")));
            }
        }
        long undetected = byOutcome.getOrDefault("undetected", 0L);
        return new String[] {undetected > 0 ? "bad" : "info", "<b>" + fmt(faults.size()) + " fault"
                + (faults.size() == 1 ? "" : "s") + "</b> (see <a href=\"#faults\">Faults</a>): " + String.join(", ", parts)
                + (down.isEmpty() ? "" : "; down at the end: " + String.join(", ", down)) + "."};
    }

    /** The faults array of metrics.json: what was injected where, what caught it, how it ended. */
    private void faults(Writer out) throws IOException {
        List<Map<String, Object>> faults = JsonTree.objects(metrics, "faults");
        if (faults.isEmpty()) {
            return;
        }
        out.write("<section id=\"faults\"><h2>Faults</h2>\n<p class=\"note\">Each injected fault (and any hang a watchdog "
                + "caught that nobody injected): when it came, what detected it and when, and how it ended. Recovery: from "
                + "detection until the sandbox ran again (or the fault was contained).</p>\n");
        out.write("<table><thead><tr><th>kind</th><th>sandbox</th><th>target</th><th class=\"r\">injected</th>"
                + "<th>detected by</th><th class=\"r\">detected</th><th>outcome</th><th class=\"r\">recovery</th>"
                + "<th class=\"r\">pages restored</th><th class=\"r\">threads restarted</th><th>note</th></tr></thead><tbody>\n");
        for (Map<String, Object> f : faults) {
            String outcome = JsonTree.str(f, "outcome", "?");
            String cls = switch (outcome) {
                case "recovered", "contained" -> "ok";
                case "undetected", "down" -> "bad";
                default -> "info";
            };
            long injected = JsonTree.num(f, "injectedAt", -1);
            long detected = JsonTree.num(f, "detectedAt", -1);
            long recovery = JsonTree.num(f, "recoveryCycles", -1);
            String by = JsonTree.str(f, "detectedBy", "");
            out.write("<tr class=\"fault-" + esc(outcome) + "\"><td>" + esc(JsonTree.str(f, "kind", "?")) + "</td><td>"
                    + esc(JsonTree.str(f, "sandbox", "?")) + "</td><td>" + esc(JsonTree.str(f, "target", "-"))
                    + "</td><td class=\"r\">" + (injected < 0 ? "-" : esc(Summary.time(injected, hz)))
                    + "</td><td>" + (by.isEmpty() ? "-" : esc(by)) + "</td><td class=\"r\">"
                    + (detected < 0 ? "-" : esc(Summary.time(detected, hz))) + "</td><td><span class=\"outcome " + cls + "\">"
                    + esc(outcome) + "</span></td><td class=\"r\">" + (recovery < 0 ? "-" : esc(Summary.time(recovery, hz)))
                    + "</td><td class=\"r\">" + fmt(JsonTree.num(f, "pagesRestored", 0)) + "</td><td class=\"r\">"
                    + fmt(JsonTree.num(f, "threadsRestarted", 0)) + "</td><td>" + esc(JsonTree.str(f, "note", "")) + "</td></tr>\n");
        }
        out.write("</tbody></table>\n");
        List<Map<String, Object>> sandboxes = JsonTree.objects(metrics, "sandboxes").stream()
                .filter(sb -> JsonTree.num(sb, "recoveries", 0) > 0 || JsonTree.num(sb, "downtimeCycles", 0) > 0
                        || "down".equals(JsonTree.str(sb, "state", "")))
                .toList();
        if (!sandboxes.isEmpty()) {
            out.write("<table><thead><tr><th>sandbox</th><th>state at the end</th><th class=\"r\">recoveries</th>"
                    + "<th class=\"r\">downtime</th></tr></thead><tbody>\n");
            for (Map<String, Object> sb : sandboxes) {
                out.write("<tr><td>" + esc(JsonTree.str(sb, "name", "?")) + "</td><td>" + esc(JsonTree.str(sb, "state", "?"))
                        + "</td><td class=\"r\">" + fmt(JsonTree.num(sb, "recoveries", 0)) + "</td><td class=\"r\">"
                        + esc(Summary.time(JsonTree.num(sb, "downtimeCycles", 0), hz)) + "</td></tr>\n");
            }
            out.write("</tbody></table>\n");
        }
        out.write("</section>\n");
    }

    private void scheduleSection(Writer out) throws IOException {
        out.write("<section id=\"schedule\"><h2>Schedule</h2>\n");
        if (schedule == null) {
            out.write("<p class=\"note\">" + esc(scheduleNote) + "</p>\n");
        } else {
            if (digestMismatch) {
                out.write("<p class=\"warn\">schedule.jsonl does not match metrics.json (its SHA-256 differs from "
                        + "traceDigest): it was written by another run.</p>\n");
            }
            out.write("<p class=\"note\">" + recordingNote() + "</p>\n");
            out.write("""
                    <div class="toolbar" id="gantt-toolbar">
                    <button type="button" data-act="in" title="Zoom in (+)">+</button>
                    <button type="button" data-act="out" title="Zoom out (-)">&minus;</button>
                    <button type="button" data-act="left" title="Pan left (&larr;)">&larr;</button>
                    <button type="button" data-act="right" title="Pan right (&rarr;)">&rarr;</button>
                    <button type="button" data-act="reset" title="The whole recording (0)">whole run</button>
                    <span id="gantt-range"></span>
                    <span class="hint">wheel: zoom &middot; drag: pan &middot; hover: details</span>
                    </div>
                    <canvas id="minimap" height="36"></canvas>
                    <div class="chart"><canvas id="gantt"></canvas></div>
                    <div id="legend" class="legend"></div>
                    </section>
                    <section id="budgets"><h2>Budgets</h2>
                    <p class="note">Each VCPU's budget left over the window shown above (it follows the zoom): it falls while
                    the VCPU runs and comes back with replenishments. The dashed line is the budget per period; the faint
                    grid marks multiples of the period. Exact at the end of every slice; inside a slice it assumes no
                    replenishment arrived.</p>
                    <div class="chart"><canvas id="budget"></canvas></div>
                    """);
        }
        out.write("</section>\n");
        out.write("<div id=\"tooltip\" class=\"tooltip\" hidden></div>\n");
    }

    private String recordingNote() {
        ScheduleSummary s = schedule;
        StringBuilder sb = new StringBuilder();
        sb.append(fmt(s.slices)).append(" slices and ").append(fmt(s.eventLines)).append(" events recorded");
        if (s.from <= s.to) {
            sb.append(" from ").append(esc(Summary.time(s.from, hz))).append(" to ").append(esc(Summary.time(s.to, hz)));
        }
        sb.append(". ");
        if (s.slices == 0) {
            sb.append("No slices were recorded (--record events): the chart shows events only. ");
        }
        if (s.truncated()) {
            sb.append("The chart holds every slice and event up to ").append(esc(Summary.time(s.detailEnd(), hz)))
                    .append(" (").append(fmt(s.detailSlices())).append(" slices); after that, a summary in ")
                    .append(ScheduleSummary.BUCKETS).append(" steps (how busy each track was, coloured by what ran most). ")
                    .append("For every slice of a later stretch, rerun with --record-window FROM..TO.");
        } else {
            sb.append("The chart holds every one of them.");
        }
        if (s.eventsDropped > 0) {
            sb.append(" ").append(fmt(s.eventsDropped)).append(" events beyond the chart's limits are counted but not drawn.");
        }
        return sb.toString();
    }

    private void responses(Writer out) throws IOException {
        out.write("<section id=\"responses\"><h2>Response times</h2>\n<p class=\"note\">Per thread, the time from a job's "
                + "release to its completion, in " + ResponseHistogramBins.BINS + " bins from the shortest to the longest; "
                + "the marks are p50, p99 and the maximum.</p>\n<div id=\"histograms\" class=\"grid\"></div>\n");
        out.write("<table><thead><tr><th>thread</th><th>VCPU</th><th>model</th><th class=\"r\">jobs</th>"
                + "<th class=\"r\">completed</th><th class=\"r\">misses</th><th class=\"r\">min</th><th class=\"r\">p50</th>"
                + "<th class=\"r\">p99</th><th class=\"r\">max</th><th class=\"r\">CPU</th></tr></thead><tbody>\n");
        for (Map<String, Object> t : JsonTree.objects(metrics, "threads")) {
            Map<String, Object> rt = JsonTree.obj(t, "responseTime");
            long misses = JsonTree.num(t, "deadlineMisses", 0);
            out.write("<tr" + (misses > 0 ? " class=\"bad\"" : "") + "><td>" + esc(JsonTree.str(t, "name", "?"))
                    + (t.get("fault") instanceof String f ? " <span class=\"badge\" title=\"" + esc(f) + "\">fault</span>" : "")
                    + "</td><td>" + esc(JsonTree.str(t, "vcpu", "")) + "</td><td>" + esc(JsonTree.str(t, "model", ""))
                    + "</td><td class=\"r\">" + fmt(JsonTree.num(t, "jobs", 0)) + "</td><td class=\"r\">"
                    + fmt(JsonTree.num(t, "completed", 0)) + "</td><td class=\"r\">" + fmt(misses) + "</td>");
            for (String k : List.of("min", "p50", "p99", "max")) {
                out.write("<td class=\"r\">" + esc(Summary.time(JsonTree.numOrNull(rt, k), hz)) + "</td>");
            }
            out.write("<td class=\"r\">" + esc(Summary.time(JsonTree.num(t, "cpuCycles", 0), hz)) + "</td></tr>\n");
        }
        out.write("</tbody></table></section>\n");
    }

    private void io(Writer out) throws IOException {
        out.write("<section id=\"io\"><h2>Channels and I/O latency</h2>\n");
        List<Map<String, Object>> channels = JsonTree.objects(metrics, "channels");
        if (channels.isEmpty()) {
            out.write("<p class=\"note\">No channels in this run (channels connect Quest-V sandboxes).</p>\n");
        } else {
            out.write("<p class=\"note\">Channels between sandboxes; latency from send to receipt.</p>\n");
            genericTable(out, channels);
        }
        flatTable(out, "Isolation ledger (metrics.json isolation)", JsonTree.obj(metrics, "isolation"));
        flatTable(out, "VM exits (metrics.json vmExits)", JsonTree.obj(metrics, "vmExits"));
        List<Map<String, Object>> devices = JsonTree.objects(metrics, "devices");
        if (devices.isEmpty()) {
            out.write("<p class=\"note\">No devices in this system.</p>\n");
        } else {
            out.write("<p class=\"note\">Device I/O latency: from a request's issue (or a packet's arrival) to the end of "
                    + "its bottom half on the I/O VCPU.</p>\n");
            out.write("<table><thead><tr><th>device</th><th>type</th><th>IRQ PCPU</th><th>I/O VCPU</th><th class=\"r\">requests</th>"
                    + "<th class=\"r\">interrupts</th><th class=\"r\">done</th><th class=\"r\">dropped</th>"
                    + "<th class=\"r\">unclaimed</th><th class=\"r\">p50</th><th class=\"r\">p99</th><th class=\"r\">max</th>"
                    + "<th>latency</th></tr></thead><tbody>\n");
            long maxLat = 1;
            for (Map<String, Object> d : devices) {
                Long l = JsonTree.numOrNull(JsonTree.obj(d, "latency"), "max");
                maxLat = Math.max(maxLat, l == null ? 0 : l);
            }
            for (Map<String, Object> d : devices) {
                Map<String, Object> lat = JsonTree.obj(d, "latency");
                Long p50 = JsonTree.numOrNull(lat, "p50");
                Long p99 = JsonTree.numOrNull(lat, "p99");
                Long max = JsonTree.numOrNull(lat, "max");
                out.write("<tr><td>" + esc(JsonTree.str(d, "name", "?")) + "</td><td>" + esc(JsonTree.str(d, "type", ""))
                        + "</td><td>" + JsonTree.num(d, "irqCore", -1) + "</td><td>" + esc(JsonTree.str(d, "ioVcpu", "-"))
                        + "</td><td class=\"r\">" + fmt(JsonTree.num(d, "requests", 0)) + "</td><td class=\"r\">"
                        + fmt(JsonTree.num(d, "interrupts", 0)) + "</td><td class=\"r\">" + fmt(JsonTree.num(d, "completions", 0))
                        + "</td><td class=\"r\">" + fmt(JsonTree.num(d, "dropped", 0)) + "</td><td class=\"r\">"
                        + fmt(JsonTree.num(d, "unclaimed", 0)) + "</td><td class=\"r\">" + esc(Summary.time(p50, hz))
                        + "</td><td class=\"r\">" + esc(Summary.time(p99, hz)) + "</td><td class=\"r\">" + esc(Summary.time(max, hz))
                        + "</td><td>" + latencyBar(p50, p99, max, maxLat) + "</td></tr>\n");
            }
            out.write("</tbody></table>\n");
        }
        out.write("</section>\n");
    }

    private static String latencyBar(Long p50, Long p99, Long max, long scale) {
        if (max == null) {
            return "";
        }
        return "<div class=\"lat\"><span class=\"lat-max\" style=\"width:" + pct(max, scale) + "%\"></span>"
                + "<span class=\"lat-p99\" style=\"width:" + pct(p99 == null ? 0 : p99, scale) + "%\"></span>"
                + "<span class=\"lat-p50\" style=\"width:" + pct(p50 == null ? 0 : p50, scale) + "%\"></span></div>";
    }

    private static String pct(long v, long scale) {
        return String.format(Locale.ROOT, "%.1f", Math.min(100.0, 100.0 * v / Math.max(1, scale)));
    }

    /**
     * A table of whatever fields the objects have (for sections other issues fill, such as channels):
     * latency-like objects ({p50, p99, max}) as times with a bar on a common scale.
     */
    private void genericTable(Writer out, List<Map<String, Object>> rows) throws IOException {
        Map<String, Boolean> cols = new LinkedHashMap<>();
        rows.forEach(r -> r.keySet().forEach(k -> cols.put(k, true)));
        long scale = 1;
        for (Map<String, Object> r : rows) {
            for (Object v : r.values()) {
                if (isLatency(v)) {
                    Long max = JsonTree.numOrNull(asMap(v), "max");
                    scale = Math.max(scale, max == null ? 0 : max);
                }
            }
        }
        out.write("<table><thead><tr>");
        for (String c : cols.keySet()) {
            out.write("<th>" + esc(c) + "</th>");
        }
        out.write("</tr></thead><tbody>\n");
        for (Map<String, Object> r : rows) {
            out.write("<tr>");
            for (String c : cols.keySet()) {
                Object v = r.get(c);
                if (isLatency(v)) {
                    Map<String, Object> lat = asMap(v);
                    List<String> parts = new ArrayList<>();
                    lat.forEach((k, x) -> parts.add(k + " " + (x instanceof Number n ? Summary.time(n.longValue(), hz) : "-")));
                    out.write("<td>" + esc(String.join(", ", parts)) + latencyBar(JsonTree.numOrNull(lat, "p50"),
                            JsonTree.numOrNull(lat, "p99"), JsonTree.numOrNull(lat, "max"), scale) + "</td>");
                } else {
                    out.write((v instanceof Number ? "<td class=\"r\">" : "<td>") + esc(v == null ? "-" : String.valueOf(v)) + "</td>");
                }
            }
            out.write("</tr>\n");
        }
        out.write("</tbody></table>\n");
    }

    private static boolean isLatency(Object v) {
        return v instanceof Map<?, ?> mm && !mm.isEmpty()
                && mm.keySet().stream().allMatch(k -> List.of("p50", "p99", "max", "min").contains(k));
    }

    /** A nested object (the isolation ledger, VM exits) as key paths and values. */
    private static void flatTable(Writer out, String title, Map<String, Object> obj) throws IOException {
        if (obj.isEmpty()) {
            return;
        }
        out.write("<details><summary>" + esc(title) + "</summary><table><tbody>\n");
        flatRows(out, "", obj);
        out.write("</tbody></table></details>\n");
    }

    private static void flatRows(Writer out, String prefix, Map<String, Object> obj) throws IOException {
        for (Map.Entry<String, Object> e : obj.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> sub) {
                flatRows(out, key, asMap(sub));
            } else {
                out.write("<tr><td>" + esc(key) + "</td><td class=\"r\">" + esc(String.valueOf(e.getValue())) + "</td></tr>\n");
            }
        }
    }

    private void admission(Writer out) throws IOException {
        long sim = Math.max(1, JsonTree.num(m, "simulatedCycles", 1));
        out.write("<section id=\"admission\"><h2>Admission per PCPU</h2>\n<p class=\"note\">The admission test per PCPU: the "
                + "utilisation of its VCPUs (Main: budget/period; I/O: (2 &minus; U)&middot;U) against the bound "
                + "n(2<sup>1/n</sup> &minus; 1) for n Main VCPUs; and how busy the PCPU actually was.</p>\n");
        out.write("<div class=\"adm\">\n");
        for (Map<String, Object> c : JsonTree.objects(metrics, "cores")) {
            double u = JsonTree.dbl(c, "utilisation", 0);
            double bound = JsonTree.dbl(c, "bound", 1);
            double busy = JsonTree.num(c, "busyCycles", 0) / (double) sim;
            boolean ok = JsonTree.bool(c, "admitted", true);
            out.write("<div class=\"adm-row\"><span class=\"adm-label\">PCPU " + JsonTree.num(c, "pcpu", -1) + "</span>"
                    + "<div class=\"adm-bar\" title=\"utilisation " + f4(u) + ", bound " + f4(bound) + "\">"
                    + "<span class=\"adm-u" + (ok ? "" : " over") + "\" style=\"width:" + pctOf(u) + "%\"></span>"
                    + "<span class=\"adm-bound\" style=\"left:" + pctOf(bound) + "%\"></span></div>"
                    + "<span class=\"adm-text\">U " + f4(u) + " / bound " + f4(bound) + (ok ? "" : " <b>OVER</b>")
                    + " &middot; busy " + String.format(Locale.ROOT, "%.1f%%", 100 * busy) + " &middot; "
                    + JsonTree.num(c, "mainVcpus", 0) + " Main VCPUs</span></div>\n");
        }
        out.write("</div>\n<table><thead><tr><th>PCPU</th><th>core</th><th>HW thread</th><th class=\"r\">Main VCPUs</th>"
                + "<th class=\"r\">utilisation</th><th class=\"r\">bound</th><th>admitted</th><th class=\"r\">busy</th>"
                + "<th class=\"r\">passes</th><th class=\"r\">switches</th></tr></thead><tbody>\n");
        for (Map<String, Object> c : JsonTree.objects(metrics, "cores")) {
            boolean ok = JsonTree.bool(c, "admitted", true);
            out.write("<tr" + (ok ? "" : " class=\"bad\"") + "><td>" + JsonTree.num(c, "pcpu", -1) + "</td><td>"
                    + JsonTree.num(c, "core", -1) + "</td><td>" + JsonTree.num(c, "hardwareThread", 0) + "</td><td class=\"r\">"
                    + JsonTree.num(c, "mainVcpus", 0) + "</td><td class=\"r\">" + f4(JsonTree.dbl(c, "utilisation", 0))
                    + "</td><td class=\"r\">" + f4(JsonTree.dbl(c, "bound", 0)) + "</td><td>" + (ok ? "yes" : "<b>no</b>")
                    + "</td><td class=\"r\">" + String.format(Locale.ROOT, "%.1f%%", 100.0 * JsonTree.num(c, "busyCycles", 0) / sim)
                    + "</td><td class=\"r\">" + fmt(JsonTree.num(c, "schedulingPasses", 0)) + "</td><td class=\"r\">"
                    + fmt(JsonTree.num(c, "contextSwitches", 0)) + "</td></tr>\n");
        }
        out.write("</tbody></table></section>\n");
    }

    private static String pctOf(double fraction) {
        return String.format(Locale.ROOT, "%.2f", Math.max(0, Math.min(100, 100 * fraction)));
    }

    private void vcpus(Writer out) throws IOException {
        long sim = Math.max(1, JsonTree.num(m, "simulatedCycles", 1));
        out.write("<section id=\"vcpus\"><h2>VCPUs</h2>\n<table><thead><tr><th>sandbox</th><th>VCPU</th><th>kind</th>"
                + "<th>PCPU</th><th class=\"r\">budget</th><th class=\"r\">period</th><th class=\"r\">share</th>"
                + "<th class=\"r\">used</th><th class=\"r\">max in a period</th></tr></thead><tbody>\n");
        for (Map<String, Object> v : JsonTree.objects(metrics, "vcpus")) {
            boolean io = "io".equals(JsonTree.str(v, "kind", "main"));
            out.write("<tr><td>" + esc(JsonTree.str(v, "sandbox", "")) + "</td><td>" + esc(JsonTree.str(v, "name", "?"))
                    + "</td><td>" + (io ? "I/O" : "Main") + "</td><td>" + JsonTree.num(v, "core", -1) + "</td><td class=\"r\">"
                    + (io ? "-" : esc(Summary.time(JsonTree.num(v, "budget", 0), hz))) + "</td><td class=\"r\">"
                    + esc(Summary.time(JsonTree.num(v, "period", 0), hz)) + "</td><td class=\"r\">"
                    + String.format(Locale.ROOT, "%.1f%%", 100 * JsonTree.dbl(v, "utilisation", 0)) + "</td><td class=\"r\">"
                    + String.format(Locale.ROOT, "%.1f%%", 100.0 * JsonTree.num(v, "consumed", 0) / sim) + "</td><td class=\"r\">"
                    + esc(Summary.time(JsonTree.num(v, "maxWindowUsage", 0), hz)) + "</td></tr>\n");
        }
        out.write("</tbody></table></section>\n");
    }

    // ---- the data block ----

    /** Escapes what could end the script element or confuse an HTML parser: {@code < > &} and U+2028/9. */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] table;

        HtmlSafeEscapes() {
            table = CharacterEscapes.standardAsciiEscapesForJSON();
            table['<'] = CharacterEscapes.ESCAPE_STANDARD;
            table['>'] = CharacterEscapes.ESCAPE_STANDARD;
            table['&'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    private void data(Writer out) throws IOException {
        JsonFactory f = new JsonFactory();
        JsonGenerator g = f.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
        g.setCharacterEscapes(new HtmlSafeEscapes());
        g.writeStartObject();
        g.writeNumberField("format", 1);
        g.writeNumberField("hz", hz);
        g.writeNumberField("simulated", JsonTree.num(m, "simulatedCycles", 0));
        g.writeFieldName("metrics");
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.remove("wallSeconds"); // the only non-deterministic field: the report stays byte-identical
        JsonTree.write(g, copy);
        g.writeFieldName("schedule");
        if (schedule == null) {
            g.writeNull();
        } else {
            schedule.write(g);
        }
        g.writeEndObject();
        g.flush();
    }

    // ---- formatting ----

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String fmt(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** The number of bins, named here for the text (metrics.json gives each thread's). */
    private static final class ResponseHistogramBins {
        static final int BINS = dev.questj.system.ResponseHistogram.BINS;
    }
}
