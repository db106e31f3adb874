package dev.questj.system.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.questj.kernel.ScheduleSink;
import dev.questj.system.Recording;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --record and --record-window: what reaches schedule.jsonl and trace.json. */
class RecordingTest {
    private static final long MS = Runs.MS;

    @Test
    void eventsOnlyRecordsNoSlices(@TempDir Path dir) throws Exception {
        Runs.run("io-vcpus.yaml", 100 * MS, dir, new Recording(Recording.What.EVENTS, 0, Long.MAX_VALUE));

        List<String> lines = Files.readAllLines(dir.resolve("schedule.jsonl"));
        assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("{\"event\":"));
        assertThat(lines).anyMatch(l -> l.startsWith("{\"event\":\"release\"")).anyMatch(l -> l.startsWith("{\"event\":\"irq\""))
                .anyMatch(l -> l.startsWith("{\"event\":\"io\""));
        TraceValidator.Stats s = TraceValidator.validate(JsonTree.read(dir.resolve("trace.json")));
        assertThat(s.events()).filteredOn(e -> e.get("ph").equals("X")).allMatch(e -> e.get("cat").equals("io"));
        assertThat(s.count("C")).isZero();
        assertThat(s.flows()).isZero();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("No slices were recorded (--record events)");
    }

    @Test
    void aWindowRecordsTheSlicesOverlappingItAndTheEventsInsideIt(@TempDir Path dir) throws Exception {
        long from = 100 * MS;
        long to = 150 * MS;
        Runs.run("smp-basic.yaml", 300 * MS, dir, Recording.ALL.withWindow(from, to));

        List<String> lines = Files.readAllLines(dir.resolve("schedule.jsonl"));
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            Map<String, Object> o = parse(dir, line);
            if (o.containsKey("event")) {
                assertThat((Long) o.get("time")).as(line).isBetween(from, to - 1);
            } else {
                assertThat((Long) o.get("start")).as(line).isLessThan(to);
                assertThat((Long) o.get("end")).as(line).isGreaterThan(from);
            }
        }
        TraceValidator.Stats s = TraceValidator.validate(JsonTree.read(dir.resolve("trace.json")));
        assertThat(s.count("X")).isPositive();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("The chart holds every one of them");
    }

    @Test
    void recordWordsAndWindowsAreParsed() {
        assertThat(Recording.parseWhat("slices")).isEqualTo(Recording.What.SLICES);
        assertThat(Recording.parseWhat("slices,events")).isEqualTo(Recording.What.SLICES);
        assertThat(Recording.parseWhat("events")).isEqualTo(Recording.What.EVENTS);
        assertThat(Recording.parseWhat("none")).isEqualTo(Recording.What.NONE);
        assertThatThrownBy(() -> Recording.parseWhat("all")).hasMessageContaining("slices, events, slices,events or none");
        long hz = 1_000_000_000L;
        assertThat(Recording.parseWindow("1s..2s", hz)).containsExactly(hz, 2 * hz);
        assertThat(Recording.parseWindow("500ms..", hz)).containsExactly(hz / 2, Long.MAX_VALUE);
        assertThat(Recording.parseWindow("..2s", hz)).containsExactly(0, 2 * hz);
        assertThatThrownBy(() -> Recording.parseWindow("2s..1s", hz)).hasMessageContaining("the end must come after the start");
        assertThatThrownBy(() -> Recording.parseWindow("1s-2s", hz)).hasMessageContaining("FROM..TO");
        assertThatThrownBy(() -> Recording.parseWindow("1..2s", hz)).hasMessageContaining("--record-window");
    }

    /** A sink that forwards must pass on every kind of report, including those added later. */
    @Test
    void forwardingSinksOverrideEveryMethod() throws Exception {
        for (Class<?> c : List.of(TeeSink.class, RecordingFilter.class, ScheduleLog.class, TraceWriter.class)) {
            for (Method m : ScheduleSink.class.getMethods()) {
                if (Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                Method impl = c.getMethod(m.getName(), m.getParameterTypes());
                if (c == ScheduleLog.class && Arrays.asList("sliceStart").contains(m.getName())) {
                    continue; // schedule.jsonl has no line for a slice's start
                }
                assertThat(impl.getDeclaringClass()).as("%s overrides %s", c.getSimpleName(), m).isEqualTo(c);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Path dir, String line) throws Exception {
        Path f = dir.resolve("line.json");
        Files.writeString(f, line);
        return (Map<String, Object>) JsonTree.read(f);
    }
}
