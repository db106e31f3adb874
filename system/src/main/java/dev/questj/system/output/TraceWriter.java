package dev.questj.system.output;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.questj.kernel.KThread;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.Vcpu;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Streams trace.json in the Chrome trace event format (the JSON object form, which Perfetto and
 * chrome://tracing open): one process per sandbox; in it a track per PCPU and per VCPU with the
 * execution slices ({@code X}: the thread's name, its VCPU or PCPU and the budget left in the args),
 * a track of I/O requests, instants ({@code i}) for job releases, deadline misses, interrupts,
 * faults and every other kernel event (VM exits, recoveries, migrations as the kernel reports them),
 * flows ({@code s}/{@code f}, always written in pairs) from an I/O request to the bottom half that
 * served it and from the bottom half back to the requester's next slice, and a counter ({@code C})
 * per VCPU of its remaining budget, sampled where slices start and end.
 *
 * <p>Timestamps are microseconds with three decimals, converted from the exact cycle counts through
 * integer nanoseconds (so adjacent slices touch exactly). Events are written as they arrive: slices
 * in time order per track, instants and counters when reported; trace viewers sort by time. Nothing
 * is kept but a 64 KiB buffer and a few fields per VCPU and thread. Lines are formatted by hand, as
 * in {@link ScheduleLog}.
 */
public final class TraceWriter extends JsonBytes implements ScheduleSink, AutoCloseable {
    /** Track ids: pid x PID_STRIDE + offset, so that ids stay unique across processes. */
    static final int PID_STRIDE = 100_000;
    static final int CORE_TID = 100;
    static final int IO_TID = 99;
    static final int FAULT_TID = 98;
    static final int VCPU_TID = 10_000;

    private static final byte[] NAME = ascii("{\"name\":\"");
    private static final byte[] CAT = ascii("\",\"cat\":\"");
    private static final byte[] PH = ascii("\",\"ph\":\"");
    private static final byte[] TS = ascii("\",\"ts\":");
    private static final byte[] DUR = ascii(",\"dur\":");
    private static final byte[] PID = ascii(",\"pid\":");
    private static final byte[] TID = ascii(",\"tid\":");
    private static final byte[] ARGS = ascii(",\"args\":{");
    private static final byte[] CLOSE = ascii("}}");
    private static final byte[] Q_VCPU = ascii("\"vcpu\":\"");
    private static final byte[] Q_CORE = ascii("\"core\":");
    private static final byte[] Q_BUDGET = ascii("\"budgetLeft\":");
    private static final byte[] Q_SERVED = ascii(",\"served\":\"");
    private static final byte[] Q_THREAD = ascii("\"thread\":\"");
    private static final byte[] Q_DEADLINE = ascii(",\"deadline\":");
    private static final byte[] Q_DETAIL = ascii("\"detail\":\"");
    private static final byte[] Q_CYCLES = ascii("\"cycles\":");
    private static final byte[] Q_OP = ascii(",\"op\":\"");
    private static final byte[] Q_BYTES = ascii(",\"bytes\":");
    private static final byte[] Q_ID = ascii("\",\"id\":");
    private static final byte[] Q_SCOPE_T = ascii(",\"s\":\"t\"");
    private static final byte[] Q_BP_E = ascii(",\"bp\":\"e\"");
    private static final byte[] CPU = ascii("cpu");
    private static final byte[] VCPU = ascii("vcpu");
    private static final byte[] X = ascii("X");
    private static final byte[] I = ascii("i");
    private static final byte[] C = ascii("C");
    private static final byte[] RELEASE = ascii("release");
    private static final byte[] JOB = ascii("job");
    private static final byte[] EVENT = ascii("event");
    private static final byte[] FAULT = ascii("fault");
    /** A fault's lifecycle (schedule.jsonl kinds): drawn on the sandbox's Faults track. */
    private static final java.util.Set<String> FAULT_KINDS =
            java.util.Set.of("fault", "halt", "detected", "restart", "recovered", "down", "contained");
    private static final byte[] IO = ascii("io");
    private static final byte[] IO_PREFIX = ascii("io ");
    private static final byte[] COUNTER_SUFFIX = ascii(" budget");

    private final OutputStream out;
    private final long hz;
    private final IntFunction<String> sandboxOfPcpu;
    private final String system;
    private final long seed;
    private boolean first = true;
    private boolean closed;
    private long written;
    private long nextFlowId = 1;

    private final Map<String, Proc> procs = new HashMap<>();
    private final Map<Vcpu, VTrack> vtracks = new IdentityHashMap<>();
    private final Map<KThread, TState> threads = new IdentityHashMap<>();
    private final Map<String, byte[]> escaped = new HashMap<>();

    /** A sandbox: a process. */
    private static final class Proc {
        final int pid;
        final java.util.BitSet cores = new java.util.BitSet();
        /** The fixed-slot tracks (I/O requests, Faults) whose name was written, by slot. */
        final java.util.BitSet named = new java.util.BitSet();

        Proc(int pid) {
            this.pid = pid;
        }
    }

    /** A VCPU's track and its budget counter. */
    private static final class VTrack {
        final int pid;
        final int tid;
        final byte[] name;
        long lastCounterNs = -1;
        long lastCounterValue = -1;

        VTrack(int pid, int tid, byte[] name) {
            this.pid = pid;
            this.tid = tid;
            this.name = name;
        }
    }

    /** A thread's open flows. */
    private static final class TState {
        final byte[] name;
        /** The I/O request not yet reached by a bottom half: where its flow starts. */
        boolean requestPending;
        long requestNs;
        int requestPid;
        int requestTid;
        /** The latest bottom-half slice that served this thread, not yet followed by the thread's own slice. */
        boolean bhPending;
        long bhNs;
        int bhPid;
        int bhTid;

        TState(byte[] name) {
            this.name = name;
        }
    }

    /**
     * @param hz             cycles per second
     * @param pcpus          the machine's PCPUs (each gets its track at once, busy or not)
     * @param sandboxOfPcpu  the sandbox owning a PCPU (its process gets the PCPU's track)
     */
    public TraceWriter(Path file, long hz, String system, long seed, int pcpus, IntFunction<String> sandboxOfPcpu)
            throws IOException {
        this(Files.newOutputStream(file), hz, system, seed, pcpus, sandboxOfPcpu);
    }

    public TraceWriter(OutputStream out, long hz, String system, long seed, int pcpus, IntFunction<String> sandboxOfPcpu) {
        if (hz <= 0) {
            throw new IllegalArgumentException("hz must be positive");
        }
        this.out = out;
        this.hz = hz;
        this.system = system;
        this.seed = seed;
        this.sandboxOfPcpu = sandboxOfPcpu;
        put(ascii("{\"traceEvents\":[\n"));
        for (int p = 0; p < pcpus; p++) {
            coreTid(p);
        }
    }

    private byte[] esc(String s) {
        byte[] b = escaped.get(s);
        if (b == null) {
            b = JsonStringEncoder.getInstance().quoteAsUTF8(s);
            if (escaped.size() < 100_000) {
                escaped.put(s, b);
            }
        }
        return b;
    }

    // ---- tracks ----

    private Proc proc(String sandbox) {
        Proc p = procs.get(sandbox);
        if (p == null) {
            p = new Proc(procs.size() + 1);
            procs.put(sandbox, p);
            metadata("process_name", p.pid, 0, "name", "sandbox " + sandbox);
            metadataNumber("process_sort_index", p.pid, 0, p.pid);
        }
        return p;
    }

    private int coreTid(int pcpu) {
        Proc p = proc(sandboxOfPcpu.apply(pcpu));
        int tid = p.pid * PID_STRIDE + CORE_TID + pcpu;
        if (!p.cores.get(pcpu)) {
            p.cores.set(pcpu);
            metadata("thread_name", p.pid, tid, "name", "PCPU " + pcpu);
            metadataNumber("thread_sort_index", p.pid, tid, pcpu);
        }
        return tid;
    }

    private int corePid(int pcpu) {
        return proc(sandboxOfPcpu.apply(pcpu)).pid;
    }

    private VTrack vtrack(Vcpu v) {
        VTrack t = vtracks.get(v);
        if (t == null) {
            Proc p = proc(v.sandbox());
            int tid = p.pid * PID_STRIDE + VCPU_TID + v.index();
            t = new VTrack(p.pid, tid, esc(v.name()));
            vtracks.put(v, t);
            metadata("thread_name", p.pid, tid, "name", "VCPU " + v.name() + (v.kind() == Vcpu.Kind.IO ? " (I/O)" : ""));
            metadataNumber("thread_sort_index", p.pid, tid, 1000 + v.index());
        }
        return t;
    }

    private int ioTid(Proc p) {
        return namedTrack(p, IO_TID, "I/O requests", 1_000_000);
    }

    /** The sandbox's Faults track: injected faults, halts, detections, restarts, recoveries, containments. */
    private int faultTid(Proc p) {
        return namedTrack(p, FAULT_TID, "Faults", 999);
    }

    /** Track {@code slot} of process {@code p}; its name and sort index are written the first time. */
    private int namedTrack(Proc p, int slot, String name, int sortIndex) {
        int tid = p.pid * PID_STRIDE + slot;
        if (!p.named.get(slot)) {
            p.named.set(slot);
            metadata("thread_name", p.pid, tid, "name", name);
            metadataNumber("thread_sort_index", p.pid, tid, sortIndex);
        }
        return tid;
    }

    private TState state(KThread t) {
        TState s = threads.get(t);
        if (s == null) {
            s = new TState(esc(t.name()));
            threads.put(t, s);
        }
        return s;
    }

    /** {@code {"name":NAME,"ph":"M","ts":0,"pid":P,"tid":T,"args":{} of a metadata event. */
    private void metadataHeader(String name, int pid, int tid) {
        put(NAME);
        put(ascii(name));
        put(PH);
        put(ascii("M"));
        put(TS);
        putLong(0);
        put(PID);
        putLong(pid);
        put(TID);
        putLong(tid);
        put(ARGS);
    }

    private void metadata(String name, int pid, int tid, String key, String value) {
        begin(256 + 6 * value.length());
        metadataHeader(name, pid, tid);
        buf[pos++] = '"';
        put(ascii(key));
        put(ascii("\":\""));
        put(JsonStringEncoder.getInstance().quoteAsUTF8(value));
        buf[pos++] = '"';
        put(CLOSE);
    }

    private void metadataNumber(String name, int pid, int tid, long value) {
        begin(256);
        metadataHeader(name, pid, tid);
        put(ascii("\"sort_index\":"));
        putLong(value);
        put(CLOSE);
    }

    // ---- the sink ----

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
        slice(pcpu, vcpu, thread, null, start, end);
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
        long ns0 = ns(start);
        long ns1 = ns(end);
        long budget = vcpu.server().budget();
        VTrack vt = vtrack(vcpu);
        TState ts = state(thread);
        TState ss = served == null ? null : state(served);
        int coreTid = coreTid(pcpu);
        // the PCPU's track
        head(ts.name, CPU, X, ns0, 160 + vt.name.length + (ss == null ? 0 : ss.name.length));
        put(DUR);
        putMicros(ns1 - ns0);
        put(PID);
        putLong(corePid(pcpu));
        put(TID);
        putLong(coreTid);
        put(ARGS);
        put(Q_VCPU);
        put(vt.name);
        put(ascii("\","));
        put(Q_BUDGET);
        putLong(budget);
        servedArg(ss);
        put(CLOSE);
        // the VCPU's track
        head(ts.name, VCPU, X, ns0, 160 + (ss == null ? 0 : ss.name.length));
        put(DUR);
        putMicros(ns1 - ns0);
        put(PID);
        putLong(vt.pid);
        put(TID);
        putLong(vt.tid);
        put(ARGS);
        put(Q_CORE);
        putLong(pcpu);
        buf[pos++] = ',';
        put(Q_BUDGET);
        putLong(budget);
        servedArg(ss);
        put(CLOSE);
        counter(vt, ns1, budget);
        long mid = ns0 + (ns1 - ns0) / 2;
        if (ss != null) {
            if (ss.requestPending) {
                ss.requestPending = false;
                flow(nextFlowId++, ss.requestNs, ss.requestPid, ss.requestTid, mid, vt.pid, vt.tid);
            }
            ss.bhPending = true;
            ss.bhNs = mid;
            ss.bhPid = vt.pid;
            ss.bhTid = vt.tid;
        } else if (ts.bhPending) {
            ts.bhPending = false;
            flow(nextFlowId++, ts.bhNs, ts.bhPid, ts.bhTid, mid, vt.pid, vt.tid);
        }
    }

    private void servedArg(TState ss) {
        if (ss != null) {
            put(Q_SERVED);
            put(ss.name);
            buf[pos++] = '"';
        }
    }

    @Override
    public void sliceStart(int pcpu, Vcpu vcpu, KThread thread, long start, long budget) {
        counter(vtrack(vcpu), ns(start), budget);
    }

    private void counter(VTrack vt, long ns, long value) {
        if (vt.lastCounterNs == ns && vt.lastCounterValue == value) {
            return;
        }
        vt.lastCounterNs = ns;
        vt.lastCounterValue = value;
        begin(160 + vt.name.length);
        put(NAME);
        put(vt.name);
        put(COUNTER_SUFFIX);
        put(PH);
        put(C);
        put(TS);
        putMicros(ns);
        put(PID);
        putLong(vt.pid);
        put(TID);
        putLong(vt.tid);
        put(ARGS);
        put(Q_CYCLES);
        putLong(value);
        put(CLOSE);
    }

    /** A flow from (ns0, pid0, tid0) to the slice enclosing (ns1, pid1, tid1): both halves at once, so they always pair. */
    private void flow(long id, long ns0, int pid0, int tid0, long ns1, int pid1, int tid1) {
        begin(160);
        put(NAME);
        put(IO);
        put(CAT);
        put(IO);
        put(Q_ID);
        putLong(id);
        put(ascii(",\"ph\":\"s\""));
        put(ascii(",\"ts\":"));
        putMicros(ns0);
        put(PID);
        putLong(pid0);
        put(TID);
        putLong(tid0);
        buf[pos++] = '}';
        begin(160);
        put(NAME);
        put(IO);
        put(CAT);
        put(IO);
        put(Q_ID);
        putLong(id);
        put(ascii(",\"ph\":\"f\""));
        put(Q_BP_E);
        put(ascii(",\"ts\":"));
        putMicros(ns1);
        put(PID);
        putLong(pid1);
        put(TID);
        putLong(tid1);
        buf[pos++] = '}';
    }

    @Override
    public void release(long release, int pcpu, Vcpu vcpu, KThread thread, long deadline) {
        VTrack vt = vtrack(vcpu);
        TState ts = state(thread);
        head(RELEASE, JOB, I, ns(release), 200 + ts.name.length);
        put(Q_SCOPE_T);
        put(PID);
        putLong(vt.pid);
        put(TID);
        putLong(vt.tid);
        put(ARGS);
        put(Q_THREAD);
        put(ts.name);
        buf[pos++] = '"';
        if (deadline != Long.MAX_VALUE) {
            put(Q_DEADLINE);
            putLong(deadline);
        }
        put(CLOSE);
    }

    @Override
    public void event(long time, int pcpu, String kind, Vcpu vcpu, KThread thread, String detail) {
        byte[] k = esc(kind);
        byte[] th = thread == null ? null : state(thread).name;
        byte[] d = detail == null ? null : JsonStringEncoder.getInstance().quoteAsUTF8(detail);
        int pid;
        int tid;
        byte[] cat = EVENT;
        if (FAULT_KINDS.contains(kind) && !(kind.equals("fault") && thread != null)) { // a guest's own fault stays on its VCPU
            Proc p = proc(sandboxOfPcpu.apply(pcpu));
            pid = p.pid;
            tid = faultTid(p);
            cat = FAULT;
        } else if (vcpu != null) {
            VTrack vt = vtrack(vcpu);
            pid = vt.pid;
            tid = vt.tid;
        } else {
            tid = coreTid(pcpu);
            pid = corePid(pcpu);
        }
        head(k, cat, I, ns(time), 200 + k.length + (th == null ? 0 : th.length) + (d == null ? 0 : d.length));
        put(Q_SCOPE_T);
        put(PID);
        putLong(pid);
        put(TID);
        putLong(tid);
        put(ARGS);
        put(Q_CORE);
        putLong(pcpu);
        if (th != null) {
            buf[pos++] = ',';
            put(Q_THREAD);
            put(th);
            buf[pos++] = '"';
        }
        if (d != null) {
            buf[pos++] = ',';
            put(Q_DETAIL);
            put(d);
            buf[pos++] = '"';
        }
        put(CLOSE);
    }

    @Override
    public void ioRequest(long time, int pcpu, Vcpu vcpu, KThread thread, String device, String op, long bytes) {
        Proc p = proc(vcpu.sandbox());
        int tid = ioTid(p);
        TState ts = state(thread);
        byte[] dev = esc(device);
        byte[] o = esc(op);
        long ns = ns(time);
        begin(220 + dev.length + o.length + ts.name.length);
        put(NAME);
        put(IO_PREFIX);
        put(dev);
        put(CAT);
        put(IO);
        put(PH);
        put(X);
        put(TS);
        putMicros(ns);
        put(DUR);
        putMicros(1);
        put(PID);
        putLong(p.pid);
        put(TID);
        putLong(tid);
        put(ARGS);
        put(Q_THREAD);
        put(ts.name);
        buf[pos++] = '"';
        put(Q_OP);
        put(o);
        buf[pos++] = '"';
        put(Q_BYTES);
        putLong(bytes);
        put(CLOSE);
        ts.requestPending = true;
        ts.requestNs = ns;
        ts.requestPid = p.pid;
        ts.requestTid = tid;
    }

    /** {@code {"name":"<name>","cat":"<cat>","ph":"<ph>","ts":<ts>} without the closing brace. */
    private void head(byte[] name, byte[] cat, byte[] ph, long ns, int room) {
        begin(room + name.length + 64);
        put(NAME);
        put(name);
        put(CAT);
        put(cat);
        put(PH);
        put(ph);
        put(TS);
        putMicros(ns);
    }

    // ---- bytes ----

    private void begin(int room) {
        if (pos + room + 64 > buf.length) {
            flush();
        }
        if (!first) {
            buf[pos++] = ',';
            buf[pos++] = '\n';
        }
        first = false;
        written++;
    }

    /** Nanoseconds as microseconds with three decimals. */
    private void putMicros(long ns) {
        putLong(ns / 1000);
        if (pos + 4 > buf.length) {
            flush();
        }
        long frac = ns % 1000;
        buf[pos++] = '.';
        buf[pos++] = (byte) ('0' + frac / 100);
        buf[pos++] = (byte) ('0' + frac / 10 % 10);
        buf[pos++] = (byte) ('0' + frac % 10);
    }

    /** Cycles to nanoseconds, rounded down, exactly (integer arithmetic). */
    long ns(long cycles) {
        if (hz == 1_000_000_000L) {
            return cycles;
        }
        long s = cycles / hz;
        long r = cycles % hz;
        try {
            return Math.addExact(Math.multiplyExact(s, 1_000_000_000L), Math.multiplyExact(r, 1_000_000_000L) / hz);
        } catch (ArithmeticException e) {
            return BigInteger.valueOf(cycles).multiply(BigInteger.valueOf(1_000_000_000L))
                    .divide(BigInteger.valueOf(hz)).longValueExact();
        }
    }

    private void write(byte[] b, int n) {
        try {
            out.write(b, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void flush() {
        write(buf, pos);
        pos = 0;
    }

    /** Trace events written so far (metadata included). */
    public long eventsWritten() {
        return written;
    }

    /** Ends the JSON object and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        put(ascii("\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"generator\":\"Quest/J\",\"system\":\""));
        put(JsonStringEncoder.getInstance().quoteAsUTF8(system));
        put(ascii("\",\"seed\":"));
        putLong(seed);
        put(ascii(",\"cpuHz\":"));
        putLong(hz);
        put(ascii("}}\n"));
        flush();
        out.close();
    }
}
