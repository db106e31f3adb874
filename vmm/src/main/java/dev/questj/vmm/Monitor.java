package dev.questj.vmm;

/**
 * A sandbox's monitor: it boots the sandbox, owns its EPT, handles its VM exits and sets up
 * channels. Between boot and a fault it is not needed: steady state takes no exit.
 */
public final class Monitor {
    /** Why the sandbox exited to its monitor. */
    public enum ExitReason {
        EPT_VIOLATION("eptViolation"), HYPERCALL("hypercall"), CONFIG_SPACE("configSpace"),
        INTERRUPT_ROUTING("interruptRouting"), PANIC("panic"), WATCHDOG("watchdog");

        private final String label;

        ExitReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final long[] exits = new long[ExitReason.values().length];
    private long exitsAfterBoot;
    private boolean booted;
    private boolean present = true;
    private int recoveries;

    void exit(ExitReason reason) {
        exits[reason.ordinal()]++;
        if (booted) {
            exitsAfterBoot++;
        }
    }

    void bootDone() {
        booted = true;
    }

    void remove() {
        present = false;
    }

    void recovered() {
        recoveries++;
    }

    /** Times it restored its sandbox after a fault. */
    public int recoveries() {
        return recoveries;
    }

    /** Whether the monitor is still there (static mode can remove it after boot). */
    public boolean isPresent() {
        return present;
    }

    public long exits(ExitReason reason) {
        return exits[reason.ordinal()];
    }

    public long exitsAfterBoot() {
        return exitsAfterBoot;
    }
}
