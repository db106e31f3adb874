package dev.questj.guest.examples;

import dev.questj.guest.GuestApi;
import dev.questj.guest.GuestProgram;

/**
 * An example guest program (examples/migration-guest.yaml): a control loop that, after a number of
 * jobs, asks to move itself to another Quest-V sandbox ({@link GuestApi#migrate}) and goes on
 * wherever it then is. Args:
 * <ul>
 *   <li>{@code to}: the sandbox to move to (required)</li>
 *   <li>{@code after}: the job after which it asks (default 100)</li>
 *   <li>{@code execUs}: microseconds of computation per period (default 500)</li>
 * </ul>
 * Needs a {@code period} in its thread's config. It asks once: a refusal is logged and it stays.
 */
public final class MovingController implements GuestProgram {
    static final double DEFAULT_AFTER = 100;

    @Override
    public void run(GuestApi q) {
        String to = q.args().get("to");
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("arg to (the sandbox to move to) is required");
        }
        long exec = q.micros(Controller.number(q, "execUs", Controller.DEFAULT_EXEC_US));
        long after = (long) Controller.number(q, "after", DEFAULT_AFTER);
        for (long job = 1; ; job++) {
            q.compute(exec);
            if (job == after) {
                // ends this job; returns when the next one is released, in sandbox `to` if moved
                boolean moved = q.migrate(to);
                q.log(moved ? "after job " + job + ": moved to sandbox " + to
                        : "after job " + job + ": the move to sandbox " + to + " was refused; staying");
            } else {
                q.waitForNextPeriod();
            }
        }
    }
}
