package dev.questj.system.output;

import dev.questj.kernel.KThread;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.Vcpu;
import dev.questj.system.Recording;

/**
 * Passes on what {@code --record} and {@code --record-window} ask for: slices only when slices are
 * recorded and only those that overlap the window [from, to) (whole, not clipped); events only when
 * events are recorded and only those at an instant inside the window. Overrides every method of
 * {@link ScheduleSink}.
 */
public final class RecordingFilter implements ScheduleSink {
    private final ScheduleSink next;
    private final boolean slices;
    private final boolean events;
    private final long from;
    private final long to;

    private RecordingFilter(ScheduleSink next, Recording r) {
        this.next = next;
        this.slices = r.slices();
        this.events = r.events();
        this.from = r.from();
        this.to = r.to();
    }

    /** {@code next} behind the filter; {@code next} itself when everything is recorded. */
    public static ScheduleSink of(ScheduleSink next, Recording r) {
        if (!r.any()) {
            return ScheduleSink.NONE;
        }
        return r.slices() && r.wholeRun() ? next : new RecordingFilter(next, r);
    }

    private boolean sliceIn(long start, long end) {
        return slices && start < to && end > from;
    }

    private boolean eventIn(long time) {
        return events && time >= from && time < to;
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
        if (sliceIn(start, end)) {
            next.slice(pcpu, vcpu, thread, start, end);
        }
    }

    @Override
    public void slice(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
        if (sliceIn(start, end)) {
            next.slice(pcpu, vcpu, thread, served, start, end);
        }
    }

    @Override
    public void sliceStart(int pcpu, Vcpu vcpu, KThread thread, long start, long budget) {
        if (slices && start >= from && start < to) {
            next.sliceStart(pcpu, vcpu, thread, start, budget);
        }
    }

    @Override
    public void event(long time, int pcpu, String kind, Vcpu vcpu, KThread thread, String detail) {
        if (eventIn(time)) {
            next.event(time, pcpu, kind, vcpu, thread, detail);
        }
    }

    @Override
    public void release(long release, int pcpu, Vcpu vcpu, KThread thread, long deadline) {
        if (eventIn(release)) {
            next.release(release, pcpu, vcpu, thread, deadline);
        }
    }

    @Override
    public void ioRequest(long time, int pcpu, Vcpu vcpu, KThread thread, String device, String op, long bytes) {
        if (eventIn(time)) {
            next.ioRequest(time, pcpu, vcpu, thread, device, op, bytes);
        }
    }
}
