package dev.questj.system.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.questj.system.RunResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes metrics.json, the run's output contract (docs/OUTPUTS.md). Field order is fixed and every
 * value is deterministic except {@code wallSeconds}.
 */
public final class MetricsWriter {
    /** Bumped whenever the meaning of a field changes; new fields alone do not bump it. */
    public static final int FORMAT_VERSION = 2;

    private MetricsWriter() {}

    public static void write(Path file, RunResult r) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, r);
        }
    }

    public static void write(OutputStream out, RunResult r) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE
                .withLinefeed("\n"));
        pp.indentObjectsWith(new DefaultIndenter("  ", "\n"));
        g.setPrettyPrinter(pp);
        g.writeStartObject();
        g.writeNumberField("formatVersion", FORMAT_VERSION);
        g.writeStringField("system", r.config().name());
        g.writeStringField("source", r.config().source());
        g.writeStringField("mode", r.mode());
        g.writeNumberField("seed", r.config().seed());
        g.writeNumberField("cpuHz", r.config().machine().frequencyHz());
        g.writeNumberField("simulatedCycles", r.simulatedCycles());
        g.writeNumberField("events", r.events());
        g.writeNumberField("wallSeconds", Math.round(r.wallSeconds() * 1000) / 1000.0);
        if (r.traceDigest() == null) {
            g.writeNullField("traceDigest");
        } else {
            g.writeStringField("traceDigest", r.traceDigest());
        }
        writeVerdict(g, r);
        writeCores(g, r);
        writeSandboxes(g, r);
        writeVcpus(g, r);
        writeThreads(g, r);
        writeDevices(g, r);
        writeChannels(g, r);
        writeIsolation(g, r);
        AuditJson.write(g, dev.questj.system.Audit.of(r));
        writeVmExits(g, r);
        writeFaults(g, r);
        writeMigrations(g, r);
        g.writeEndObject();
        g.writeRaw('\n');
        g.close();
    }

    private static void writeVerdict(JsonGenerator g, RunResult r) throws IOException {
        g.writeObjectFieldStart("verdict");
        g.writeNumberField("jobsCompleted", r.jobsCompleted());
        g.writeNumberField("deadlineMisses", r.deadlineMisses());
        g.writeNumberField("guestFaults", r.guestFaults());
        g.writeBooleanField("allCoresAdmitted", r.cores().stream().allMatch(RunResult.CoreResult::admitted));
        g.writeNumberField("isolationBreaches", r.isolation().breaches());
        g.writeNumberField("vmExitsAfterBoot", r.vmExits().afterBoot());
        g.writeEndObject();
    }

    private static void writeCores(JsonGenerator g, RunResult r) throws IOException {
        g.writeArrayFieldStart("cores");
        for (RunResult.CoreResult c : r.cores()) {
            g.writeStartObject();
            g.writeNumberField("pcpu", c.pcpu());
            g.writeNumberField("core", c.core());
            g.writeNumberField("hardwareThread", c.hardwareThread());
            g.writeNumberField("mainVcpus", c.mainVcpus());
            g.writeNumberField("utilisation", c.utilisation());
            g.writeNumberField("bound", c.bound());
            g.writeBooleanField("admitted", c.admitted());
            g.writeNumberField("busyCycles", c.busyCycles());
            g.writeNumberField("schedulingPasses", c.schedulingPasses());
            g.writeNumberField("contextSwitches", c.contextSwitches());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeSandboxes(JsonGenerator g, RunResult r) throws IOException {
        g.writeArrayFieldStart("sandboxes");
        for (RunResult.SandboxResult s : r.sandboxes()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("kind", s.kind());
            g.writeArrayFieldStart("cores");
            for (int c : s.cores()) {
                g.writeNumber(c);
            }
            g.writeEndArray();
            g.writeNumberField("memory", s.memoryBytes());
            g.writeArrayFieldStart("devices");
            for (String d : s.devices()) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeStringField("state", s.state());
            g.writeNumberField("bootCycles", s.bootCycles());
            g.writeNumberField("deadlineMisses", s.deadlineMisses());
            g.writeNumberField("faults", s.faults());
            g.writeNumberField("recoveries", s.recoveries());
            g.writeNumberField("downtimeCycles", s.downtimeCycles());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeVcpus(JsonGenerator g, RunResult r) throws IOException {
        g.writeArrayFieldStart("vcpus");
        for (RunResult.VcpuResult v : r.vcpus()) {
            g.writeStartObject();
            g.writeStringField("sandbox", v.sandbox());
            g.writeStringField("name", v.name());
            g.writeStringField("kind", v.kind());
            g.writeNumberField("core", v.core());
            g.writeNumberField("budget", v.budget());
            g.writeNumberField("period", v.period());
            g.writeNumberField("utilisation", v.utilisation());
            g.writeNumberField("consumed", v.consumed());
            g.writeNumberField("maxWindowUsage", v.maxWindowUsage());
            if (v.kind().equals("io")) {
                g.writeArrayFieldStart("inheritedPeriods");
                for (long p : v.inheritedPeriods()) {
                    g.writeNumber(p);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeThreads(JsonGenerator g, RunResult r) throws IOException {
        g.writeArrayFieldStart("threads");
        for (RunResult.ThreadResult t : r.threads()) {
            g.writeStartObject();
            g.writeStringField("sandbox", t.sandbox());
            g.writeStringField("name", t.name());
            g.writeStringField("vcpu", t.vcpu());
            g.writeStringField("model", t.model());
            g.writeNumberField("jobs", t.jobs());
            g.writeNumberField("completed", t.completed());
            g.writeNumberField("deadlineMisses", t.deadlineMisses());
            g.writeNumberField("unfinishedMissed", t.unfinishedMissed());
            g.writeNumberField("cpuCycles", t.cpuCycles());
            g.writeNumberField("incarnations", t.incarnations());
            g.writeNumberField("jobsAbandoned", t.jobsAbandoned());
            g.writeNumberField("completedSinceRestart", t.completedSinceRestart());
            g.writeObjectFieldStart("responseTime");
            writeNullable(g, "min", t.responseMin());
            writeNullable(g, "p50", t.responseP50());
            writeNullable(g, "p99", t.responseP99());
            writeNullable(g, "max", t.responseMax());
            if (t.responseHistogram() != null) {
                g.writeObjectFieldStart("histogram");
                g.writeNumberField("from", t.responseHistogram().from());
                g.writeNumberField("width", t.responseHistogram().width());
                g.writeFieldName("counts");
                // one line, not one line per bin
                g.writeRawValue(java.util.Arrays.stream(t.responseHistogram().counts()).mapToObj(Long::toString)
                        .collect(java.util.stream.Collectors.joining(", ", "[", "]")));
                g.writeEndObject();
            }
            g.writeEndObject();
            if (t.fault() != null) {
                g.writeStringField("fault", t.fault());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeDevices(JsonGenerator g, RunResult r) throws IOException {
        g.writeArrayFieldStart("devices");
        for (RunResult.DeviceResult d : r.devices()) {
            g.writeStartObject();
            g.writeStringField("name", d.name());
            g.writeStringField("type", d.type());
            g.writeNumberField("irqCore", d.irqPcpu());
            if (d.ioVcpu() == null) {
                g.writeNullField("ioVcpu");
            } else {
                g.writeStringField("ioVcpu", d.ioVcpu());
            }
            g.writeNumberField("requests", d.requests());
            g.writeNumberField("interrupts", d.interrupts());
            g.writeNumberField("bytes", d.bytes());
            g.writeNumberField("dropped", d.dropped());
            g.writeNumberField("unclaimed", d.unclaimed());
            g.writeNumberField("completions", d.completions());
            g.writeObjectFieldStart("latency");
            writeNullable(g, "p50", d.latencyP50());
            writeNullable(g, "p99", d.latencyP99());
            writeNullable(g, "max", d.latencyMax());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** One entry per migration request, in request order (docs/OUTPUTS.md). */
    private static void writeMigrations(JsonGenerator g, RunResult r) throws IOException {
        g.writeArrayFieldStart("migrations");
        for (var m : r.migrations()) {
            g.writeStartObject();
            g.writeStringField("thread", m.thread());
            g.writeStringField("from", m.from());
            g.writeStringField("to", m.to());
            g.writeStringField("requestedBy", m.requestedBy());
            g.writeNumberField("requested", m.requested());
            writeNullable(g, "started", m.started() < 0 ? null : m.started());
            writeNullable(g, "finished", m.finished() < 0 ? null : m.finished());
            writeNullable(g, "durationCycles", m.durationCycles() < 0 ? null : m.durationCycles());
            g.writeNumberField("pages", m.pages());
            g.writeStringField("outcome", m.outcome());
            if (!m.reason().isEmpty()) {
                g.writeStringField("reason", m.reason());
            }
            g.writeObjectFieldStart("admission");
            g.writeNumberField("delta", m.copyCycles());
            g.writeNumberField("migrationBudget", m.migrationBudget());
            g.writeNumberField("migrationPeriod", m.migrationPeriod());
            writeNullable(g, "bound", m.bound() < 0 ? null : m.bound());
            writeNullable(g, "available", m.available() < 0 ? null : m.available());
            g.writeEndObject();
            g.writeNumberField("deadlineMissesDuring", m.deadlineMissesDuring());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeChannels(JsonGenerator g, RunResult r) throws IOException {
        g.writeArrayFieldStart("channels");
        for (RunResult.ChannelResult c : r.channels()) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("kind", c.kind());
            g.writeStringField("from", c.from());
            g.writeStringField("to", c.to());
            g.writeNumberField("sent", c.sent());
            g.writeNumberField("delivered", c.delivered());
            g.writeNumberField("refused", c.refused());
            g.writeNumberField("lost", c.lost());
            g.writeNumberField("corrupted", c.corrupted());
            g.writeNumberField("retransmitted", c.retransmitted());
            g.writeNumberField("returned", c.returned());
            writeNullable(g, "severedAt", c.severedAt());
            g.writeNumberField("discardedAtSeverance", c.discardedAtSeverance());
            g.writeNumberField("refusedAfterSeverance", c.refusedAfterSeverance());
            g.writeObjectFieldStart("latency");
            writeNullable(g, "p50", c.latencyP50());
            writeNullable(g, "p99", c.latencyP99());
            writeNullable(g, "max", c.latencyMax());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeIsolation(JsonGenerator g, RunResult r) throws IOException {
        RunResult.IsolationResult i = r.isolation();
        g.writeObjectFieldStart("isolation");
        if (r.config().questV().enabled()) { // SMP mode has one kernel and no sandboxes to protect
            g.writeObjectFieldStart("protections");
            g.writeBooleanField("ept", i.ept());
            g.writeBooleanField("iommu", i.iommu());
            g.writeBooleanField("interruptRemapping", i.interruptRemapping());
            g.writeEndObject();
        }
        g.writeNumberField("attempts", i.attempts());
        g.writeNumberField("blocked", i.blocked());
        g.writeNumberField("breaches", i.breaches());
        for (var e : i.byKind().entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            for (var f : e.getValue().entrySet()) {
                g.writeNumberField(f.getKey(), f.getValue());
            }
            g.writeEndObject();
        }
        g.writeObjectFieldStart("sharedFrames");
        for (var e : i.sharedFrames().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeVmExits(JsonGenerator g, RunResult r) throws IOException {
        RunResult.VmExitResult v = r.vmExits();
        g.writeObjectFieldStart("vmExits");
        g.writeNumberField("total", v.total());
        g.writeNumberField("afterBoot", v.afterBoot());
        g.writeBooleanField("monitorsRemoved", v.monitorsRemoved());
        g.writeObjectFieldStart("byReason");
        for (var e : v.byReason().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeFaults(JsonGenerator g, RunResult r) throws IOException {
        g.writeArrayFieldStart("faults");
        for (RunResult.FaultResult f : r.faults()) {
            g.writeStartObject();
            g.writeStringField("kind", f.kind());
            g.writeStringField("sandbox", f.sandbox());
            if (f.target() == null) {
                g.writeNullField("target");
            } else {
                g.writeStringField("target", f.target());
            }
            g.writeNumberField("injectedAt", f.injectedAt());
            g.writeNumberField("detectedAt", f.detectedAt());
            g.writeStringField("detectedBy", f.detectedBy());
            g.writeNumberField("recoveredAt", f.recoveredAt());
            g.writeNumberField("recoveryCycles", f.recoveryCycles());
            g.writeStringField("outcome", f.outcome());
            g.writeNumberField("pagesRestored", f.pagesRestored());
            g.writeNumberField("threadsRestarted", f.threadsRestarted());
            g.writeStringField("note", f.note());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeNullable(JsonGenerator g, String field, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, v);
        }
    }
}
