package dev.questj.machine;

import dev.questj.sim.Event;
import dev.questj.sim.Priority;

/** An actuator: a write completes {@code latency} cycles after it is issued. */
public final class Actuator extends Device {
    private final long latency;

    public Actuator(String name, Machine machine, int irqPcpu, long latency) {
        super(name, "actuator", machine, irqPcpu);
        if (latency < 0) {
            throw new IllegalArgumentException("actuator " + name + ": latency must not be negative");
        }
        this.latency = latency;
    }

    @Override
    public boolean supports(Transfer.Kind kind) {
        return kind == Transfer.Kind.WRITE;
    }

    @Override
    protected void accept(Transfer t) {
        queue.schedule(Event.of(Priority.RELEASE, now -> complete(t)), queue.now() + latency);
    }
}
