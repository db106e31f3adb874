package dev.questj.machine;

import java.util.HashMap;
import java.util.Map;

/**
 * Host-physical memory in 4 KiB frames, sparse: a frame takes Java memory only once written. The
 * map is only looked up, never iterated, so its hash order cannot leak into a run.
 */
public final class PhysicalMemory {
    public static final int FRAME_SIZE = 4096;

    private final long size;
    private final Map<Long, byte[]> frames = new HashMap<>();

    public PhysicalMemory(long size) {
        if (size <= 0 || size % FRAME_SIZE != 0) {
            throw new IllegalArgumentException("memory size must be a positive multiple of 4 KiB, got " + size);
        }
        this.size = size;
    }

    public long size() {
        return size;
    }

    public long frames() {
        return size / FRAME_SIZE;
    }

    /** Frames that have been written at least once. */
    public int framesInUse() {
        return frames.size();
    }

    private byte[] frame(long addr) {
        checkRange(addr, 1);
        return frames.computeIfAbsent(addr / FRAME_SIZE, f -> new byte[FRAME_SIZE]);
    }

    private void checkRange(long addr, long len) {
        if (addr < 0 || len < 0 || addr + len > size) {
            throw new IllegalArgumentException("physical address range [" + addr + ", " + (addr + len) + ") outside memory of " + size + " bytes");
        }
    }

    public byte read(long addr) {
        checkRange(addr, 1);
        byte[] f = frames.get(addr / FRAME_SIZE);
        return f == null ? 0 : f[(int) (addr % FRAME_SIZE)];
    }

    public void write(long addr, byte value) {
        frame(addr)[(int) (addr % FRAME_SIZE)] = value;
    }

    /** Writes {@code len} bytes of {@code value} from {@code addr}, frame by frame. */
    public void fill(long addr, long len, byte value) {
        checkRange(addr, len);
        long a = addr;
        long end = addr + len;
        while (a < end) {
            int off = (int) (a % FRAME_SIZE);
            int n = (int) Math.min(FRAME_SIZE - off, end - a);
            java.util.Arrays.fill(frame(a), off, off + n, value);
            a += n;
        }
    }

    public void write(long addr, byte[] data) {
        checkRange(addr, data.length);
        for (int i = 0; i < data.length; i++) {
            write(addr + i, data[i]);
        }
    }

    public byte[] read(long addr, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = read(addr + i);
        }
        return out;
    }
}
