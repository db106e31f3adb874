package dev.questj.guest;

/**
 * Takes messages from a channel and computes {@code exec} per message (a job from its send time).
 * When the channel is severed ({@link GuestContext#STATUS_SEVERED}) nothing can come again: it ends.
 */
public final class Consumer implements Guest {
    private final String channel;
    private final ExecDistribution exec;
    /** For a four-slot channel, which never blocks: how long to wait before looking again. */
    private final long pollInterval;
    private boolean asked;
    private boolean inJob;

    public Consumer(String channel, ExecDistribution exec, long pollInterval) {
        this.channel = channel;
        this.exec = exec;
        this.pollInterval = Math.max(1, pollInterval);
    }

    @Override
    public void next(GuestContext ctx) {
        if (inJob) {
            ctx.completeJob();
            inJob = false;
        }
        if (asked) {
            asked = false;
            if (ctx.lastStatus() == GuestContext.STATUS_SEVERED) {
                ctx.log("channel " + channel + " was severed: no message will come again; the consumer ends");
                ctx.exit();
                return;
            }
            if (ctx.lastStatus() == GuestContext.STATUS_OK) {
                ctx.releaseJob(ctx.lastIoStart(), Long.MAX_VALUE);
                inJob = true;
                ctx.compute(exec.draw(ctx.random()));
                return;
            }
            ctx.sleepUntil(ctx.now() + pollInterval);
            return;
        }
        asked = true;
        ctx.receiveMessage(channel);
    }
}
