package dev.questj.system.output;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.questj.kernel.KThread;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.Vcpu;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Streams schedule.jsonl: one JSON object per line, per execution slice
 * ({@code {"core":0,"sandbox":"smp","vcpu":"ctl","thread":"pid","start":123,"end":456,"budget":789}},
 * cycles, half-open, with the VCPU's budget left when the slice ended) and per event
 * ({@code {"event":"miss","time":..,...}}; job releases carry their {@code deadline}, I/O requests are
 * events of kind {@code io}). The SHA-256 of the bytes
 * written is the run's {@code traceDigest}. Nothing is kept in memory but a 64 KiB buffer.
 *
 * <p>This is the hot path of a recorded run, so lines are formatted by hand into a byte buffer:
 * each (VCPU, thread) pair's names are JSON-escaped once (Jackson's encoder) and cached, and
 * numbers are written digit by digit. The digest is updated per buffer, not per line.
 */
public final class ScheduleLog extends JsonBytes implements ScheduleSink, AutoCloseable {
    private static final byte[] CORE = ascii("{\"core\":");
    private static final byte[] SANDBOX = ascii(",\"sandbox\":\"");
    private static final byte[] VCPU = ascii("\",\"vcpu\":\"");
    private static final byte[] THREAD = ascii("\",\"thread\":\"");
    private static final byte[] SERVED = ascii("\",\"served\":\"");
    private static final byte[] START = ascii("\",\"start\":");
    private static final byte[] END = ascii(",\"end\":");
    private static final byte[] BUDGET = ascii(",\"budget\":");
    private static final byte[] DEADLINE = ascii(",\"deadline\":");
    private static final byte[] RELEASE = ascii("release");
    private static final byte[] EVENT = ascii("{\"event\":\"");
    private static final byte[] TIME = ascii("\",\"time\":");
    private static final byte[] EVENT_CORE = ascii(",\"core\":");
    private static final byte[] DETAIL = ascii(",\"detail\":\"");

    private final OutputStream out;
    private final MessageDigest digest;
    private boolean closed;
    private final Map<Vcpu, Map<KThread, byte[]>> names = new IdentityHashMap<>();
    private long slices;
    private long events;

    public ScheduleLog(Path file) throws IOException {
        this(Files.newOutputStream(file));
    }

    public ScheduleLog(OutputStream out) {
        this.out = out;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static byte[] escaped(String s) {
        return JsonStringEncoder.getInstance().quoteAsUTF8(s);
    }

    /** {@code <sandbox>","vcpu":"<vcpu>","thread":"<thread>}, escaped, cached per pair. */
    private byte[] names(Vcpu vcpu, KThread thread) {
        return names.computeIfAbsent(vcpu, v -> new IdentityHashMap<>()).computeIfAbsent(thread, t -> {
            byte[] sb = escaped(vcpu.sandbox());
            byte[] vb = escaped(vcpu.name());
            byte[] tb = escaped(t.name());
            byte[] all = new byte[sb.length + VCPU.length + vb.length + THREAD.length + tb.length];
            int i = 0;
            for (byte[] part : new byte[][] {sb, VCPU, vb, THREAD, tb}) {
                System.arraycopy(part, 0, all, i, part.length);
                i += part.length;
            }
            return all;
        });
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
        sliceLine(pcpu, vcpu, thread, null, start, end);
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
        sliceLine(pcpu, vcpu, thread, served, start, end);
    }

    private void sliceLine(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
        byte[] n = names(vcpu, thread);
        byte[] s = served == null ? null : escaped(served.name());
        ensure(CORE.length + 20 + SANDBOX.length + n.length + (s == null ? 0 : SERVED.length + s.length)
                + START.length + 20 + END.length + 20 + BUDGET.length + 20 + 2);
        put(CORE);
        putLong(pcpu);
        put(SANDBOX);
        put(n);
        if (s != null) {
            put(SERVED);
            put(s);
        }
        put(START);
        putLong(start);
        put(END);
        putLong(end);
        put(BUDGET);
        putLong(vcpu.server().budget());
        buf[pos++] = '}';
        buf[pos++] = '\n';
        slices++;
    }

    @Override
    public void release(long release, int pcpu, Vcpu vcpu, KThread thread, long deadline) {
        byte[] n = names(vcpu, thread);
        ensure(EVENT.length + RELEASE.length + TIME.length + 20 + EVENT_CORE.length + 20 + SANDBOX.length + n.length
                + DEADLINE.length + 20 + 4);
        put(EVENT);
        put(RELEASE);
        put(TIME);
        putLong(release);
        put(EVENT_CORE);
        putLong(pcpu);
        put(SANDBOX);
        put(n);
        buf[pos++] = '"';
        if (deadline != Long.MAX_VALUE) {
            put(DEADLINE);
            putLong(deadline);
        }
        buf[pos++] = '}';
        buf[pos++] = '\n';
        events++;
    }

    @Override
    public void ioRequest(long time, int pcpu, Vcpu vcpu, KThread thread, String device, String op, long bytes) {
        event(time, pcpu, "io", vcpu, thread, device + " " + op + " " + bytes);
    }

    @Override
    public void event(long time, int pcpu, String kind, Vcpu vcpu, KThread thread, String detail) {
        byte[] k = escaped(kind);
        byte[] n = vcpu == null ? null : thread == null ? null : names(vcpu, thread);
        byte[] d = detail == null ? null : escaped(detail);
        ensure(EVENT.length + k.length + TIME.length + 20 + EVENT_CORE.length + 20 + 64
                + (n == null ? 0 : n.length) + (d == null ? 0 : d.length + DETAIL.length) + (vcpu == null ? 0 : 256));
        put(EVENT);
        put(k);
        put(TIME);
        putLong(time);
        put(EVENT_CORE);
        putLong(pcpu);
        if (vcpu != null) {
            put(SANDBOX);
            if (n != null) {
                put(n);
            } else {
                put(escaped(vcpu.sandbox()));
                put(VCPU);
                put(escaped(vcpu.name()));
            }
            buf[pos++] = '"';
        }
        if (d != null) {
            put(DETAIL);
            put(d);
            buf[pos++] = '"';
        }
        buf[pos++] = '}';
        buf[pos++] = '\n';
        events++;
    }

    @Override
    protected void flush() {
        try {
            digest.update(buf, 0, pos);
            out.write(buf, 0, pos);
            pos = 0;
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

    /** Closes the file and returns the SHA-256 of its bytes, in hex. */
    public String finish() throws IOException {
        flush();
        closed = true;
        out.close();
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            flush();
            out.close();
        }
    }
}
