package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * A migrating VCPU's state (QUEST-ALGORITHMS.md section 5): exported in the source sandbox's local
 * clock, shifted by the clock offset, imported into the destination's: the replenishment times in
 * the simulator's (global) time come out exactly as they went in.
 */
class VcpuStateTest {
    private static final long C = 2_000;
    private static final long T = 10_000;

    /** A server with a split history: runs 500 at 0, blocks; runs 700 at 3000, blocks; runs 300 at 12000. */
    private static SporadicServer used() {
        SporadicServer s = new SporadicServer(C, T, 32, 0);
        s.updateBudget(0);
        s.endOfTimeslice(500, 500, true);
        s.unblock(3_000);
        s.updateBudget(3_000);
        s.endOfTimeslice(3_700, 700, true);
        s.unblock(12_000);
        s.updateBudget(12_000);
        s.endOfTimeslice(12_300, 300, false);
        s.checkInvariants();
        return s;
    }

    @Test
    void exportedTimesAreOnTheSourceClockAndImportRestoresGlobalTimeExactly() {
        SporadicServer source = used();
        long sourceOffset = 7_000_123;
        long destOffset = -3_000_000;

        VcpuState exported = source.exportState(sourceOffset);
        SporadicServer dest = new SporadicServer(C, T, 32, 0);
        dest.importState(exported.shifted(destOffset - sourceOffset), destOffset);

        for (int i = 0; i < source.replenishments().size(); i++) {
            assertThat(exported.times()[i]).isEqualTo(source.replenishments().time(i) + sourceOffset);
        }
        assertThat(dest.replenishments().toString()).isEqualTo(source.replenishments().toString());
        assertThat(dest.usage()).isEqualTo(source.usage());
        assertThat(dest.budget()).isEqualTo(source.budget());
        assertThat(dest.exportState(0)).isEqualTo(source.exportState(0));
        dest.checkInvariants();
    }

    @Test
    void withoutTheShiftTheTimesWouldBeOffByTheClockDifference() {
        SporadicServer source = used();
        VcpuState exported = source.exportState(5_000);
        SporadicServer dest = new SporadicServer(C, T, 32, 0);

        dest.importState(exported, 1_000); // not shifted: read as if it were the destination's clock

        assertThat(dest.replenishments().time(0)).isEqualTo(source.replenishments().time(0) + 4_000);
    }

    @Test
    void theDestinationNeedsTheSameBudgetAndPeriod() {
        VcpuState exported = used().exportState(0);

        assertThatThrownBy(() -> new SporadicServer(C, 2 * T, 32, 0).importState(exported, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget 2000 and period 10000");
    }

    /** Any history, any two clock offsets: global replenishment times, usage and budget survive the trip. */
    @Property(tries = 300)
    void shiftPreservesTheReplenishmentListInGlobalTime(@ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long a,
            @ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long b,
            @ForAll @IntRange(min = 1, max = 40) int steps, @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        SporadicServer s = new SporadicServer(C, T, 8, 0);
        long now = 0;
        boolean blocked = true;
        for (int i = 0; i < steps; i++) {
            now += 1 + rnd.nextLong(3 * T);
            if (blocked) {
                s.unblock(now);
            }
            s.updateBudget(now);
            long run = s.budget() == 0 ? 0 : 1 + rnd.nextLong(s.budget());
            blocked = rnd.nextBoolean();
            now += run;
            s.endOfTimeslice(now, run, blocked);
        }
        SporadicServer d = new SporadicServer(C, T, 8, 0);

        d.importState(s.exportState(a).shifted(b - a), b);

        assertThat(d.replenishments().toString()).isEqualTo(s.replenishments().toString());
        assertThat(d.usage()).isEqualTo(s.usage());
        assertThat(d.budget()).isEqualTo(s.budget());
        d.checkInvariants();
    }
}
