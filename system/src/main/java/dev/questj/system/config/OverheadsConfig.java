package dev.questj.system.config;

/** Cycles charged for kernel work (all zero by default); see the kernel's OverheadModel. */
public record OverheadsConfig(long contextSwitch, long schedule, long timerInterrupt, long ipi) {
    public static final OverheadsConfig NONE = new OverheadsConfig(0, 0, 0, 0);
}
