package dev.questj.machine;

import dev.questj.sim.Event;
import dev.questj.sim.EventQueue;
import dev.questj.sim.Priority;
import java.util.ArrayDeque;

/**
 * A device: it takes requests, finishes them after its own latency, moves their data into its DMA
 * region of physical memory, and raises an interrupt on the one PCPU it is routed to. Completed
 * transfers wait in a queue until the driver's top half drains them; interrupts raised while one is
 * pending coalesce.
 */
public abstract class Device {
    private final String name;
    private final String type;
    protected final Machine machine;
    protected final EventQueue queue;
    private final Pcpu irqTarget;
    private final ArrayDeque<Transfer> completed = new ArrayDeque<>();
    private final Event irq;
    /** DMA region in host-physical memory: [dmaBase, dmaBase + dmaSize). */
    private long dmaBase;
    private long dmaSize;
    private long dmaCursor;

    private long requests;
    private long interrupts;
    private long bytes;
    private long dropped;

    protected Device(String name, String type, Machine machine, int irqPcpu) {
        this.name = name;
        this.type = type;
        this.machine = machine;
        this.queue = machine.queue();
        this.irqTarget = machine.pcpu(irqPcpu);
        this.irq = new Event(Priority.IPI) {
            @Override
            public void fire(long now) {
                interrupts++;
                irqTarget.deliverInterrupt(Device.this, now);
            }
        };
    }

    public String name() {
        return name;
    }

    /** The device class: nic, disk, sensor, actuator, serial. */
    public String type() {
        return type;
    }

    /** The PCPU its interrupts are routed to. */
    public int irqPcpu() {
        return irqTarget.id();
    }

    /** Gives the device its DMA region (a ring it writes into). */
    public void setDmaRegion(long base, long size) {
        this.dmaBase = base;
        this.dmaSize = size;
        this.dmaCursor = 0;
    }

    /** Starts autonomous activity (packet arrivals); requests need no start. */
    public void start() {}

    /** Takes a request; throws IllegalArgumentException if this device cannot do that kind. */
    public final void submit(Transfer t) {
        requests++;
        accept(t);
    }

    protected abstract void accept(Transfer t);

    /** Whether the device accepts requests of this kind. */
    public abstract boolean supports(Transfer.Kind kind);

    /** The work is done: move its data by DMA, queue it for the driver and interrupt. */
    protected final void complete(Transfer t) {
        long now = queue.now();
        t.markCompleted(now);
        bytes += t.bytes();
        if (t.kind() == Transfer.Kind.READ || t.kind() == Transfer.Kind.RECEIVE) {
            dma(t.bytes());
        }
        completed.addLast(t);
        if (!irq.isScheduled()) {
            queue.schedule(irq, now);
        }
    }

    /** A packet or sample that could not be taken (a full ring): counted, never silent. */
    protected final void drop() {
        dropped++;
    }

    private void dma(long len) {
        if (dmaSize == 0) {
            return;
        }
        long remaining = Math.min(len, dmaSize);
        while (remaining > 0) {
            long n = Math.min(remaining, dmaSize - dmaCursor);
            machine.memory().fill(dmaBase + dmaCursor, n, (byte) 0x5a);
            dmaCursor = (dmaCursor + n) % dmaSize;
            remaining -= n;
        }
    }

    /** The driver's top half takes the next completed transfer, or null. */
    public Transfer pollCompleted() {
        return completed.pollFirst();
    }

    /**
     * The driver is done with {@code t} (its bottom half ran): a NIC frees the transfer's receive-ring
     * slot only now, so a flood the bottom half cannot keep up with fills the ring and is dropped at
     * the device, as on real hardware.
     */
    public void release(Transfer t) {}

    public long requests() {
        return requests;
    }

    public long interrupts() {
        return interrupts;
    }

    /** Bytes moved by completed transfers. */
    public long bytes() {
        return bytes;
    }

    public long dropped() {
        return dropped;
    }

    /** Cycles to move {@code bytes} at {@code bytesPerSecond}, rounded up. */
    protected final long transferCycles(long bytes, long bytesPerSecond) {
        long hz = machine.clock().hz();
        return Math.max(1, Math.ceilDiv(Math.multiplyExact(bytes, hz), bytesPerSecond));
    }

    @Override
    public String toString() {
        return name;
    }
}
