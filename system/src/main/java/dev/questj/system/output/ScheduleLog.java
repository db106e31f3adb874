package dev.questj.system.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.questj.kernel.KThread;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.Vcpu;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Streams schedule.jsonl: one JSON object per line, per execution slice
 * ({@code {"core":0,"sandbox":"smp","vcpu":"ctl","thread":"pid","start":123,"end":456}}, cycles,
 * half-open) and per event ({@code {"event":"miss","time":..,...}}). The SHA-256 of the bytes
 * written is the run's {@code traceDigest}. Nothing is kept in memory.
 */
public final class ScheduleLog implements ScheduleSink, AutoCloseable {
    private final MessageDigest digest;
    private final JsonGenerator json;
    private long slices;
    private long events;

    public ScheduleLog(Path file) throws IOException {
        this(Files.newOutputStream(file));
    }

    public ScheduleLog(OutputStream out) throws IOException {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        OutputStream sink = new DigestOutputStream(new BufferedOutputStream(out, 1 << 16), digest);
        json = new JsonFactory().createGenerator(sink, JsonEncoding.UTF8);
        json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
        try {
            json.writeStartObject();
            json.writeNumberField("core", pcpu);
            json.writeStringField("sandbox", vcpu.sandbox());
            json.writeStringField("vcpu", vcpu.name());
            json.writeStringField("thread", thread.name());
            json.writeNumberField("start", start);
            json.writeNumberField("end", end);
            json.writeEndObject();
            slices++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
        try {
            json.writeStartObject();
            json.writeNumberField("core", pcpu);
            json.writeStringField("sandbox", vcpu.sandbox());
            json.writeStringField("vcpu", vcpu.name());
            json.writeStringField("thread", thread.name());
            json.writeStringField("served", served.name());
            json.writeNumberField("start", start);
            json.writeNumberField("end", end);
            json.writeEndObject();
            slices++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void event(long time, int pcpu, String kind, Vcpu vcpu, KThread thread, String detail) {
        try {
            json.writeStartObject();
            json.writeStringField("event", kind);
            json.writeNumberField("time", time);
            json.writeNumberField("core", pcpu);
            if (vcpu != null) {
                json.writeStringField("sandbox", vcpu.sandbox());
                json.writeStringField("vcpu", vcpu.name());
            }
            if (thread != null) {
                json.writeStringField("thread", thread.name());
            }
            if (detail != null) {
                json.writeStringField("detail", detail);
            }
            json.writeEndObject();
            events++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long slices() {
        return slices;
    }

    public long events() {
        return events;
    }

    /** Closes the file (ending it with a newline) and returns the SHA-256 of its bytes, in hex. */
    public String finish() throws IOException {
        json.writeRaw('\n');
        json.close();
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() throws IOException {
        if (!json.isClosed()) {
            json.close();
        }
    }
}
