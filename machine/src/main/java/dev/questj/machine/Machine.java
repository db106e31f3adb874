package dev.questj.machine;

import dev.questj.sim.Clock;
import dev.questj.sim.EventQueue;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The virtual multicore: {@code cores} cores of {@code smt} hardware threads each, all at one
 * frequency, sharing one event queue (one simulated clock).
 */
public final class Machine {
    private final EventQueue queue;
    private final Clock clock;
    private final int cores;
    private final int smt;
    private final List<Pcpu> pcpus;
    private final PhysicalMemory memory;

    /** A machine with 256 MiB of memory. */
    public Machine(int cores, int smt, long frequencyHz) {
        this(cores, smt, frequencyHz, 256L << 20);
    }

    public Machine(int cores, int smt, long frequencyHz, long memoryBytes) {
        if (cores < 1) {
            throw new IllegalArgumentException("a machine needs at least one core, got " + cores);
        }
        if (smt < 1 || smt > 2) {
            throw new IllegalArgumentException("smt must be 1 or 2 hardware threads per core, got " + smt);
        }
        this.queue = new EventQueue();
        this.clock = new Clock(frequencyHz);
        this.memory = new PhysicalMemory(memoryBytes);
        this.cores = cores;
        this.smt = smt;
        this.pcpus = IntStream.range(0, cores * smt)
                .mapToObj(i -> new Pcpu(i, i / smt, i % smt, queue))
                .toList();
    }

    public EventQueue queue() {
        return queue;
    }

    public Clock clock() {
        return clock;
    }

    public int cores() {
        return cores;
    }

    public int smt() {
        return smt;
    }

    public List<Pcpu> pcpus() {
        return pcpus;
    }

    public Pcpu pcpu(int id) {
        return pcpus.get(id);
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public long now() {
        return queue.now();
    }
}
