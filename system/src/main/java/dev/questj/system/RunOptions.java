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
 * @param recording       what schedule.jsonl and trace.json record, and when (with {@code recordSchedule})
 * @param realtime        pace simulated time to the wall clock and open the channels' host endpoints
 *                        ({@code host: unix:PATH}); such a run is not deterministic
 */
public record RunOptions(OptionalLong durationCycles, OptionalLong seed, Path outDir, boolean recordSchedule,
        boolean checkInvariants, boolean progress, Recording recording, boolean realtime) {
    public RunOptions(OptionalLong durationCycles, OptionalLong seed, Path outDir, boolean recordSchedule,
            boolean checkInvariants, boolean progress, Recording recording) {
        this(durationCycles, seed, outDir, recordSchedule, checkInvariants, progress, recording, false);
    }

    public RunOptions(OptionalLong durationCycles, OptionalLong seed, Path outDir, boolean recordSchedule,
            boolean checkInvariants, boolean progress) {
        this(durationCycles, seed, outDir, recordSchedule, checkInvariants, progress, Recording.ALL);
    }

    /** Paced to the wall clock, with host endpoints open ({@code --realtime}). */
    public RunOptions withRealtime(boolean on) {
        return new RunOptions(durationCycles, seed, outDir, recordSchedule, checkInvariants, progress, recording, on);
    }

    /** What is recorded: {@link Recording#NONE} unless {@code recordSchedule}. */
    public Recording effectiveRecording() {
        return recordSchedule && recording != null ? recording : Recording.NONE;
    }

    /** Records {@code r} (its {@code what} decides {@code recordSchedule}). */
    public RunOptions withRecording(Recording r) {
        return new RunOptions(durationCycles, seed, outDir, r.any(), checkInvariants, progress, r, realtime);
    }

    /** Run with the config's duration and seed, write nothing. */
    public static RunOptions inMemory() {
        return new RunOptions(OptionalLong.empty(), OptionalLong.empty(), null, false, false, false);
    }

    public RunOptions withOut(Path dir) {
        return new RunOptions(durationCycles, seed, dir, dir != null, checkInvariants, progress, recording, realtime);
    }

    public RunOptions withDuration(long cycles) {
        return new RunOptions(OptionalLong.of(cycles), seed, outDir, recordSchedule, checkInvariants, progress, recording, realtime);
    }

    public RunOptions withSeed(long s) {
        return new RunOptions(durationCycles, OptionalLong.of(s), outDir, recordSchedule, checkInvariants, progress, recording, realtime);
    }

    public RunOptions withChecks(boolean on) {
        return new RunOptions(durationCycles, seed, outDir, recordSchedule, on, progress, recording, realtime);
    }

    public RunOptions withRecording(boolean on) {
        return new RunOptions(durationCycles, seed, outDir, on, checkInvariants, progress, recording, realtime);
    }

    public RunOptions withProgress(boolean on) {
        return new RunOptions(durationCycles, seed, outDir, recordSchedule, checkInvariants, on, recording, realtime);
    }
}
