package dev.questj.system.output;

import dev.questj.kernel.KThread;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.Vcpu;
import java.util.List;

/** Forwards everything the kernel reports to several sinks, in order. Overrides every method of {@link ScheduleSink}. */
public final class TeeSink implements ScheduleSink {
    private final ScheduleSink[] sinks;

    private TeeSink(ScheduleSink[] sinks) {
        this.sinks = sinks;
    }

    /** The sinks combined; {@link ScheduleSink#NONE} for none, the sink itself for one. */
    public static ScheduleSink of(List<? extends ScheduleSink> sinks) {
        return switch (sinks.size()) {
            case 0 -> ScheduleSink.NONE;
            case 1 -> sinks.getFirst();
            default -> new TeeSink(sinks.toArray(new ScheduleSink[0]));
        };
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
        for (ScheduleSink s : sinks) {
            s.slice(pcpu, vcpu, thread, start, end);
        }
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
        for (ScheduleSink s : sinks) {
            s.slice(pcpu, vcpu, thread, served, start, end);
        }
    }

    @Override
    public void event(long time, int pcpu, String kind, Vcpu vcpu, KThread thread, String detail) {
        for (ScheduleSink s : sinks) {
            s.event(time, pcpu, kind, vcpu, thread, detail);
        }
    }

    @Override
    public void sliceStart(int pcpu, Vcpu vcpu, KThread thread, long start, long budget) {
        for (ScheduleSink s : sinks) {
            s.sliceStart(pcpu, vcpu, thread, start, budget);
        }
    }

    @Override
    public void release(long release, int pcpu, Vcpu vcpu, KThread thread, long deadline) {
        for (ScheduleSink s : sinks) {
            s.release(release, pcpu, vcpu, thread, deadline);
        }
    }

    @Override
    public void ioRequest(long time, int pcpu, Vcpu vcpu, KThread thread, String device, String op, long bytes) {
        for (ScheduleSink s : sinks) {
            s.ioRequest(time, pcpu, vcpu, thread, device, op, bytes);
        }
    }
}
