package dev.questj.machine;

import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.SplittableRandom;

/**
 * A device gone bad ("white rabbit"): it attempts DMA writes to random host-physical frames and
 * forged message-signalled interrupts with random vectors and destination PCPUs, at Poisson rates.
 * Whether they land is the machine's protections' business: every attempt goes through the
 * {@link DmaGuard} (the IOMMU) or the {@link MsiGuard} (interrupt remapping).
 */
public final class RogueDevice extends Device {
    /** Checks and performs a device's DMA write. */
    public interface DmaGuard {
        void dma(Device device, long hostAddress, long bytes, long now);
    }

    /** Checks and delivers a device's message-signalled interrupt. */
    public interface MsiGuard {
        void msi(Device device, int vector, int destinationPcpu, long now);
    }

    private final SplittableRandom random;
    private final double dmaGap;
    private final double msiGap;
    private DmaGuard dmaGuard;
    private MsiGuard msiGuard;
    private final Event dmaEvent = new Event(Priority.RELEASE) {
        @Override
        public void fire(long now) {
            long frames = machine.memory().frames();
            long addr = random.nextLong(frames) * PhysicalMemory.FRAME_SIZE;
            if (dmaGuard != null) {
                dmaGuard.dma(RogueDevice.this, addr, 64, now);
            }
            queue.schedule(this, now + gap(dmaGap));
        }
    };
    private final Event msiEvent = new Event(Priority.RELEASE) {
        @Override
        public void fire(long now) {
            int vector = 32 + random.nextInt(224);
            int dest = random.nextInt(machine.pcpus().size());
            if (msiGuard != null) {
                msiGuard.msi(RogueDevice.this, vector, dest, now);
            }
            queue.schedule(this, now + gap(msiGap));
        }
    };

    public RogueDevice(String name, Machine machine, int irqPcpu, SplittableRandom random, double dmaPerSecond,
            double msiPerSecond) {
        super(name, "rogue", machine, irqPcpu);
        this.random = random;
        double hz = machine.clock().hz();
        this.dmaGap = dmaPerSecond > 0 ? hz / dmaPerSecond : 0;
        this.msiGap = msiPerSecond > 0 ? hz / msiPerSecond : 0;
    }

    public void setGuards(DmaGuard dma, MsiGuard msi) {
        this.dmaGuard = dma;
        this.msiGuard = msi;
    }

    private long gap(double mean) {
        return Math.max(1, Math.round(-mean * Math.log(1.0 - random.nextDouble())));
    }

    @Override
    public void start() {
        if (dmaGap > 0) {
            queue.schedule(dmaEvent, queue.now() + gap(dmaGap));
        }
        if (msiGap > 0) {
            queue.schedule(msiEvent, queue.now() + gap(msiGap));
        }
    }

    @Override
    public boolean supports(Transfer.Kind kind) {
        return false;
    }

    @Override
    protected void accept(Transfer t) {
        throw new IllegalArgumentException("device " + name() + " takes no requests");
    }
}
