package dev.questj.system.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.RunResult;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trace.json: the Chrome trace event format, one track per PCPU and VCPU, exact timestamps, paired flows. */
class TraceWriterTest {
    @Test
    void smpBasicTraceIsValidWithATrackPerPcpuAndVcpu(@TempDir Path dir) throws Exception {
        RunResult r = Runs.run("smp-basic.yaml", 300 * Runs.MS, dir);

        TraceValidator.Stats s = TraceValidator.validate(JsonTree.read(dir.resolve("trace.json")));

        assertThat(s.threadNames().values()).contains("PCPU 0", "PCPU 1", "PCPU 2", "PCPU 3", "VCPU ctl-fast", "VCPU hog", "VCPU ui");
        assertThat(s.threadNames().values().stream().filter(n -> n.startsWith("PCPU "))).hasSize(4);
        assertThat(s.threadNames().values().stream().filter(n -> n.startsWith("VCPU "))).hasSize(r.vcpus().size());
        long sliceLines = Files.readAllLines(dir.resolve("schedule.jsonl")).stream().filter(l -> l.startsWith("{\"core\"")).count();
        assertThat(s.count("X")).as("each slice on its PCPU's and its VCPU's track").isEqualTo(2 * (int) sliceLines);
        assertThat(s.count("C")).as("budget counters").isPositive();
        assertThat(s.events()).filteredOn(e -> e.get("name").equals("release")).hasSize((int) r.threads().stream()
                .mapToLong(RunResult.ThreadResult::jobs).sum());
    }

