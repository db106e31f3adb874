package dev.questj.machine;

import dev.questj.sim.Event;
import dev.questj.sim.EventQueue;
import dev.questj.sim.Priority;

/**
 * A physical CPU: a core, or one hardware thread of an SMT core. It has a one-shot local timer and
 * receives inter-processor interrupts. What runs on it is decided by software through a
 * {@link Handler}; the machine knows nothing of Quest.
 */
public final class Pcpu {
    /** What the PCPU's software does when its timer expires or an IPI arrives. */
    public interface Handler {
        void onTimer(long now);

        void onIpi(long now);

        /** A device interrupt routed to this PCPU. */
        default void onInterrupt(long now, Device device) {}
    }

    private final int id;
    private final int core;
    private final int hardwareThread;
    private final EventQueue queue;
    private Handler handler;
    private final Event timer = new Event(Priority.TIMER) {
        @Override
        public void fire(long now) {
            handler.onTimer(now);
        }
    };
    private final Event ipi = new Event(Priority.IPI) {
        @Override
        public void fire(long now) {
            ipisReceived++;
            handler.onIpi(now);
        }
    };
    private long ipisReceived;
    private long interruptsReceived;

    Pcpu(int id, int core, int hardwareThread, EventQueue queue) {
        this.id = id;
        this.core = core;
        this.hardwareThread = hardwareThread;
        this.queue = queue;
    }

    /** Index among all PCPUs of the machine (core * smt + hardware thread). */
    public int id() {
        return id;
    }

    public int core() {
        return core;
    }

    public int hardwareThread() {
        return hardwareThread;
    }

    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    /** Arms the one-shot timer to expire at {@code at}, replacing any earlier setting. */
    public void armTimer(long at) {
        if (timer.isScheduled() && timer.time() == at) {
            return; // already set for that instant: keep its place among the instant's events
        }
        queue.schedule(timer, at);
    }

    /** Arms the timer only if that makes it expire earlier (or it was not armed). */
    public void armTimerNoLaterThan(long at) {
        if (!timer.isScheduled() || at < timer.time()) {
            queue.schedule(timer, at);
        }
    }

    public void cancelTimer() {
        queue.cancel(timer);
    }

    /** When the timer expires, or {@code Long.MAX_VALUE} when it is not armed. */
    public long timerDeadline() {
        return timer.isScheduled() ? timer.time() : Long.MAX_VALUE;
    }

    /**
     * Raises an IPI on this PCPU after {@code latency} cycles. IPIs that arrive while one is pending
     * coalesce, as a real interrupt vector's pending bit does: the handler must scan for work.
     */
    public void raiseIpi(long latency) {
        long at = queue.now() + latency;
        if (!ipi.isScheduled() || at < ipi.time()) {
            queue.schedule(ipi, at);
        }
    }

    /** Called by a device whose interrupt is routed here; only such devices can reach this PCPU. */
    void deliverInterrupt(Device device, long now) {
        interruptsReceived++;
        handler.onInterrupt(now, device);
    }

    public long interruptsReceived() {
        return interruptsReceived;
    }

    public long ipisReceived() {
        return ipisReceived;
    }

    @Override
    public String toString() {
        return "PCPU " + id;
    }
}
