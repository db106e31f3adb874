package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** PIBS pinned to hand-worked cases of QUEST-ALGORITHMS.md section 3 (U = 1/10 unless said). */
class PibsServerTest {

    private static PibsServer tenPercent() {
        return new PibsServer(1, 10, 10_000);
    }

    @Test
    void startsWithNothing() {
        PibsServer s = tenPercent();
        assertThat(s.eligibility()).isZero();
        assertThat(s.hasReplenishment()).isFalse();
        assertThat(s.isBudgeted()).isFalse();
        s.updateBudget(0);
        assertThat(s.budget()).isZero();
    }

    @Test
    void aFirstInterruptInheritsThePeriodAndGrantsOneCmaxAtTheEligibilityTime() {
        PibsServer s = tenPercent();
        assertThat(s.onInterrupt(100, 1000, true)).isTrue();
        assertThat(s.period()).isEqualTo(1000);
        assertThat(s.cmax()).isEqualTo(100);
        assertThat(s.eligibility()).isEqualTo(100);
        assertThat(s.replenishmentTime()).isEqualTo(100);
        assertThat(s.replenishmentAmount()).isEqualTo(100);
        assertThat(s.isBudgeted()).isTrue();
        s.updateBudget(100);
        assertThat(s.budget()).isEqualTo(100);
        assertThat(s.hasReplenishment()).isFalse();
    }

    @Test
    void blockingAdvancesEligibilityByUsedOverU() {
        PibsServer s = tenPercent();
        s.onInterrupt(100, 1000, true);
        s.updateBudget(100);
        s.endOfTimeslice(130, 30, true);
        assertThat(s.eligibility()).isEqualTo(400);
        assertThat(s.replenishmentTime()).isEqualTo(400);
        assertThat(s.replenishmentAmount()).isEqualTo(100);
        assertThat(s.budget()).isZero();
        assertThat(s.isBudgeted()).isFalse();
        s.updateBudget(399);
        assertThat(s.budget()).isZero();
        assertThat(s.nextEvent(399)).isEqualTo(400);
    }

    @Test
    void theAdvanceIsRoundedUpSoRoundingNeverHandsOutMoreThanU() {
        PibsServer s = new PibsServer(3, 10, 10_000);
        s.onInterrupt(0, 1000, true);
        s.updateBudget(0);
        s.endOfTimeslice(10, 10, true);
        assertThat(s.eligibility()).isEqualTo(34); // 10 / 0.3 = 33.3...
    }

    @Test
    void runningOutOfBudgetWithoutBlockingPostsTheNextCmaxAtTheNewEligibility() {
        PibsServer s = tenPercent();
        s.onInterrupt(0, 1000, true);
        s.updateBudget(0);
        s.endOfTimeslice(100, 100, false);
        assertThat(s.eligibility()).isEqualTo(1000);
        assertThat(s.replenishmentTime()).isEqualTo(1000);
        assertThat(s.isBudgeted()).as("still busy: no new eligibility period was opened").isTrue();
        s.updateBudget(1000);
        assertThat(s.budget()).isEqualTo(100);
    }

    @Test
    void aWakeUpBeforeTheEligibilityTimeWaitsForIt() {
        PibsServer s = tenPercent();
        s.onInterrupt(100, 1000, true);
        s.updateBudget(100);
        s.endOfTimeslice(130, 30, true);
        s.onInterrupt(200, 1000, true);
        assertThat(s.eligibility()).isEqualTo(400);
        assertThat(s.replenishmentTime()).isEqualTo(400);
        assertThat(s.isBudgeted()).isTrue();
        s.updateBudget(200);
        assertThat(s.budget()).isZero();
        assertThat(s.nextEvent(200)).isEqualTo(400);
    }

    @Test
    void theBudgetedFlagStopsASecondCmaxWithinOneEligibilityPeriod() {
        PibsServer s = tenPercent();
        s.onInterrupt(100, 1000, true);
        s.onInterrupt(5000, 1000, true); // idle again, but already budgeted: no second grant
        assertThat(s.eligibility()).isEqualTo(100);
        assertThat(s.replenishmentTime()).isEqualTo(100);
        s.updateBudget(5000);
        assertThat(s.budget()).isEqualTo(100);
    }

    @Test
    void inheritanceRaisesThePriorityWhileBusyAndKeepsItUntilIdle() {
        PibsServer s = tenPercent();
        s.onInterrupt(0, 1000, true);
        s.updateBudget(0);
        assertThat(s.onInterrupt(10, 500, false)).isTrue();
        assertThat(s.period()).isEqualTo(500);
        assertThat(s.onInterrupt(20, 2000, false)).isFalse();
        assertThat(s.period()).as("a longer requester does not lower a busy I/O VCPU").isEqualTo(500);
        s.endOfTimeslice(30, 30, true);
        assertThat(s.onInterrupt(400, 2000, true)).isTrue();
        assertThat(s.period()).as("idle: the period follows the requester, up or down").isEqualTo(2000);
        assertThat(s.periodsSeen()).containsExactly(500L, 1000L, 2000L);
    }

    @Test
    void whenThePeriodDropsWhatItHoldsIsClampedToTheNewCmax() {
        PibsServer s = tenPercent();
        s.onInterrupt(0, 1000, true);
        s.updateBudget(0);
        assertThat(s.budget()).isEqualTo(100);
        s.onInterrupt(5, 300, false);
        assertThat(s.cmax()).isEqualTo(30);
        assertThat(s.budget()).isEqualTo(30);
        s.endOfTimeslice(35, 30, false);
        assertThat(s.replenishmentAmount()).isEqualTo(30);
        s.onInterrupt(40, 100, false);
        assertThat(s.replenishmentAmount()).as("a pending replenishment is clamped too").isEqualTo(10);
    }
}
