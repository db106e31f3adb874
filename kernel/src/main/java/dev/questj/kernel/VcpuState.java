package dev.questj.kernel;

import java.util.Arrays;

/**
 * A Main VCPU's sporadic-server state as it travels in a migration (QUEST-ALGORITHMS.md section 5):
 * capacity C, period T, usage u, budget b and the replenishment list R, whose times are read on one
 * sandbox's local clock. {@link #shifted} moves the times to another sandbox's clock.
 */
public record VcpuState(long capacity, long period, long usage, long budget, long[] times, long[] amounts) {
    public VcpuState {
        if (times.length != amounts.length) {
            throw new IllegalArgumentException("times and amounts differ in length");
        }
        times = times.clone();
        amounts = amounts.clone();
    }

    @Override
    public long[] times() {
        return times.clone();
    }

    @Override
    public long[] amounts() {
        return amounts.clone();
    }

    /** The same state with every replenishment time moved by {@code delta} cycles (to another clock). */
    public VcpuState shifted(long delta) {
        long[] t = times.clone();
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.addExact(t[i], delta);
        }
        return new VcpuState(capacity, period, usage, budget, t, amounts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VcpuState s && s.capacity == capacity && s.period == period && s.usage == usage
                && s.budget == budget && Arrays.equals(s.times, times) && Arrays.equals(s.amounts, amounts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(capacity) * 31 + Arrays.hashCode(times);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("VcpuState(C=" + capacity + ", T=" + period + ", u=" + usage + ", b=" + budget + ", R=[");
        for (int i = 0; i < times.length; i++) {
            sb.append(i == 0 ? "" : ", ").append('(').append(times[i]).append(", ").append(amounts[i]).append(')');
        }
        return sb.append("])").toString();
    }
}
