package dev.questj.guest;

/**
 * Every {@code period}: compute {@code exec}, then send a {@code bytes} message on a channel. Each
 * period is a job due at the next release; a "full" answer counts as a refused send (the job ends,
 * the message is not lost silently: the sender knows). A severed channel answers every send
 * {@link GuestContext#STATUS_SEVERED}: the producer keeps its period, each job ending with the refusal.
 */
public final class Producer implements Guest {
    private enum Phase { START, COMPUTED, SENT }

    private final String channel;
    private final long bytes;
    private final ExecDistribution exec;
    private final long period;
    private Phase phase = Phase.START;
    private long release;
    private long refused;
    private long down;
    private long severed;

    public Producer(String channel, long bytes, ExecDistribution exec, long period) {
        if (bytes <= 0 || period <= 0) {
            throw new IllegalArgumentException("producer: size and period must be positive");
        }
        this.channel = channel;
        this.bytes = bytes;
        this.exec = exec;
        this.period = period;
    }

    /** The first job is released at {@code time} instead of 0 (a thread restarted by a recovery keeps its phase). */
    public Producer firstReleaseAt(long time) {
        release = time;
        return this;
    }

    @Override
    public void next(GuestContext ctx) {
        switch (phase) {
            case COMPUTED -> {
                phase = Phase.SENT;
                ctx.send(channel, bytes);
                return;
            }
            case SENT -> {
                if (ctx.lastStatus() == GuestContext.STATUS_FULL) {
                    refused++;
                } else if (ctx.lastStatus() == GuestContext.STATUS_SEVERED && severed++ == 0) {
                    ctx.log("channel " + channel + " was severed: sends are refused from now on");
                } else if (ctx.lastStatus() == GuestContext.STATUS_DOWN && down++ == 0) {
                    ctx.log("the receiver of channel " + channel + " is down for good: " + ctx.returned(channel)
                            + " message(s) returned so far, and sends are refused from now on");
                }
                ctx.completeJob();
                release += period;
                phase = Phase.START;
            }
            case START -> { }
        }
        if (release > ctx.now()) {
            ctx.sleepUntil(release);
            return;
        }
        ctx.releaseJob(release, release + period);
        phase = Phase.COMPUTED;
        ctx.compute(exec.draw(ctx.random()));
    }

    /** Sends the channel refused as full. */
    public long refused() {
        return refused;
    }

    /** Sends answered {@link GuestContext#STATUS_SEVERED}: the channel was severed. */
    public long severed() {
        return severed;
    }

    @Override
    public void finish(GuestContext ctx) {
        long next = phase == Phase.START ? release : release + period;
        for (long r = next; r < ctx.now(); r += period) {
            ctx.releaseJob(r, r + period);
        }
    }
}
