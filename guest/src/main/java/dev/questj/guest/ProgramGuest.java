package dev.questj.guest;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;

/**
 * Runs a blocking-style {@link GuestProgram} as a {@link Guest}: the program lives on a virtual
 * thread, and control passes back and forth by a strict hand-off (two semaphores), so that only one
 * of the simulator and the program runs at any moment. The semaphores also give the happens-before
 * edges that make the program's view of the context safe.
 */
public final class ProgramGuest implements Guest {
    private final GuestProgram program;
    private final String name;
    private final long period;
    private final Map<String, String> args;
    private final Semaphore toGuest = new Semaphore(0);
    private final Semaphore toKernel = new Semaphore(0);
    /** The context of the current {@link #next} call; touched by the program only while it holds control. */
    private GuestContext ctx;
    private Thread thread;
    private volatile boolean stopping;
    private boolean finished;
    private boolean inJob;
    private long release;

    /** Thrown inside the program's thread to unwind it when the run ends. */
    private static final class Stopped extends Error {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    public ProgramGuest(String name, GuestProgram program, long period, Map<String, String> args) {
        this.name = name;
        this.program = program;
        this.period = period;
        this.args = Map.copyOf(args);
    }

    @Override
    public void next(GuestContext context) {
        if (finished) {
            context.exit();
            return;
        }
        this.ctx = context;
        if (thread == null) {
            thread = Thread.ofVirtual().name("guest-" + name).unstarted(this::body);
            thread.start();
        } else {
            toGuest.release();
        }
        toKernel.acquireUninterruptibly();
    }

    private void body() {
        try {
            if (period > 0) {
                release = ctx.now();
                inJob = true;
                ctx.releaseJob(release, release + period);
            }
            program.run(api);
            ctx.exit();
        } catch (Stopped s) {
            return;
        } catch (Throwable t) {
            if (stopping) {
                return;
            }
            ctx.fault("guest program threw " + t);
        }
        finished = true;
        toKernel.release();
    }

    /** Hands control to the simulator after an action was chosen, and waits until it is done. */
    private void handOff() {
        toKernel.release();
        try {
            toGuest.acquire();
        } catch (InterruptedException e) {
            throw new Stopped();
        }
        if (stopping) {
            throw new Stopped();
        }
    }

    @Override
    public void finish(GuestContext context) {
        if (period > 0 && !finished && thread != null) {
            long next = inJob ? release + period : release;
            for (long r = next; r < context.now(); r += period) {
                context.releaseJob(r, r + period);
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final GuestApi api = new GuestApi() {
        @Override
        public void compute(long cycles) {
            if (cycles <= 0) {
                return;
            }
            ctx.compute(cycles);
            handOff();
        }

        @Override
        public void sleepUntil(long time) {
            if (time <= ctx.now()) {
                return;
            }
            ctx.sleepUntil(time);
            handOff();
        }

        @Override
        public void io(String device, String op, long bytes) {
            ctx.io(device, op, bytes);
            handOff();
        }

        @Override
        public long receive(String device, int port) {
            ctx.receive(device, port);
            handOff();
            return ctx.lastIoStart();
        }

        @Override
        public boolean send(String channel, byte[] message) {
            ctx.send(channel, message);
            handOff();
            return ctx.lastStatus() == GuestContext.STATUS_OK;
        }

        @Override
        public byte[] receiveMessage(String channel) {
            ctx.receiveMessage(channel);
            handOff();
            return ctx.lastStatus() == GuestContext.STATUS_OK ? ctx.lastMessage() : null;
        }

        @Override
        public byte[] pollMessage(String channel) {
            ctx.pollMessage(channel);
            handOff();
            return ctx.lastStatus() == GuestContext.STATUS_OK ? ctx.lastMessage() : null;
        }

        @Override
        public void waitForNextPeriod() {
            if (period <= 0) {
                throw new IllegalStateException("waitForNextPeriod needs a period in the thread's config");
            }
            if (inJob) {
                ctx.completeJob();
                inJob = false;
                release += period;
            }
            sleepUntil(release);
            inJob = true;
            ctx.releaseJob(release, release + period);
        }

        @Override
        public boolean migrate(String sandbox) {
            if (period <= 0) {
                throw new IllegalStateException("migrate needs a period in the thread's config: a thread moves between jobs");
            }
            if (inJob) {
                ctx.completeJob();
                inJob = false;
                release += period;
            }
            ctx.migrate(sandbox, release);
            handOff();
            boolean moved = ctx.lastStatus() == GuestContext.STATUS_OK;
            inJob = true;
            ctx.releaseJob(release, release + period);
            return moved;
        }

        @Override
        public long returned(String channel) {
            return ctx.returned(channel);
        }

        @Override
        public long now() {
            return ctx.now();
        }

        @Override
        public void log(String message) {
            ctx.log(message);
        }

        @Override
        public SplittableRandom random() {
            return ctx.random();
        }

        @Override
        public Map<String, String> args() {
            return args;
        }

        @Override
        public long cyclesPerSecond() {
            return ctx.cyclesPerSecond();
        }
    };
}
