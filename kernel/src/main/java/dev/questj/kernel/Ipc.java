package dev.questj.kernel;

/** Channels as a kernel sees them (Quest-V's shared-memory channels live in the vmm layer). */
public interface Ipc {
    /** Marks a receive that blocked: the thread is woken with {@link Kernel#wakeFrom} when a message comes. */
    int BLOCKED = -1;

    /** Sends; returns a {@link dev.questj.guest.GuestContext} status (OK or FULL). */
    int send(KThread t, String channel, long bytes, long now);

    /** Receives; returns OK (with {@code t}'s lastIoStart set), NONE, or {@link #BLOCKED}. */
    int receive(KThread t, String channel, long now);

    /** Messages {@code t}'s sandbox sent on {@code channel} and got back (see {@code GuestContext.returned}). */
    default long returned(KThread t, String channel) {
        return 0;
    }

    /** No channels: every use is a guest fault. */
    Ipc NONE = new Ipc() {
        @Override
        public int send(KThread t, String channel, long bytes, long now) {
            throw new IllegalArgumentException("no channel \"" + channel + "\"");
        }

        @Override
        public int receive(KThread t, String channel, long now) {
            throw new IllegalArgumentException("no channel \"" + channel + "\"");
        }
    };
}
