package dev.questj.system.output;

import dev.questj.kernel.ScheduleSink;
import dev.questj.system.QuestSystem;
import dev.questj.system.Recording;
import dev.questj.system.config.SystemConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The files a run streams while it simulates: schedule.jsonl and trace.json, both behind the
 * {@code --record} filter; and report.html, written at the end from metrics.json and schedule.jsonl
 * (as {@code quest report} does). With no output directory or {@code --record none}, the sink is
 * {@link ScheduleSink#NONE}.
 */
public final class RunOutputs implements AutoCloseable {
    public static final String SCHEDULE = "schedule.jsonl";
    public static final String TRACE = "trace.json";
    public static final String REPORT = "report.html";

    private final ScheduleLog log;
    private final TraceWriter trace;
    private final ScheduleSink sink;

    private RunOutputs(ScheduleLog log, TraceWriter trace, Recording recording) {
        this.log = log;
        this.trace = trace;
        List<ScheduleSink> sinks = new ArrayList<>();
        if (log != null) {
            sinks.add(log);
        }
        if (trace != null) {
            sinks.add(trace);
        }
        this.sink = RecordingFilter.of(TeeSink.of(sinks), recording);
    }

    /** Nothing recorded. */
    public static RunOutputs none() {
        return new RunOutputs(null, null, Recording.NONE);
    }

    /**
     * Opens schedule.jsonl and trace.json in {@code out} as {@code recording} asks (SMP mode: every
     * PCPU belongs to sandbox {@code smp}); removes those of an earlier run that this one does not write.
     */
    public static RunOutputs open(Path out, Recording recording, SystemConfig cfg) throws IOException {
        return open(out, recording, cfg, p -> QuestSystem.SMP);
    }

    public static RunOutputs open(Path out, Recording recording, SystemConfig cfg, IntFunction<String> sandboxOfPcpu)
            throws IOException {
        if (out == null) {
            return none();
        }
        Files.createDirectories(out);
        if (!recording.any()) {
            Files.deleteIfExists(out.resolve(SCHEDULE));
            Files.deleteIfExists(out.resolve(TRACE));
            return none();
        }
        var m = cfg.machine();
        ScheduleLog log = new ScheduleLog(out.resolve(SCHEDULE));
        TraceWriter trace;
        try {
            trace = new TraceWriter(out.resolve(TRACE), m.frequencyHz(), cfg.name(), cfg.seed(), m.cores() * m.smt(),
                    sandboxOfPcpu);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return new RunOutputs(log, trace, recording);
    }

    /** What the kernel reports to. */
    public ScheduleSink sink() {
        return sink;
    }

    /** Closes both files; returns schedule.jsonl's SHA-256 (hex), or null when it was not written. */
    public String finish() throws IOException {
        String digest = log == null ? null : log.finish();
        if (trace != null) {
            trace.close();
        }
        return digest;
    }

    /** Writes report.html in {@code out} from the metrics.json and schedule.jsonl there. */
    public static void writeReport(Path out) throws IOException {
        ReportWriter.write(out, out.resolve(REPORT));
    }

    @Override
    public void close() throws IOException {
        try {
            if (log != null) {
                log.close();
            }
        } finally {
            if (trace != null) {
                trace.close();
            }
        }
    }
}
