package dev.questj.kernel;

/**
 * Cycles the kernel itself costs, all zero by default (the ideal scheduler of the analysis).
 *
 * <p>Charged as the core's time before the chosen thread makes progress, and to the budget of the
 * VCPU that runs next, as Quest charges everything since the last schedule to the running VCPU:
 * {@code schedule} on every scheduling pass, {@code contextSwitch} whenever the thread on the core
 * changes, {@code timerInterrupt} when the core's one-shot timer expires, {@code ipi} when an
 * inter-processor interrupt is handled (an IPI is also delivered {@code ipi} cycles after it is sent).
 * Time charged while the core is idle is simply lost.
 */
public record OverheadModel(long contextSwitch, long schedule, long timerInterrupt, long ipi) {
    public static final OverheadModel NONE = new OverheadModel(0, 0, 0, 0);

    public OverheadModel {
        if (contextSwitch < 0 || schedule < 0 || timerInterrupt < 0 || ipi < 0) {
            throw new IllegalArgumentException("overheads cannot be negative");
        }
    }
}
