package dev.questj.kernel;

/** A thread's loads and stores as the MMU, the EPT and the monitor see them (vmm layer). */
public interface MemoryGuard {
    /** Performs an access of 8 bytes; returns OK or FAULT (a {@link dev.questj.guest.GuestContext} status). */
    int access(KThread t, long address, boolean write, long now);

    /** An address in a named region for probing guests, or -1. */
    long addressIn(KThread t, String region);

    /** SMP mode without Quest-V: one kernel owns all memory; every access inside it succeeds. */
    static MemoryGuard flat(long memoryBytes) {
        return new MemoryGuard() {
            @Override
            public int access(KThread t, long address, boolean write, long now) {
                return address >= 0 && address < memoryBytes ? dev.questj.guest.GuestContext.STATUS_OK
                        : dev.questj.guest.GuestContext.STATUS_FAULT;
            }

            @Override
            public long addressIn(KThread t, String region) {
                return region.equals("own") ? t.random().nextLong(memoryBytes / 8) * 8 : -1;
            }
        };
    }
}
