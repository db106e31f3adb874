package dev.questj.guest;

/**
 * Waits for packets on a port and computes per packet. Each packet is a job released when it
 * arrived at the NIC, due {@code deadline} later (0: no deadline).
 */
public final class NetworkReceiver implements Guest {
    private final String device;
    private final int port;
    private final ExecDistribution exec;
    private final long deadline;
    private boolean received;
    private boolean inJob;

    public NetworkReceiver(String device, int port, ExecDistribution exec, long deadline) {
        this.device = device;
        this.port = port;
        this.exec = exec;
        this.deadline = deadline;
    }

    @Override
    public void next(GuestContext ctx) {
        if (inJob) {
            ctx.completeJob();
            inJob = false;
        }
        if (received) {
            received = false;
            long arrival = ctx.lastIoStart();
            ctx.releaseJob(arrival, deadline == 0 ? Long.MAX_VALUE : arrival + deadline);
            inJob = true;
            ctx.compute(exec.draw(ctx.random()));
            return;
        }
        received = true;
        ctx.receive(device, port);
    }
}
