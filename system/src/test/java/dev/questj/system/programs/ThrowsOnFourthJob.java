package dev.questj.system.programs;

import dev.questj.guest.GuestApi;
import dev.questj.guest.GuestProgram;

/** Three good jobs, then a bug: an exception thrown in the middle of the fourth. */
public final class ThrowsOnFourthJob implements GuestProgram {
    @Override
    public void run(GuestApi q) {
        for (int job = 1; ; job++) {
            q.compute(q.micros(100));
            if (job == 4) {
                throw new IllegalStateException("sensor lost");
            }
            q.waitForNextPeriod();
        }
    }
}
