package dev.questj.vmm;

import dev.questj.machine.PhysicalMemory;
import java.util.HashMap;
import java.util.Map;

/**
 * A sandbox's extended page table: identity-style guest-physical to host-physical mapping at 4 KiB
 * granularity with read, write and execute permissions per page. Its own region is read-write,
 * except the kernel text (read and execute); shared frames appear only as granted; everything else
 * (other sandboxes, the monitors, the EPT tables themselves) is unmapped. Only the monitor changes it.
 */
public final class Ept {
    public static final byte R = 1;
    public static final byte W = 2;
    public static final byte X = 4;

    private final long regionStart;
    private final long regionEnd;
    private final long textEnd;
    /** Shared frames granted by the monitor: frame number to permissions. Only looked up. */
    private final Map<Long, Byte> granted = new HashMap<>();

    /** Own region [start, end) frames, of which [start, textEnd) hold the kernel text. */
    Ept(long regionStartFrame, long regionEndFrame, long textEndFrame) {
        this.regionStart = regionStartFrame;
        this.regionEnd = regionEndFrame;
        this.textEnd = textEndFrame;
    }

    /** The permissions of guest-physical frame {@code frame} (0: unmapped). */
    public byte permissions(long frame) {
        if (frame >= regionStart && frame < regionEnd) {
            return frame < textEnd ? (byte) (R | X) : (byte) (R | W);
        }
        Byte p = granted.get(frame);
        return p == null ? 0 : p;
    }

    public boolean allows(long address, boolean write) {
        byte p = permissions(address / PhysicalMemory.FRAME_SIZE);
        return (p & (write ? W : R)) != 0;
    }

    void grant(long frame, byte permissions) {
        granted.put(frame, permissions);
    }

    void revoke(long frame) {
        granted.remove(frame);
    }

    /** Shared frames mapped into this EPT. */
    public int sharedFrames() {
        return granted.size();
    }

    public boolean isShared(long frame) {
        return granted.containsKey(frame);
    }
}
