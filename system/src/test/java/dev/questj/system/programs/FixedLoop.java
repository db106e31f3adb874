package dev.questj.system.programs;

import dev.questj.guest.GuestApi;
import dev.questj.guest.GuestProgram;

/** Computes {@code execUs} microseconds (arg, default 800) every period. */
public final class FixedLoop implements GuestProgram {
    @Override
    public void run(GuestApi q) {
        long exec = q.micros(Double.parseDouble(q.args().getOrDefault("execUs", "800")));
        while (true) {
            q.compute(exec);
            q.waitForNextPeriod();
        }
    }
}
