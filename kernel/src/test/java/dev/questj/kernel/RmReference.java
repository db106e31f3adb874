package dev.questj.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain preemptive rate-monotonic scheduler of periodic tasks on one processor, in unit time steps:
 * small enough to be obviously right, and independent of the kernel (no budgets, no events). At each
 * instant t it first releases the jobs due at t, then runs for one cycle the ready task with the
 * shortest period, ties to the earlier task in the list.
 */
final class RmReference {
    private RmReference() {}

    /** Jobs of {@code exec} cycles released at offset + k * period, due one period after release. */
    record Task(long period, long exec, long offset) {}

    /** Per task: the merged intervals [start, end) it ran, and its deadline misses. */
    record Result(List<List<List<Long>>> runs, long[] misses) {}

    static Result simulate(List<Task> tasks, long horizon) {
        int n = tasks.size();
        long[] backlog = new long[n];
        long[] misses = new long[n];
        List<List<List<Long>>> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(new ArrayList<>());
        }
        for (long t = 0; t < horizon; t++) {
            int pick = -1;
            for (int i = 0; i < n; i++) {
                Task task = tasks.get(i);
                if (t >= task.offset() && (t - task.offset()) % task.period() == 0) {
                    if (backlog[i] > 0) {
                        misses[i]++; // the previous job is still unfinished at its deadline, now
                    }
                    backlog[i] += task.exec();
                }
            }
            for (int i = 0; i < n; i++) {
                if (backlog[i] > 0 && (pick < 0 || tasks.get(i).period() < tasks.get(pick).period())) {
                    pick = i;
                }
            }
            if (pick >= 0) {
                backlog[pick]--;
                List<List<Long>> r = runs.get(pick);
                if (!r.isEmpty() && r.getLast().get(1) == t) {
                    r.set(r.size() - 1, List.of(r.getLast().get(0), t + 1));
                } else {
                    r.add(List.of(t, t + 1));
                }
            }
        }
        return new Result(runs, misses);
    }
}
