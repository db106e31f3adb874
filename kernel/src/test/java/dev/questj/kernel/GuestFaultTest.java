package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.guest.Guest;
import dev.questj.guest.GuestContext;
import dev.questj.machine.Machine;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every guest fault the kernel detects is recorded on the thread, so that the run's results report it. */
class GuestFaultTest {
    private static KThread runOne(Guest guest) {
        Machine m = new Machine(1, 1, 1_000_000);
        Kernel k = new Kernel("", m, List.of(0), new KernelParams(1000, 32, OverheadModel.NONE, true), ScheduleSink.NONE);
        Vcpu v = k.createMainVcpu("v", 2, 10, 0);
        KThread t = k.createThread("t", v, guest, new SplittableRandom(1));
        k.start();
        m.queue().runUntil(100);
        k.finish();
        return t;
    }

    @Test
    void guestThatFaultsItselfIsRecorded() {
        KThread t = runOne(ctx -> ctx.fault("bad pointer"));

        assertThat(t.faultReason()).isEqualTo("bad pointer");
        assertThat(t.state()).isEqualTo(KThread.State.EXITED);
    }

    @Test
    void livelockedGuestIsRecordedAsFaulted() {
        KThread t = runOne(ctx -> ctx.sleepUntil(ctx.now()));

        assertThat(t.faultReason()).startsWith("livelock");
        assertThat(t.state()).isEqualTo(KThread.State.EXITED);
    }

    @Test
    void guestThatChoosesNoActionIsRecordedAsFaulted() {
        KThread t = runOne(ctx -> { });

        assertThat(t.faultReason()).isEqualTo("guest chose no action");
    }

    @Test
    void guestThatChoosesTwoActionsIsRecordedAsFaulted() {
        KThread t = runOne(new Guest() {
            @Override
            public void next(GuestContext ctx) {
                ctx.compute(1);
                ctx.sleepUntil(ctx.now() + 5);
            }
        });

        assertThat(t.faultReason()).startsWith("guest chose two actions in one step");
        assertThat(t.state()).isEqualTo(KThread.State.EXITED);
    }
}
