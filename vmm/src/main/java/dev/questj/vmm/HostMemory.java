package dev.questj.vmm;

import dev.questj.machine.PhysicalMemory;

/**
 * Who owns each 4 KiB host-physical frame: a sandbox's region, a monitor's memory, a sandbox's EPT
 * tables, or a channel's shared frames. Regions are handed out contiguously from the bottom of
 * memory at boot; the map is the ground truth for counting breaches.
 */
public final class HostMemory {
    /** What a frame belongs to. */
    public enum Kind { FREE, SANDBOX, MONITOR, EPT, CHANNEL }

    private final PhysicalMemory memory;
    private final byte[] kinds;
    private final int[] owners;
    private long nextFrame;

    public HostMemory(PhysicalMemory memory) {
        this.memory = memory;
        int frames = Math.toIntExact(memory.frames());
        this.kinds = new byte[frames];
        this.owners = new int[frames];
    }

    public PhysicalMemory memory() {
        return memory;
    }

    /** Allocates {@code bytes} (rounded up to frames) for {@code owner}; returns the base address. */
    public long allocate(Kind kind, int owner, long bytes) {
        long frames = Math.ceilDiv(bytes, PhysicalMemory.FRAME_SIZE);
        if (nextFrame + frames > kinds.length) {
            throw new IllegalStateException("host memory exhausted: " + bytes + " more bytes for " + kind + " " + owner);
        }
        long base = nextFrame;
        for (long f = base; f < base + frames; f++) {
            kinds[(int) f] = (byte) kind.ordinal();
            owners[(int) f] = owner;
        }
        nextFrame += frames;
        return base * PhysicalMemory.FRAME_SIZE;
    }

    public Kind kindOf(long frame) {
        return Kind.values()[kinds[(int) frame]];
    }

    public int ownerOf(long frame) {
        return owners[(int) frame];
    }

    public long frames() {
        return kinds.length;
    }

    /** A random frame of the given kind not owned by {@code exceptOwner} (for probes), or -1. */
    public long randomFrame(Kind kind, int exceptOwner, java.util.SplittableRandom random) {
        for (int tries = 0; tries < 64; tries++) {
            long f = random.nextLong(nextFrame == 0 ? 1 : nextFrame);
            if (kindOf(f) == kind && (kind != Kind.SANDBOX || ownerOf(f) != exceptOwner)) {
                return f;
            }
        }
        for (long f = 0; f < nextFrame; f++) {
            if (kindOf(f) == kind && (kind != Kind.SANDBOX || ownerOf(f) != exceptOwner)) {
                return f;
            }
        }
        return -1;
    }
}
