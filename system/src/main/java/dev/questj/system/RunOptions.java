package dev.questj.system;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How to run a system.
 *
 * @param durationCycles  run length; empty: the config's duration
 * @param seed            the seed; empty: the config's seed
 * @param outDir          where to write metrics.json and schedule.jsonl; null: write nothing
 * @param recordSchedule  write schedule.jsonl (and its digest)
 * @param checkInvariants verify the scheduler's invariants after every pass (slow)
 * @param progress        show a progress line on stderr for runs longer than about two seconds
 */
public record RunOptions(OptionalLong durationCycles, OptionalLong seed, Path outDir, boolean recordSchedule,
        boolean checkInvariants, boolean progress) {
    /** Run with the config's duration and seed, write nothing. */
    public static RunOptions inMemory() {
        return new RunOptions(OptionalLong.empty(), OptionalLong.empty(), null, false, false, false);
    }

    public RunOptions withOut(Path dir) {
        return new RunOptions(durationCycles, seed, dir, dir != null, checkInvariants, progress);
    }

    public RunOptions withDuration(long cycles) {
        return new RunOptions(OptionalLong.of(cycles), seed, outDir, recordSchedule, checkInvariants, progress);
    }

    public RunOptions withSeed(long s) {
        return new RunOptions(durationCycles, OptionalLong.of(s), outDir, recordSchedule, checkInvariants, progress);
    }

    public RunOptions withChecks(boolean on) {
        return new RunOptions(durationCycles, seed, outDir, recordSchedule, on, progress);
    }

    public RunOptions withRecording(boolean on) {
        return new RunOptions(durationCycles, seed, outDir, on, checkInvariants, progress);
    }

    public RunOptions withProgress(boolean on) {
        return new RunOptions(durationCycles, seed, outDir, recordSchedule, checkInvariants, on);
    }
}
