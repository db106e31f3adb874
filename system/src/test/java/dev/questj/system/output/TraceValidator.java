package dev.questj.system.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a trace.json tree against the Chrome trace event format: the fields every event needs
 * (name, ph, ts, pid, tid), valid phases, per-phase fields, complete events in time order per
 * track, and flows paired (one start, one end per id, same name and category, each bound to a
 * slice on its track).
 */
final class TraceValidator {
    /** Every phase of the format (Chrome's "Trace Event Format" document). */
    static final Set<String> PHASES = Set.of("B", "E", "X", "i", "I", "C", "b", "n", "e", "s", "t", "f", "P", "O", "N",
            "D", "M", "V", "v", "R", "c", "(", ")");
    static final Set<String> METADATA = Set.of("process_name", "process_labels", "process_sort_index", "thread_name",
            "thread_sort_index");

    record Stats(Map<String, Integer> byPhase, Map<String, String> threadNames, int flows, List<Map<String, Object>> events) {
        int count(String ph) {
            return byPhase.getOrDefault(ph, 0);
        }
    }

    private TraceValidator() {}

    @SuppressWarnings("unchecked")
    static Stats validate(Object tree) {
        assertThat(tree).as("trace.json is a JSON object").isInstanceOf(Map.class);
        Map<String, Object> top = (Map<String, Object>) tree;
        assertThat(top.get("traceEvents")).as("traceEvents").isInstanceOf(List.class);
        assertThat(top.get("displayTimeUnit")).isIn("ns", "ms");
        List<Map<String, Object>> events = new ArrayList<>();
        for (Object o : (List<Object>) top.get("traceEvents")) {
            assertThat(o).as("each trace event is an object").isInstanceOf(Map.class);
            events.add((Map<String, Object>) o);
        }
        Map<String, Integer> byPhase = new HashMap<>();
        Map<String, Long> lastX = new HashMap<>();
        Map<String, List<long[]>> slicesByTrack = new HashMap<>();
        Map<String, String> threadNames = new HashMap<>();
        Map<Long, List<Map<String, Object>>> flows = new HashMap<>();
        for (Map<String, Object> e : events) {
            String where = "event " + e;
            assertThat(e.get("name")).as("name of %s", where).isInstanceOf(String.class);
            assertThat(e.get("ph")).as("ph of %s", where).isInstanceOf(String.class);
            assertThat(e.get("ts")).as("ts of %s", where).isInstanceOf(Number.class);
            assertThat(e.get("pid")).as("pid of %s", where).isInstanceOf(Long.class);
            assertThat(e.get("tid")).as("tid of %s", where).isInstanceOf(Long.class);
            String ph = (String) e.get("ph");
            assertThat(PHASES).as("ph of %s", where).contains(ph);
            byPhase.merge(ph, 1, Integer::sum);
            long ts = nanos(e.get("ts"));
            assertThat(ts).as("ts of %s", where).isNotNegative();
            String track = e.get("pid") + "/" + e.get("tid");
            switch (ph) {
                case "X" -> {
                    assertThat(e.get("dur")).as("dur of %s", where).isInstanceOf(Number.class);
                    long dur = nanos(e.get("dur"));
                    assertThat(dur).as("dur of %s", where).isNotNegative();
                    Long last = lastX.put(track, ts);
                    if (last != null) {
                        assertThat(ts).as("complete events in time order on track %s: %s", track, where).isGreaterThanOrEqualTo(last);
                    }
                    slicesByTrack.computeIfAbsent(track, k -> new ArrayList<>()).add(new long[] {ts, ts + dur});
                }
                case "i", "I" -> assertThat(e.getOrDefault("s", "t")).as("scope of %s", where).isIn("t", "p", "g");
                case "C" -> {
                    assertThat(e.get("args")).as("args of %s", where).isInstanceOf(Map.class);
                    assertThat(((Map<String, Object>) e.get("args")).values()).as("counter values of %s", where)
                            .isNotEmpty().allMatch(v -> v instanceof Number);
                }
                case "M" -> {
                    assertThat(METADATA).as("metadata name of %s", where).contains((String) e.get("name"));
                    if (e.get("name").equals("thread_name")) {
                        threadNames.put(track, (String) ((Map<String, Object>) e.get("args")).get("name"));
                    }
                }
                case "s", "t", "f" -> {
                    assertThat(e.get("id")).as("flow id of %s", where).isInstanceOf(Long.class);
                    flows.computeIfAbsent((Long) e.get("id"), k -> new ArrayList<>()).add(e);
                }
                default -> { }
            }
        }
        for (Map.Entry<Long, List<Map<String, Object>>> f : flows.entrySet()) {
            List<Map<String, Object>> pair = f.getValue();
            assertThat(pair).as("flow %d: one start and one end", f.getKey()).hasSize(2);
            Map<String, Object> s = pair.stream().filter(e -> e.get("ph").equals("s")).findFirst().orElseThrow();
            Map<String, Object> t = pair.stream().filter(e -> e.get("ph").equals("f")).findFirst().orElseThrow();
            assertThat(t.get("name")).as("flow %d: names", f.getKey()).isEqualTo(s.get("name"));
            assertThat(t.get("cat")).as("flow %d: categories", f.getKey()).isEqualTo(s.get("cat"));
            assertThat(t.get("bp")).as("flow %d ends in the enclosing slice", f.getKey()).isEqualTo("e");
            assertThat(nanos(t.get("ts"))).as("flow %d goes forward in time", f.getKey()).isGreaterThanOrEqualTo(nanos(s.get("ts")));
            for (Map<String, Object> end : pair) {
                String track = end.get("pid") + "/" + end.get("tid");
                assertThat(enclosed(slicesByTrack.get(track), nanos(end.get("ts"))))
                        .as("flow %d's %s at %s lies in a slice of track %s", f.getKey(), end.get("ph"), end.get("ts"), track)
                        .isTrue();
            }
        }
        return new Stats(byPhase, threadNames, flows.size(), events);
    }

    private static boolean enclosed(List<long[]> slices, long ts) {
        if (slices == null) {
            return false;
        }
        int lo = 0;
        int hi = slices.size();
        while (lo < hi) { // last slice starting at or before ts
            int mid = (lo + hi) >>> 1;
            if (slices.get(mid)[0] <= ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo - 1; i >= 0 && i >= lo - 4; i--) {
            long[] s = slices.get(i);
            if (s[0] <= ts && (ts < s[1] || s[0] == s[1] && ts == s[0])) {
                return true;
            }
        }
        return false;
    }

    /** A ts or dur in microseconds (three decimals) as integer nanoseconds. */
    static long nanos(Object micros) {
        return Math.round(((Number) micros).doubleValue() * 1000);
    }
}
