package dev.questj.system.programs;

import dev.questj.guest.GuestApi;
import dev.questj.guest.GuestProgram;

/** A program the config cannot create: its only constructor takes an argument. */
public final class NoPublicConstructor implements GuestProgram {
    private final long exec;

    public NoPublicConstructor(long exec) {
        this.exec = exec;
    }

    @Override
    public void run(GuestApi q) {
        q.compute(exec);
    }
}
