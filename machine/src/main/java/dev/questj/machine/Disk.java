package dev.questj.machine;

import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.ArrayDeque;

/** A disk: requests are served one at a time, FIFO, each taking seek + size / bandwidth. */
public final class Disk extends Device {
    private final long seekCycles;
    private final long bandwidth;
    private final ArrayDeque<Transfer> waiting = new ArrayDeque<>();
    private Transfer serving;
    private final Event done = new Event(Priority.RELEASE) {
        @Override
        public void fire(long now) {
            Transfer t = serving;
            serving = null;
            complete(t);
            startNext();
        }
    };

    public Disk(String name, Machine machine, int irqPcpu, long seekCycles, long bandwidth) {
        super(name, "disk", machine, irqPcpu);
        if (seekCycles < 0 || bandwidth <= 0) {
            throw new IllegalArgumentException("disk " + name + ": seek must not be negative, bandwidth positive");
        }
        this.seekCycles = seekCycles;
        this.bandwidth = bandwidth;
    }

    @Override
    public boolean supports(Transfer.Kind kind) {
        return kind == Transfer.Kind.READ || kind == Transfer.Kind.WRITE;
    }

    @Override
    protected void accept(Transfer t) {
        waiting.addLast(t);
        if (serving == null) {
            startNext();
        }
    }

    private void startNext() {
        serving = waiting.pollFirst();
        if (serving != null) {
            queue.schedule(done, queue.now() + seekCycles + transferCycles(serving.bytes(), bandwidth));
        }
    }
}
