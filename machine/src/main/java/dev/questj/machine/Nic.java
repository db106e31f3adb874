package dev.questj.machine;

import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.SplittableRandom;

/**
 * A network card. Packets arrive from a {@link PacketSource} into a receive ring of fixed slots; a
 * packet that finds the ring full is dropped (counted). A slot frees when the driver is done with the
 * packet (its bottom half ran). Transmits are serialised at the link's bandwidth.
 */
public final class Nic extends Device {
    private final PacketSource source;
    private final SplittableRandom random;
    private final long bandwidth;
    private final int ringSlots;
    private int ringUsed;
    private long lastTxEnd;
    private final long[] packet = new long[3];
    private final Event arrival = new Event(Priority.RELEASE) {
        @Override
        public void fire(long now) {
            arrive(now);
        }
    };

    public Nic(String name, Machine machine, int irqPcpu, PacketSource source, SplittableRandom random, long bandwidth, int ringSlots) {
        super(name, "nic", machine, irqPcpu);
        if (bandwidth <= 0 || ringSlots <= 0) {
            throw new IllegalArgumentException("NIC " + name + ": bandwidth and ring slots must be positive");
        }
        this.source = source;
        this.random = random;
        this.bandwidth = bandwidth;
        this.ringSlots = ringSlots;
    }

    @Override
    public void start() {
        scheduleNext(-1);
    }

    private void scheduleNext(long last) {
        if (source.next(last, random, packet)) {
            queue.schedule(arrival, Math.max(packet[0], queue.now()));
        }
    }

    private void arrive(long now) {
        long size = packet[1];
        int port = (int) packet[2];
        if (ringUsed < ringSlots) {
            ringUsed++;
            complete(new Transfer(this, Transfer.Kind.RECEIVE, size, port, now));
        } else {
            drop();
        }
        scheduleNext(now);
    }

    @Override
    public void release(Transfer t) {
        if (t.kind() == Transfer.Kind.RECEIVE) {
            ringUsed--;
        }
    }

    @Override
    public boolean supports(Transfer.Kind kind) {
        return kind == Transfer.Kind.TRANSMIT || kind == Transfer.Kind.WRITE;
    }

    @Override
    protected void accept(Transfer t) {
        long start = Math.max(queue.now(), lastTxEnd);
        lastTxEnd = start + transferCycles(t.bytes(), bandwidth);
        queue.schedule(Event.of(Priority.RELEASE, now -> complete(t)), lastTxEnd);
    }

    public int ringSlots() {
        return ringSlots;
    }
}
