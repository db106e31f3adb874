package dev.questj.kernel;

import dev.questj.guest.GuestContext;

/**
 * Migration as a kernel sees it: a thread's own request ({@link GuestContext#migrate}) to move to
 * another sandbox. Quest-V's monitors and migration threads live in the vmm layer, which implements
 * this; a kernel without sandboxes (SMP mode) has {@link #NONE}, which refuses every request.
 */
public interface Migrator {
    /** The request goes on: the kernel puts the thread to sleep until its resume time, the answer comes in its lastStatus. */
    int PENDING = -1;

    /**
     * Thread {@code t}, running at {@code now}, asks to move to sandbox {@code sandbox} and to run
     * again at {@code resumeAt}. Returns {@link GuestContext#STATUS_REFUSED} (refused at once: the
     * thread stays) or {@link #PENDING} (the thread sleeps until {@code resumeAt} where it is; a
     * migration that goes ahead moves it, wake-up included, and answers {@link GuestContext#STATUS_OK}
     * before it wakes; a refusal answers {@link GuestContext#STATUS_REFUSED}).
     *
     * @throws IllegalArgumentException when no sandbox has that name (the kernel makes it a guest fault)
     */
    int migrate(KThread t, String sandbox, long resumeAt, long now);

    /** No sandboxes (SMP mode): every request is refused at once, logged and reported as a {@code migrate-refused} event. */
    Migrator NONE = (t, sandbox, resumeAt, now) -> {
        String why = "migration to " + sandbox + " refused: no monitor to ask (SMP mode has no sandboxes)";
        t.kernel().sink().event(now, t.vcpu().pcpuId(), "migrate-refused", t.vcpu(), t, t.name() + ": " + why);
        t.log(why);
        return GuestContext.STATUS_REFUSED;
    };
}
