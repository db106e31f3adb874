package dev.questj.guest;

/**
 * An I/O-bound task: each job issues one I/O request, then computes on the result. Jobs are
 * released every {@code period} (0: back to back) and due {@code deadline} after release (0: none).
 */
public final class IoBound implements Guest {
    private enum Phase { START, IO_DONE, COMPUTE_DONE }

    private final String device;
    private final String op;
    private final long bytes;
    private final ExecDistribution exec;
    private final long period;
    private final long deadline;
    private Phase phase = Phase.START;
    private long release;

    public IoBound(String device, String op, long bytes, ExecDistribution exec, long period, long deadline) {
        if (bytes <= 0 || period < 0 || deadline < 0) {
            throw new IllegalArgumentException("io-bound: size must be positive, period and deadline not negative");
        }
        this.device = device;
        this.op = op;
        this.bytes = bytes;
        this.exec = exec;
        this.period = period;
        this.deadline = deadline;
    }

    /** The first job is released at {@code time} instead of 0 (a thread restarted by a recovery keeps its phase). */
    public IoBound firstReleaseAt(long time) {
        release = time;
        return this;
    }

    @Override
    public void next(GuestContext ctx) {
        switch (phase) {
            case IO_DONE -> {
                phase = Phase.COMPUTE_DONE;
                ctx.compute(exec.draw(ctx.random()));
                return;
            }
            case COMPUTE_DONE -> {
                ctx.completeJob();
                release = period == 0 ? ctx.now() : release + period;
                phase = Phase.START;
            }
            case START -> { }
        }
        if (release > ctx.now()) {
            ctx.sleepUntil(release);
            return;
        }
        if (period == 0) {
            release = ctx.now();
        }
        ctx.releaseJob(release, deadline == 0 ? Long.MAX_VALUE : release + deadline);
        phase = Phase.IO_DONE;
        ctx.io(device, op, bytes);
    }

    @Override
    public void finish(GuestContext ctx) {
        if (period == 0) {
            return;
        }
        long next = phase == Phase.START ? release : release + period;
        for (long r = next; r < ctx.now(); r += period) {
            ctx.releaseJob(r, deadline == 0 ? Long.MAX_VALUE : r + deadline);
        }
    }
}
