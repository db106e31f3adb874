package dev.questj.system.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What report.html shows of schedule.jsonl, read in one streaming pass with bounded memory:
 *
 * <ul>
 *   <li>the tracks: one per PCPU and one per VCPU (those of metrics.json first, in its order);
 *   <li><b>detail</b>: every slice and event from the start of the recording up to a cut, at most
 *       {@link #DETAIL_SLICES} slices and {@link #DETAIL_EVENTS} frequent events (releases,
 *       interrupts, I/O requests) — the whole run when it is small enough;
 *   <li>rare events (misses, faults, VM exits, recoveries, ...) over the whole recording, up to
 *       {@link #RARE_EVENTS};
 *   <li>an <b>overview</b>, written only when the detail stops before the end: per track,
 *       {@link #BUCKETS} equal buckets over the recording with the busy fraction and the thread
 *       that ran the longest piece in each (the bucket width doubles as the recording grows).
 * </ul>
 *
 * <p>It also computes schedule.jsonl's SHA-256 on the way, to check it against metrics.json.
 */
final class ScheduleSummary {
    static final int DETAIL_SLICES = 150_000;
    static final int DETAIL_EVENTS = 150_000;
    static final int RARE_EVENTS = 20_000;
    static final int BUCKETS = 2048;
    /** Lines past the caps still taken because they start before the cut (at most one open slice per PCPU). */
    private static final int SLACK = 4096;
    private static final Set<String> FREQUENT = Set.of("release", "irq", "io");
    private static final int MAX_STRINGS = 50_000;

    /** A row of the chart. */
    record Track(String kind, String sandbox, String name, int pcpu, String vcpuKind, long budget, long period) {}

    final List<Track> tracks = new ArrayList<>();
    private final Map<Integer, Integer> coreTracks = new HashMap<>();
    private final Map<String, Integer> vcpuTracks = new HashMap<>();
    private final List<int[]> who = new ArrayList<>();
    private final Map<String, Integer> whoIndex = new HashMap<>();
    final List<String> strings = new ArrayList<>();
    private final Map<String, Integer> stringIndex = new HashMap<>();
    private final List<String> kinds = new ArrayList<>();
    private final Map<String, Integer> kindIndex = new HashMap<>();
    /** Every event line by kind, kept or not. */
    final Map<String, Long> kindCounts = new TreeMap<>();

    long slices;
    long eventLines;
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    String digest;

    // detail slices, in arrival order
    private int n;
    private long[] start = new long[1024];
    private long[] end = new long[1024];
    private long[] budget = new long[1024];
    private int[] core = new int[1024];
    private int[] whoOf = new int[1024];
    private long sliceCut = Long.MAX_VALUE;
    private long slicesDropped;

    // events: kind, time, core track, VCPU track, thread string, detail string, extra (deadline), rare flag
    private int ne;
    private long[] ev = new long[8 * 1024];
    private int frequentKept;
    private int rareKept;
    private long eventCut = Long.MAX_VALUE;
    long eventsDropped;

    // overview
    private long ovOrigin = -1;
    private long ovWidth = 1;
    private final List<long[]> ovBusy = new ArrayList<>();
    private final List<int[]> ovDom = new ArrayList<>();
    private final List<long[]> ovDomLen = new ArrayList<>();

    /** The caps (smaller in tests). */
    private final int detailSlices;
    private final int detailEvents;

    private ScheduleSummary(int detailSlices, int detailEvents) {
        this.detailSlices = detailSlices;
        this.detailEvents = detailEvents;
    }

    /** Reads {@code file}; the tracks of {@code metrics} (metrics.json as a tree) come first. */
    static ScheduleSummary read(Path file, Object metrics) throws IOException {
        return read(file, metrics, DETAIL_SLICES, DETAIL_EVENTS);
    }

    static ScheduleSummary read(Path file, Object metrics, int detailSlices, int detailEvents) throws IOException {
        ScheduleSummary s = new ScheduleSummary(detailSlices, detailEvents);
        s.tracksFrom(metrics);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        JsonFactory f = new JsonFactory();
        f.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), sha);
                JsonParser p = f.createParser(in)) {
            s.parse(p);
            // the parser may stop before the last bytes (trailing whitespace): read them for the digest
            p.close();
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        s.digest = HexFormat.of().formatHex(sha.digest());
        return s;
    }

    private void tracksFrom(Object metrics) {
        Map<Integer, String> sandboxOfCore = new HashMap<>();
        for (Map<String, Object> sb : JsonTree.objects(metrics, "sandboxes")) {
            if (sb.get("cores") instanceof List<?> cs) {
                for (Object c : cs) {
                    if (c instanceof Number num) {
                        sandboxOfCore.put(num.intValue(), JsonTree.str(sb, "name", ""));
                    }
                }
            }
        }
        for (Map<String, Object> c : JsonTree.objects(metrics, "cores")) {
            int pcpu = (int) JsonTree.num(c, "pcpu", -1);
            coreTrack(sandboxOfCore.getOrDefault(pcpu, ""), pcpu);
        }
        for (Map<String, Object> v : JsonTree.objects(metrics, "vcpus")) {
            String sandbox = JsonTree.str(v, "sandbox", "");
            String name = JsonTree.str(v, "name", "?");
            String key = sandbox + '\u0000' + name;
            if (!vcpuTracks.containsKey(key)) {
                vcpuTracks.put(key, tracks.size());
                tracks.add(new Track("vcpu", sandbox, name, (int) JsonTree.num(v, "core", -1), JsonTree.str(v, "kind", "main"),
                        JsonTree.num(v, "budget", 0), JsonTree.num(v, "period", 0)));
            }
        }
    }

    private int coreTrack(String sandbox, int pcpu) {
        Integer i = coreTracks.get(pcpu);
        if (i == null) {
            i = tracks.size();
            coreTracks.put(pcpu, i);
            tracks.add(new Track("core", sandbox, "PCPU " + pcpu, pcpu, null, 0, 0));
        }
        return i;
    }

    private int vcpuTrack(String sandbox, String name, int pcpu) {
        String key = sandbox + '\u0000' + name;
        Integer i = vcpuTracks.get(key);
        if (i == null) {
            i = tracks.size();
            vcpuTracks.put(key, i);
            tracks.add(new Track("vcpu", sandbox, name, pcpu, "main", 0, 0));
        }
        return i;
    }

    private int string(String s) {
        Integer i = stringIndex.get(s);
        if (i == null) {
            if (strings.size() >= MAX_STRINGS) {
                return -1;
            }
            i = strings.size();
            strings.add(s);
            stringIndex.put(s, i);
        }
        return i;
    }

    private int who(int vcpuTrack, String thread, String served) {
        String key = vcpuTrack + "\u0000" + thread + "\u0000" + (served == null ? "" : served);
        Integer i = whoIndex.get(key);
        if (i == null) {
            i = who.size();
            whoIndex.put(key, i);
            who.add(new int[] {vcpuTrack, string(thread), served == null ? -1 : string(served)});
        }
        return i;
    }

    private int kind(String k) {
        Integer i = kindIndex.get(k);
        if (i == null) {
            i = kinds.size();
            kindIndex.put(k, i);
            kinds.add(k);
        }
        return i;
    }

    // ---- reading ----

    private void parse(JsonParser p) throws IOException {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw new IOException("schedule.jsonl: expected one JSON object per line at " + p.currentLocation());
            }
            int pcpu = -1;
            String sandbox = "";
            String vcpu = null;
            String thread = null;
            String served = null;
            String event = null;
            String detail = null;
            long s = -1;
            long e = -1;
            long b = -1;
            long time = -1;
            long deadline = -1;
            for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "core" -> pcpu = p.getIntValue();
                    case "sandbox" -> sandbox = p.getText();
                    case "vcpu" -> vcpu = p.getText();
                    case "thread" -> thread = p.getText();
                    case "served" -> served = p.getText();
                    case "start" -> s = p.getLongValue();
                    case "end" -> e = p.getLongValue();
                    case "budget" -> b = p.getLongValue();
                    case "event" -> event = p.getText();
                    case "time" -> time = p.getLongValue();
                    case "detail" -> detail = v == JsonToken.VALUE_NULL ? null : p.getText();
                    case "deadline" -> deadline = v == JsonToken.VALUE_NULL ? -1 : p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            if (event != null) {
                event(event, time, pcpu, sandbox, vcpu, thread, detail, deadline);
            } else if (s >= 0 && e >= s && vcpu != null && thread != null) {
                slice(pcpu, sandbox, vcpu, thread, served, s, e, b);
            }
        }
    }

    private void slice(int pcpu, String sandbox, String vcpu, String thread, String served, long s, long e, long b) {
        slices++;
        from = Math.min(from, s);
        to = Math.max(to, e);
        int ct = coreTrack(sandbox, pcpu);
        int vt = vcpuTrack(sandbox, vcpu, pcpu);
        int w = who(vt, thread, served);
        overview(ct, w, s, e);
        overview(vt, w, s, e);
        if (s >= sliceCut) {
            slicesDropped++;
            return;
        }
        if (n >= detailSlices && sliceCut == Long.MAX_VALUE) {
            sliceCut = s;
            slicesDropped++;
            return;
        }
        if (n >= detailSlices + SLACK) {
            slicesDropped++;
            return;
        }
        if (n == start.length) {
            int cap = Math.min(detailSlices + SLACK, n * 2);
            start = Arrays.copyOf(start, cap);
            end = Arrays.copyOf(end, cap);
            budget = Arrays.copyOf(budget, cap);
            core = Arrays.copyOf(core, cap);
            whoOf = Arrays.copyOf(whoOf, cap);
        }
        start[n] = s;
        end[n] = e;
        budget[n] = b;
        core[n] = ct;
        whoOf[n] = w;
        n++;
    }

    private void event(String kind, long time, int pcpu, String sandbox, String vcpu, String thread, String detail,
            long deadline) {
        eventLines++;
        kindCounts.merge(kind, 1L, Long::sum);
        if (time >= 0) {
            from = Math.min(from, time);
            to = Math.max(to, time);
        }
        boolean frequent = FREQUENT.contains(kind);
        if (frequent) {
            if (time >= eventCut || time >= sliceCut) {
                eventsDropped++;
                return;
            }
            if (frequentKept >= detailEvents) {
                if (eventCut == Long.MAX_VALUE) {
                    eventCut = time;
                    eventsDropped++;
                    return;
                }
                if (frequentKept >= detailEvents + SLACK) {
                    eventsDropped++;
                    return;
                }
            }
            frequentKept++;
        } else {
            if (rareKept >= RARE_EVENTS) {
                eventsDropped++;
                return;
            }
            rareKept++;
        }
        int ct = pcpu >= 0 ? coreTrack(sandbox, pcpu) : -1;
        int vt = vcpu != null ? vcpuTrack(sandbox, vcpu, pcpu) : -1;
        if (ne * 8 + 8 > ev.length) {
            ev = Arrays.copyOf(ev, ev.length * 2);
        }
        int i = ne * 8;
        ev[i] = kind(kind);
        ev[i + 1] = time;
        ev[i + 2] = ct;
        ev[i + 3] = vt;
        ev[i + 4] = thread == null ? -1 : string(thread);
        ev[i + 5] = detail == null || frequent && !kind.equals("io") ? -1 : string(detail);
        ev[i + 6] = deadline;
        ev[i + 7] = frequent ? 0 : 1;
        ne++;
    }

    // ---- overview ----

    private void overview(int track, int w, long s, long e) {
        if (ovOrigin < 0) {
            ovOrigin = s;
        }
        s = Math.max(s, ovOrigin);
        if (e <= s) {
            return;
        }
        while (e - ovOrigin > BUCKETS * ovWidth) {
            grow();
        }
        while (ovBusy.size() <= track) {
            ovBusy.add(null);
            ovDom.add(null);
            ovDomLen.add(null);
        }
        long[] busy = ovBusy.get(track);
        if (busy == null) {
            busy = new long[BUCKETS];
            ovBusy.set(track, busy);
            int[] dom = new int[BUCKETS];
            Arrays.fill(dom, -1);
            ovDom.set(track, dom);
            ovDomLen.set(track, new long[BUCKETS]);
        }
        int[] dom = ovDom.get(track);
        long[] domLen = ovDomLen.get(track);
        for (int k = (int) ((s - ovOrigin) / ovWidth); k < BUCKETS; k++) {
            long b0 = ovOrigin + k * ovWidth;
            if (b0 >= e) {
                break;
            }
            long piece = Math.min(e, b0 + ovWidth) - Math.max(s, b0);
            busy[k] += piece;
            if (piece > domLen[k]) {
                domLen[k] = piece;
                dom[k] = w;
            }
        }
    }

    /** Doubles the bucket width, merging pairs. */
    private void grow() {
        for (int t = 0; t < ovBusy.size(); t++) {
            long[] busy = ovBusy.get(t);
            if (busy == null) {
                continue;
            }
            int[] dom = ovDom.get(t);
            long[] domLen = ovDomLen.get(t);
            for (int k = 0; k < BUCKETS / 2; k++) {
                int a = 2 * k;
                int b = a + 1;
                busy[k] = busy[a] + busy[b];
                boolean first = domLen[a] >= domLen[b];
                dom[k] = first ? dom[a] : dom[b];
                domLen[k] = first ? domLen[a] : domLen[b];
            }
            Arrays.fill(busy, BUCKETS / 2, BUCKETS, 0);
            Arrays.fill(dom, BUCKETS / 2, BUCKETS, -1);
            Arrays.fill(domLen, BUCKETS / 2, BUCKETS, 0);
        }
        ovWidth *= 2;
    }

    // ---- results ----

    /** Where the detail stops: Long.MAX_VALUE when it holds everything recorded. */
    long detailEnd() {
        return Math.min(sliceCut, eventCut);
    }

    boolean truncated() {
        return detailEnd() != Long.MAX_VALUE;
    }

    /** Slices kept in the detail (after the cut). */
    long detailSlices() {
        long cut = detailEnd();
        long k = 0;
        for (int i = 0; i < n; i++) {
            if (start[i] < cut) {
                k++;
            }
        }
        return k;
    }

    /** Writes the summary as one JSON object (the report's {@code schedule}). */
    void write(JsonGenerator g) throws IOException {
        long cut = detailEnd();
        g.writeStartObject();
        g.writeNumberField("slices", slices);
        g.writeNumberField("eventLines", eventLines);
        if (from <= to) {
            g.writeArrayFieldStart("extent");
            g.writeNumber(from);
            g.writeNumber(to);
            g.writeEndArray();
        } else {
            g.writeNullField("extent");
        }
        g.writeArrayFieldStart("tracks");
        for (Track t : tracks) {
            g.writeStartObject();
            g.writeStringField("kind", t.kind());
            g.writeStringField("sandbox", t.sandbox());
            g.writeStringField("name", t.name());
            g.writeNumberField("pcpu", t.pcpu());
            if (t.kind().equals("vcpu")) {
                g.writeStringField("vcpuKind", t.vcpuKind());
                g.writeNumberField("budget", t.budget());
                g.writeNumberField("period", t.period());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("who");
        for (int[] w : who) {
            g.writeArray(w, 0, w.length);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("strings");
        for (String s : strings) {
            g.writeString(s);
        }
        g.writeEndArray();
        writeDetail(g, cut);
        writeEvents(g, cut);
        g.writeObjectFieldStart("kindCounts");
        for (Map.Entry<String, Long> e : kindCounts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("eventsDropped", eventsDropped + droppedByCut(cut));
        writeOverview(g, cut);
        g.writeEndObject();
    }

    private long droppedByCut(long cut) {
        long k = 0;
        for (int i = 0; i < ne; i++) {
            if (ev[i * 8 + 7] == 0 && ev[i * 8 + 1] >= cut) {
                k++;
            }
        }
        return k;
    }

    private void writeDetail(JsonGenerator g, long cut) throws IOException {
        g.writeObjectFieldStart("detail");
        if (cut == Long.MAX_VALUE) {
            g.writeNullField("end");
        } else {
            g.writeNumberField("end", cut);
        }
        g.writeNumberField("count", detailSlices());
        // per track (PCPU tracks only; VCPU tracks are rebuilt from them): [gap, length, who, budget]*,
        // gap measured from the previous slice's end on that PCPU (from 0 for the first)
        g.writeArrayFieldStart("cores");
        for (int t = 0; t < tracks.size(); t++) {
            if (!tracks.get(t).kind().equals("core")) {
                g.writeNull();
                continue;
            }
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (core[i] == t && start[i] < cut) {
                    idx.add(i);
                }
            }
            idx.sort((a, b) -> Long.compare(start[a], start[b]));
            g.writeStartArray();
            long prevEnd = 0;
            for (int i : idx) {
                g.writeNumber(start[i] - prevEnd);
                g.writeNumber(end[i] - start[i]);
                g.writeNumber(whoOf[i]);
                g.writeNumber(budget[i]);
                prevEnd = end[i];
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeEvents(JsonGenerator g, long cut) throws IOException {
        g.writeArrayFieldStart("kinds");
        for (String k : kinds) {
            g.writeString(k);
        }
        g.writeEndArray();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < ne; i++) {
            if (ev[i * 8 + 7] == 1 || ev[i * 8 + 1] < cut) {
                idx.add(i);
            }
        }
        idx.sort((a, b) -> Long.compare(ev[a * 8 + 1], ev[b * 8 + 1]));
        // [kind, time, core track, VCPU track, thread, detail, deadline]*, -1 where absent
        g.writeArrayFieldStart("events");
        for (int i : idx) {
            for (int k = 0; k < 7; k++) {
                g.writeNumber(ev[i * 8 + k]);
            }
        }
        g.writeEndArray();
    }

    private void writeOverview(JsonGenerator g, long cut) throws IOException {
        if (cut == Long.MAX_VALUE || ovOrigin < 0) {
            g.writeNullField("overview");
            return;
        }
        g.writeObjectFieldStart("overview");
        g.writeNumberField("from", ovOrigin);
        g.writeNumberField("width", ovWidth);
        int used = (int) Math.min(BUCKETS, Math.ceilDiv(Math.max(1, to - ovOrigin), ovWidth));
        g.writeNumberField("buckets", used);
        // per track: busy permille of each bucket, then the thread (who) that ran its longest piece
        g.writeArrayFieldStart("busy");
        for (int t = 0; t < tracks.size(); t++) {
            long[] busy = t < ovBusy.size() ? ovBusy.get(t) : null;
            g.writeStartArray();
            for (int k = 0; busy != null && k < used; k++) {
                g.writeNumber(Math.round(busy[k] * 1000.0 / ovWidth));
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("dom");
        for (int t = 0; t < tracks.size(); t++) {
            int[] dom = t < ovDom.size() ? ovDom.get(t) : null;
            g.writeStartArray();
            for (int k = 0; dom != null && k < used; k++) {
                g.writeNumber(dom[k]);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
