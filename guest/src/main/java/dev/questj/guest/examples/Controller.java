package dev.questj.guest.examples;

import dev.questj.guest.GuestApi;
import dev.questj.guest.GuestProgram;

/**
 * An example guest program (examples/java-program.yaml): a control loop that computes for a fixed
 * time each period and logs every 100th job. Args, all optional:
 * <ul>
 *   <li>{@code execUs}: microseconds of computation per period (default 500)</li>
 *   <li>{@code logEvery}: log every this many jobs (default 100; 0 turns logging off)</li>
 * </ul>
 * Needs a {@code period} in its thread's config: the loop waits for the next period between jobs.
 */
public final class Controller implements GuestProgram {
    static final double DEFAULT_EXEC_US = 500;
    static final long DEFAULT_LOG_EVERY = 100;

    @Override
    public void run(GuestApi q) {
        long exec = q.micros(number(q, "execUs", DEFAULT_EXEC_US));
        long logEvery = (long) number(q, "logEvery", DEFAULT_LOG_EVERY);
        for (long job = 1; ; job++) {
            q.compute(exec);
            if (logEvery > 0 && job % logEvery == 0) {
                q.log("job " + job + " done at cycle " + q.now());
            }
            q.waitForNextPeriod();
        }
    }

    /** A numeric arg, or its default; a bad value is an error the run reports as this guest's fault. */
    static double number(GuestApi q, String name, double byDefault) {
        String text = q.args().get(name);
        if (text == null) {
            return byDefault;
        }
        try {
            double v = Double.parseDouble(text);
            if (v < 0 || !Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("arg " + name + " must be a non-negative number, got \"" + text + "\"");
        }
    }
}
