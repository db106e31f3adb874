package dev.questj.machine;

import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.ArrayList;
import java.util.List;

/**
 * A sensor that samples every {@code period} cycles (at 0, period, 2 period, ...); a read completes
 * with the first sample after it was issued, when the sample is moved into memory by DMA.
 */
public final class Sensor extends Device {
    private final long period;
    private final long sampleBytes;
    private final List<Transfer> pending = new ArrayList<>();
    private final Event sample = new Event(Priority.RELEASE) {
        @Override
        public void fire(long now) {
            List<Transfer> ready = new ArrayList<>(pending);
            pending.clear();
            for (Transfer t : ready) {
                complete(t);
            }
        }
    };

    public Sensor(String name, Machine machine, int irqPcpu, long period, long sampleBytes) {
        super(name, "sensor", machine, irqPcpu);
        if (period <= 0 || sampleBytes <= 0) {
            throw new IllegalArgumentException("sensor " + name + ": period and sample size must be positive");
        }
        this.period = period;
        this.sampleBytes = sampleBytes;
    }

    @Override
    public boolean supports(Transfer.Kind kind) {
        return kind == Transfer.Kind.READ;
    }

    @Override
    protected void accept(Transfer t) {
        pending.add(t);
        if (!sample.isScheduled()) {
            queue.schedule(sample, (queue.now() / period + 1) * period);
        }
    }

    public long sampleBytes() {
        return sampleBytes;
    }
}