    @Test
    void slicesCarryExactTimesTheirVcpuAndTheBudgetLeft(@TempDir Path dir) throws Exception {
        Runs.run("smp-basic.yaml", 50 * Runs.MS, dir);
        Map<String, Object> first = firstSliceLine(dir);

        TraceValidator.Stats s = TraceValidator.validate(JsonTree.read(dir.resolve("trace.json")));
        Map<String, Object> x = s.events().stream()
                .filter(e -> e.get("ph").equals("X") && "cpu".equals(e.get("cat")) && e.get("name").equals(first.get("thread")))
                .findFirst().orElseThrow();

        // 1 GHz: a cycle is a nanosecond, ts is in microseconds
        assertThat(TraceValidator.nanos(x.get("ts"))).isEqualTo(first.get("start"));
        assertThat(TraceValidator.nanos(x.get("dur"))).isEqualTo((Long) first.get("end") - (Long) first.get("start"));
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) x.get("args");
        assertThat(args).containsEntry("vcpu", first.get("vcpu")).containsEntry("budgetLeft", first.get("budget"));
    }

    @Test
    void ioRequestsFlowToTheirBottomHalfAndBack(@TempDir Path dir) throws Exception {
        Runs.run("io-vcpus.yaml", 200 * Runs.MS, dir);

        TraceValidator.Stats s = TraceValidator.validate(JsonTree.read(dir.resolve("trace.json")));

        assertThat(s.flows()).isPositive();
        assertThat(s.threadNames().values()).contains("I/O requests", "VCPU nic-io (I/O)", "VCPU disk-io (I/O)");
        // a flow leaves the I/O requests track for each request a bottom half reached
        long fromRequests = s.events().stream().filter(e -> e.get("ph").equals("s"))
                .filter(e -> ((Long) e.get("tid")) % TraceWriter.PID_STRIDE == TraceWriter.IO_TID).count();
        assertThat(fromRequests).isPositive();
        assertThat(s.events()).anyMatch(e -> e.get("name").equals("irq"));
        assertThat(s.events()).anyMatch(e -> e.get("ph").equals("X") && ((String) e.get("name")).startsWith("io "));
    }

    @Test
    void questVHasAProcessPerSandboxWithItsPcpusAndVcpus(@TempDir Path dir) throws Exception {
        Runs.run("quest-v.yaml", 300 * Runs.MS, dir);

        TraceValidator.Stats s = TraceValidator.validate(JsonTree.read(dir.resolve("trace.json")));

        Map<Long, String> processes = new HashMap<>();
        s.events().stream().filter(e -> e.get("name").equals("process_name")).forEach(e -> processes.put((Long) e.get("pid"),
                (String) ((Map<?, ?>) e.get("args")).get("name")));
        assertThat(processes.values()).containsExactlyInAnyOrder("sandbox control", "sandbox sensing", "sandbox comms",
                "sandbox besteffort");
        // each PCPU's track lies in the process of the sandbox that owns it
        Map<String, Long> pcpuProcess = new HashMap<>();
        s.events().stream().filter(e -> e.get("name").equals("thread_name"))
                .filter(e -> ((String) ((Map<?, ?>) e.get("args")).get("name")).startsWith("PCPU "))
                .forEach(e -> pcpuProcess.put((String) ((Map<?, ?>) e.get("args")).get("name"), (Long) e.get("pid")));
        assertThat(pcpuProcess).hasSize(4);
        assertThat(processes.get(pcpuProcess.get("PCPU 0"))).isEqualTo("sandbox control");
        assertThat(s.count("X")).isPositive();
        assertThat(s.events()).anyMatch(e -> e.get("name").equals("boot"));
    }

    /** A fault's lifecycle lies on a Faults track of the failed sandbox's process, in order. */
    @Test
    void faultEventsLieOnTheSandboxsFaultsTrack(@TempDir Path dir) throws Exception {
        Runs.run("fault-recovery.yaml", 1010 * Runs.MS, dir);

        TraceValidator.Stats s = TraceValidator.validate(JsonTree.read(dir.resolve("trace.json")));

        Map<Long, String> processes = new HashMap<>();
        s.events().stream().filter(e -> e.get("name").equals("process_name")).forEach(e -> processes.put((Long) e.get("pid"),
                (String) ((Map<?, ?>) e.get("args")).get("name")));
        List<Map<String, Object>> faultTracks = s.events().stream().filter(e -> e.get("name").equals("thread_name"))
                .filter(e -> "Faults".equals(((Map<?, ?>) e.get("args")).get("name"))).toList();
        assertThat(faultTracks).hasSize(1);
        assertThat(processes.get((Long) faultTracks.getFirst().get("pid"))).isEqualTo("sandbox comms");
        Object tid = faultTracks.getFirst().get("tid");
        List<Map<String, Object>> onIt = s.events().stream().filter(e -> "i".equals(e.get("ph")) && tid.equals(e.get("tid")))
                .toList();
        assertThat(onIt).extracting(e -> e.get("name")).containsExactly("fault", "halt", "detected", "restart", "recovered");
        assertThat(onIt).allMatch(e -> "fault".equals(e.get("cat")));
        assertThat((String) ((Map<?, ?>) onIt.get(2).get("args")).get("detail")).isEqualTo("kernel-panic in comms by panic exit");
    }

    @Test
    void sameRunSameTraceBytes(@TempDir Path dir) throws Exception {
        Runs.run("io-vcpus.yaml", 100 * Runs.MS, dir.resolve("a"));
        Runs.run("io-vcpus.yaml", 100 * Runs.MS, dir.resolve("b"));

        assertThat(Files.readAllBytes(dir.resolve("b/trace.json"))).isEqualTo(Files.readAllBytes(dir.resolve("a/trace.json")));
    }

    @Test
    void nanosecondsAreExactForAnyFrequency() {
        for (long hz : List.of(1_000_000_000L, 2_400_000_000L, 3_333_333_333L, 12_000_000_000L, 1_000L, 7L)) {
            TraceWriter w = new TraceWriter(new ByteArrayOutputStream(), hz, "x", 1, 1, p -> "smp");
            for (long c : List.of(0L, 1L, 999L, hz - 1, hz, 3_600L * hz + 12_345, 86_400L * hz + hz / 3)) {
                long expected = BigInteger.valueOf(c).multiply(BigInteger.valueOf(1_000_000_000L))
                        .divide(BigInteger.valueOf(hz)).longValueExact();
                assertThat(w.ns(c)).as("%d cycles at %d Hz", c, hz).isEqualTo(expected);
            }
        }
    }

    @Test
    void anEmptyTraceIsStillAValidDocument() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TraceWriter(out, 1_000_000_000L, "e\"mpty", 3, 2, p -> "smp").close();
        Path f = Files.createTempFile("trace", ".json");
        try {
            Files.write(f, out.toByteArray());
            TraceValidator.Stats s = TraceValidator.validate(JsonTree.read(f));
            assertThat(s.threadNames().values()).containsExactlyInAnyOrder("PCPU 0", "PCPU 1");
        } finally {
            Files.delete(f);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstSliceLine(Path dir) throws Exception {
        String line = Files.readAllLines(dir.resolve("schedule.jsonl")).stream().filter(l -> l.startsWith("{\"core\""))
                .findFirst().orElseThrow();
        Path f = dir.resolve("line.json");
        Files.writeString(f, line);
        return (Map<String, Object>) JsonTree.read(f);
    }
}
