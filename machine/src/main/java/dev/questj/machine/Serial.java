package dev.questj.machine;

import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.function.Consumer;

/** A serial console: writes leave at {@code baud} (10 bits a byte, one after another) and go to the run's log. */
public final class Serial extends Device {
    private final long baud;
    private final Consumer<String> log;
    private long lastEnd;

    public Serial(String name, Machine machine, int irqPcpu, long baud, Consumer<String> log) {
        super(name, "serial", machine, irqPcpu);
        if (baud <= 0) {
            throw new IllegalArgumentException("serial " + name + ": baud must be positive");
        }
        this.baud = baud;
        this.log = log;
    }

    @Override
    public boolean supports(Transfer.Kind kind) {
        return kind == Transfer.Kind.WRITE;
    }

    @Override
    protected void accept(Transfer t) {
        long start = Math.max(queue.now(), lastEnd);
        lastEnd = start + transferCycles(t.bytes() * 10, baud);
        queue.schedule(Event.of(Priority.RELEASE, now -> {
            log.accept(name() + ": " + t.bytes() + " bytes written");
            complete(t);
        }), lastEnd);
    }
}
