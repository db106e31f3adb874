package dev.questj.kernel;

import dev.questj.guest.Guest;
import dev.questj.guest.GuestContext;
import java.util.SplittableRandom;

/**
 * A test guest with irregular demand: it computes a random number of cycles, then (with some
 * probability) sleeps a random number of cycles, and very rarely exits. This is the load a sporadic
 * server exists for: blocking mid-budget (split-check), waking with part of the budget left
 * (unblock-check) and exhausting the budget (budget-check) all happen at random instants.
 *
 * <p>All draws come from the thread's own seeded stream, so a failing case is replayed exactly from
 * its seed.
 */
record BurstyGuest(int maxCompute, int maxSleep, int sleepPercent, int exitPermille) implements Guest {
    BurstyGuest {
        if (maxCompute < 1 || maxSleep < 1) {
            throw new IllegalArgumentException("bursty guest needs maxCompute and maxSleep >= 1");
        }
    }

    /** Stateless apart from the thread's random stream, so one instance may serve several threads. */
    @Override
    public void next(GuestContext ctx) {
        SplittableRandom r = ctx.random();
        if (exitPermille > 0 && r.nextInt(1000) < exitPermille) {
            ctx.exit();
            return;
        }
        // Sleep with the given probability (two sleeps in a row make a wake-up that does not make the
        // thread runnable); a sleep always lies in the future (>= 1 cycle), so every call either
        // blocks or computes and the kernel never sees a zero-time loop.
        if (r.nextInt(100) < sleepPercent) {
            ctx.sleepUntil(ctx.now() + 1 + r.nextInt(maxSleep));
        } else {
            ctx.compute(1 + r.nextInt(maxCompute));
        }
    }
}
