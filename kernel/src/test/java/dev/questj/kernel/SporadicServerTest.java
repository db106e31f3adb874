package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sporadic server pinned to hand-worked cases of QUEST-ALGORITHMS.md section 2. */
class SporadicServerTest {

    private static String list(SporadicServer s) {
        return s.replenishments().toString();
    }

    @Test
    void wholeBudgetUsedIsRepostedOnePeriodAfterItBecameAvailable() {
        SporadicServer s = new SporadicServer(2, 10, 32, 0);
        s.updateBudget(0);
        assertThat(s.budget()).isEqualTo(2);
        s.endOfTimeslice(2, 2, false);
        assertThat(list(s)).isEqualTo("[(10, 2)]");
        assertThat(s.usage()).isZero();
        assertThat(s.budget()).isZero();
        assertThat(s.nextEvent(2)).isEqualTo(10);
        s.updateBudget(10);
        assertThat(s.budget()).isEqualTo(2);
        s.checkInvariants();
    }

    @Test
    void blockingMidBudgetSplitsTheHead() {
        SporadicServer s = new SporadicServer(4, 10, 32, 0);
        s.endOfTimeslice(1, 1, true);
        assertThat(list(s)).isEqualTo("[(0, 3), (10, 1)]");
        assertThat(s.usage()).isZero();
        assertThat(s.budget()).isEqualTo(3);
        s.checkInvariants();
    }

    @Test
    void wakeUpMovesTheHeadToNowAndMergesWhatFallsDueBeforeItIsSpent() {
        SporadicServer s = new SporadicServer(4, 10, 32, 0);
        s.endOfTimeslice(1, 1, true);
        s.unblock(8);
        assertThat(list(s)).isEqualTo("[(8, 4)]");
        s.updateBudget(8);
        assertThat(s.budget()).isEqualTo(4);
        s.checkInvariants();
    }

    @Test
    void wakeUpKeepsLaterEntriesSeparate() {
        SporadicServer s = new SporadicServer(4, 10, 32, 0);
        s.endOfTimeslice(1, 1, true);
        s.unblock(5);
        assertThat(list(s)).isEqualTo("[(5, 3), (10, 1)]");
    }

    @Test
    void wakeUpWithoutCapacityStaysIneligibleUntilTheHeadsTime() {
        SporadicServer s = new SporadicServer(2, 10, 32, 0);
        s.endOfTimeslice(2, 2, true);
        s.unblock(4);
        assertThat(list(s)).isEqualTo("[(10, 2)]");
        s.updateBudget(4);
        assertThat(s.budget()).isZero();
        assertThat(s.nextEvent(4)).isEqualTo(10);
    }

    @Test
    void anOverrunDelaysTheNextChunkByTheOverrun() {
        SporadicServer s = new SporadicServer(2, 10, 32, 0);
        s.endOfTimeslice(3, 3, false);
        assertThat(list(s)).isEqualTo("[(11, 2)]");
        assertThat(s.usage()).isEqualTo(1);
        s.updateBudget(11);
        assertThat(s.budget()).isEqualTo(1);
        s.checkInvariants();
    }

    @Test
    void anOverrunThatReachesTheNextEntryMergesWithIt() {
        SporadicServer s = new SporadicServer(4, 10, 32, 0);
        s.endOfTimeslice(2, 2, true);
        assertThat(list(s)).isEqualTo("[(0, 2), (10, 2)]");
        s.unblock(3);
        assertThat(list(s)).isEqualTo("[(3, 2), (10, 2)]");
        s.endOfTimeslice(6, 3, false);
        assertThat(list(s)).isEqualTo("[(11, 4)]");
        assertThat(s.usage()).isEqualTo(1);
        s.checkInvariants();
    }

    @Test
    void aFullListFoldsTheRemnantIntoTheNextEntry() {
        SporadicServer s = new SporadicServer(4, 10, 2, 0);
        s.endOfTimeslice(1, 1, true);
        assertThat(list(s)).isEqualTo("[(0, 3), (10, 1)]");
        assertThat(s.replenishments().isFull()).isTrue();
        s.unblock(2);
        assertThat(list(s)).isEqualTo("[(2, 3), (10, 1)]");
        s.endOfTimeslice(3, 1, true);
        assertThat(list(s)).isEqualTo("[(10, 3), (12, 1)]");
        s.updateBudget(3);
        assertThat(s.budget()).isZero();
        assertThat(s.nextEvent(3)).isEqualTo(10);
        s.checkInvariants();
    }

    @Test
    void chargingWithoutBlockingKeepsUsageAgainstTheHead() {
        SporadicServer s = new SporadicServer(4, 10, 32, 0);
        s.endOfTimeslice(1, 1, false);
        assertThat(list(s)).isEqualTo("[(0, 4)]");
        assertThat(s.usage()).isEqualTo(1);
        assertThat(s.budget()).isEqualTo(3);
        s.endOfTimeslice(4, 3, false);
        assertThat(list(s)).isEqualTo("[(10, 4)]");
        assertThat(s.budget()).isZero();
    }

    @Test
    void postsAreObserved() {
        SporadicServer s = new SporadicServer(4, 10, 32, 0);
        StringBuilder seen = new StringBuilder();
        s.setObserver((now, time, amount) -> seen.append(now).append(':').append(time).append('+').append(amount).append(' '));
        s.endOfTimeslice(1, 1, true);
        s.unblock(3);
        s.endOfTimeslice(6, 3, false);
        assertThat(seen.toString().trim()).isEqualTo("1:10+1 6:13+3");
    }
}
