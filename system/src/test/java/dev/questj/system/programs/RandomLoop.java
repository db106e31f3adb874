package dev.questj.system.programs;

import dev.questj.guest.GuestApi;
import dev.questj.guest.GuestProgram;

/** Computes a random 200 to 900 microseconds every period, drawn from the thread's seeded stream. */
public final class RandomLoop implements GuestProgram {
    @Override
    public void run(GuestApi q) {
        while (true) {
            q.compute(q.micros(200 + q.random().nextInt(701)));
            q.waitForNextPeriod();
        }
    }
}
