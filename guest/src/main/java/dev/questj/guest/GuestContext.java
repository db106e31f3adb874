package dev.questj.guest;

import java.util.SplittableRandom;

/**
 * What the kernel offers a guest when it asks for the guest's next action. A {@link Guest} calls
 * exactly one of {@link #compute}, {@link #sleepUntil} or {@link #exit} per {@link Guest#next} call;
 * the job and log calls may be made any number of times. Times are cycles.
 */
public interface GuestContext {
    /** The current simulated time, in cycles. */
    long now();

    /** Cycles per second of the machine, for guests that think in seconds. */
    long cyclesPerSecond();

    /** The thread's own seeded random stream. */
    SplittableRandom random();

    /** Next action: use the CPU for {@code cycles} (> 0) cycles of execution. */
    void compute(long cycles);

    /** Next action: block until {@code time}; a time not after now just continues. */
    void sleepUntil(long time);

    /**
     * Next action: an I/O request to {@code device} ({@code op}: read, write or transmit) moving
     * {@code bytes}; the thread blocks until the request completes.
     */
    void io(String device, String op, long bytes);

    /**
     * Next action: take the next packet that arrived on {@code port} of NIC {@code device}, blocking
     * until there is one.
     */
    void receive(String device, int port);

    /**
     * After {@link #receive}: when the packet arrived at the NIC; after {@link #io}: when the request
     * was issued. In cycles.
     */
    long lastIoStart();

    /**
     * Next action: send a message of {@code bytes} on {@code channel}. A ring that is full answers
     * {@link #STATUS_FULL} in {@link #lastStatus()} at once (nothing is silently lost); else
     * {@link #STATUS_OK}.
     */
    void send(String channel, long bytes);

    /**
     * Next action: send {@code payload} (its bytes, as they are) on {@code channel}; otherwise as
     * {@link #send(String, long)} with its length. The receiver reads the bytes with {@link #lastMessage()}.
     */
    default void send(String channel, byte[] payload) {
        throw new UnsupportedOperationException("this context sends message sizes only");
    }

    /**
     * Next action: take a message from {@code channel} without blocking: as {@link #receiveMessage},
     * but a ring with no message visible now answers {@link #STATUS_NONE} at once.
     */
    default void pollMessage(String channel) {
        throw new UnsupportedOperationException("this context cannot poll a channel");
    }

    /** After a receive that answered {@link #STATUS_OK}: the message's bytes (a copy), or null if there was none. */
    default byte[] lastMessage() {
        return null;
    }

    /**
     * Next action: take a message from {@code channel}: a ring blocks until one arrives; a four-slot
     * channel answers at once with the latest value, or {@link #STATUS_NONE} when nothing new was
     * written since the last read. The message's send time is {@link #lastIoStart()}.
     */
    void receiveMessage(String channel);

    /**
     * Next action: a store ({@code write}) or load of 8 bytes at {@code address} through the
     * thread's MMU (and the sandbox's EPT): {@link #STATUS_OK}, or {@link #STATUS_FAULT} when a
     * protection stopped it.
     */
    void access(long address, boolean write);

    /**
     * An address in a region of the machine, for guests that probe isolation: {@code own},
     * {@code other-sandboxes}, {@code monitor}, {@code ept}, {@code kernel-text}; -1 if none exists.
     */
    long addressIn(String region);

    /**
     * Next action, Quest-V only: between two jobs (none open: typically right after {@link #completeJob}),
     * ask the monitors to move this thread, with its address space and its VCPU state, to sandbox
     * {@code sandbox}, and sleep until {@code resumeAt} (its next release). The call is the request and
     * its job boundary: the thread's VCPU is charged a hypercall VM exit, and the admission test is run
     * at once with E_s = {@code resumeAt} - now (docs/DESIGN.md "Migration"). The thread then wakes at
     * {@code resumeAt} (or when the copy ends, if that is later) with the answer in {@link #lastStatus()}:
     * {@link #STATUS_OK} when it was moved (it runs in {@code sandbox} from then on), or
     * {@link #STATUS_REFUSED} when it was not (it stays where it was: an open job, no time before
     * {@code resumeAt}, admission, no unused VCPU of the same budget and period there, no migration
     * thread there, or SMP mode, which has no sandboxes). A sandbox that does not exist is a guest fault.
     */
    default void migrate(String sandbox, long resumeAt) {
        throw new UnsupportedOperationException("this context cannot migrate");
    }

    /** The outcome of the last send, receive, access or migrate. */
    int lastStatus();

    int STATUS_OK = 0;
    int STATUS_FULL = 1;
    int STATUS_NONE = 2;
    int STATUS_FAULT = 3;
    /**
     * The channel was severed (MILS): its frames are gone from both sandboxes' EPTs, so every send
     * and receive on it answers this, at once, for the rest of the run; a receiver blocked on it when
     * it was severed is woken with it.
     */
    int STATUS_SEVERED = 4;
    /** The receiving sandbox failed and stays down: the message was returned, not sent. */
    int STATUS_DOWN = 5;
    /**
     * A {@link #migrate} was refused (by the admission test, a check made when it was asked for, or
     * because there are no sandboxes): the thread was not moved and runs on where it was.
     */
    int STATUS_REFUSED = 6;

    /** Next action: the thread ends. */
    void exit();

    /**
     * Messages this thread's sandbox sent on {@code channel} that were given back instead of
     * delivered (the receiving sandbox failed and stays down with them queued, or they stayed corrupt
     * after every retransmission): the explicit error for messages already answered "ok". A query,
     * not an action; 0 where channels cannot fail.
     */
    default long returned(String channel) {
        return 0;
    }

    /** A job became due at {@code release}, to complete by {@code absoluteDeadline}. Jobs complete FIFO. */
    void releaseJob(long release, long absoluteDeadline);

    /** The oldest released job is complete now. */
    void completeJob();

    /** A line for the run's log, stamped with the time and the thread. */
    void log(String message);

    /** The guest did something illegal: the kernel records the fault and ends the thread. */
    void fault(String reason);
}
