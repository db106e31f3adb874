package dev.questj.system.config;

/** An execution-time distribution, in cycles; drawn from the thread's own seeded stream. */
public sealed interface ExecTime {
    record Constant(long cycles) implements ExecTime {}

    record Uniform(long min, long max) implements ExecTime {}

    /** Normal, clamped to [min, max]. */
    record Normal(long mean, long sd, long min, long max) implements ExecTime {}
}
