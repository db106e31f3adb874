package dev.questj.vmm;

import dev.questj.guest.GuestContext;
import dev.questj.kernel.Ipc;
import dev.questj.kernel.KThread;
import dev.questj.machine.PhysicalMemory;
import dev.questj.sim.Event;
import dev.questj.sim.EventQueue;
import dev.questj.sim.Priority;
import java.util.zip.CRC32;
import org.HdrHistogram.Histogram;

/**
 * A channel between two sandboxes: shared frames that the monitors map into exactly those two EPTs
 * (read-write), carrying messages in simulated memory.
 *
 * <p>Ring: a single-producer single-consumer ring per direction. Each slot is 256 bytes: a 16-byte
 * header (sequence number, length, CRC-32 of the payload and sequence) and up to 240 bytes of
 * payload. A full ring answers the sender "full" at once; nothing is dropped silently. The receiver
 * verifies sequence and checksum: a message that fails is counted as corrupted, never delivered as
 * good, and asked for again: the sender rewrites it from its own copy (at most
 * {@link #MAX_RETRANSMISSIONS} times, then it is returned to the sender, counted). A message becomes visible {@code latency} after it is written; a blocked receiver is woken by
 * a doorbell IPI from the sender's PCPU, or by its own poll.
 *
 * <p>Four-slot: Simpson's asynchronous latest-value channel. The writer never blocks and never
 * overwrites the slot the reader is reading; the reader always gets the latest complete value.
 */
public final class Channel {
    /** Payload bytes a ring slot carries. */
    public static final int SLOT_PAYLOAD = 240;
    static final int SLOT_SIZE = 256;
    static final int HEADER = 64;

    /** Ring or four-slot. */
    public enum Kind { RING, FOUR_SLOT }

    private final QuestV vmm;
    private final String name;
    private final Kind kind;
    private final Sandbox a;
    private final Sandbox b;
    private final boolean bidirectional;
    private final long latency;
    private final boolean doorbell;
    private final long poll;
    private final boolean isStatic;
    private final Direction forward;
    private final Direction backward;
    private boolean severed;
    private long severedAt = -1;
    private long discardedAtSeverance;
    private long refusedAfterSeverance;

    private long sent;
    private long delivered;
    private long refused;
    private long corrupted;
    private long retransmitted;
    private long returned;
    /** Told when a message fails its checksum and when it is finally delivered (the fault injector). */
    private CorruptionListener listener = CorruptionListener.NONE;

    /** Times a receiver asks for one corrupted message again before returning it to its sender. */
    public static final int MAX_RETRANSMISSIONS = 3;

    /** Hears of checksum failures (detections) and of the redelivery that ends them. */
    public interface CorruptionListener {
        CorruptionListener NONE = new CorruptionListener() {
            @Override
            public void detected(Channel c, Sandbox sender, long seq, long now) {}

            @Override
            public void redelivered(Channel c, Sandbox sender, long seq, long now) {}
        };

        void detected(Channel c, Sandbox sender, long seq, long now);

        void redelivered(Channel c, Sandbox sender, long seq, long now);
    }
    private final Histogram latencies = new Histogram(3);

    Channel(QuestV vmm, String name, Kind kind, Sandbox from, Sandbox to, boolean bidirectional, long bytesPerDirection,
            long latency, boolean doorbell, long poll, boolean isStatic, int index) {
        this.vmm = vmm;
        this.name = name;
        this.kind = kind;
        this.a = from;
        this.b = to;
        this.bidirectional = bidirectional;
        this.latency = latency;
        this.doorbell = doorbell;
        this.poll = Math.max(1, poll);
        this.isStatic = isStatic;
        this.forward = new Direction(from, to, vmm.host().allocate(HostMemory.Kind.CHANNEL, index, bytesPerDirection), bytesPerDirection);
        this.backward = bidirectional
                ? new Direction(to, from, vmm.host().allocate(HostMemory.Kind.CHANNEL, index, bytesPerDirection), bytesPerDirection)
                : null;
    }

    /** One direction: its frames, ring state and pending receiver. */
    private final class Direction {
        final Sandbox sender;
        final Sandbox receiver;
        final long base;
        final long bytes;
        final int capacity;
        final long[] visibleAt;
        final long[] sentAt;
        /** The sender's copy of each queued message, for a retransmission. */
        final byte[][] copies;
        final int[] attempts;
        /** The receiver's sandbox failed for good: messages to it are returned to the sender. */
        boolean receiverDown;
        /** Messages of this direction given back to its sender (its part of {@code returned}). */
        long returnedHere;
        /** The next message sent is corrupted in the channel's memory (an injected fault); -1: none. */
        boolean corruptNext;
        long corruptedSeq = -1;
        long head;
        long tail;
        KThread waiter;
        final Event wake = new Event(Priority.RELEASE) {
            @Override
            public void fire(long now) {
                KThread w = waiter;
                if (w == null) {
                    return;
                }
                if (!receiver.kernel().isUp() || receiver.kernel().isHalted(w.vcpu().pcpuId())) {
                    waiter = null; // its kernel (or its PCPU) stopped: the message stays queued for the recovered one
                    return;
                }
                waiter = null;
                // hand the message over before the wake-up, so the woken thread finds it taken
                int status = receiveRing(Direction.this, w, now);
                if (status != Ipc.BLOCKED) {
                    w.setLastStatus(status);
                    receiver.kernel().wakeFrom(w, doorbell ? senderPcpu : w.vcpu().pcpuId());
                }
            }
        };
        int senderPcpu;
        // four-slot state (Simpson): latest pair written, pair being read, slot per pair
        int latest;
        int reading;
        final int[] slot = new int[2];
        long lastReadSequence;

        Direction(Sandbox sender, Sandbox receiver, long base, long bytes) {
            this.sender = sender;
            this.receiver = receiver;
            this.base = base;
            this.bytes = bytes;
            this.capacity = kind == Kind.RING ? (int) Math.max(1, (bytes - HEADER) / SLOT_SIZE) : 4;
            this.visibleAt = new long[capacity];
            this.sentAt = new long[capacity];
            this.copies = new byte[capacity][];
            this.attempts = new int[capacity];
        }

        long frames() {
            return Math.ceilDiv(bytes, PhysicalMemory.FRAME_SIZE);
        }
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public Sandbox from() {
        return a;
    }

    public Sandbox to() {
        return b;
    }

    public boolean isBidirectional() {
        return bidirectional;
    }

    public boolean isStatic() {
        return isStatic;
    }

    public boolean isSevered() {
        return severed;
    }

    /** Maps the frames into both EPTs (read-write), as the monitors do at boot or by hypercall. */
    void map() {
        for (Direction d : directions()) {
            for (long f = 0; f < d.frames(); f++) {
                long frame = d.base / PhysicalMemory.FRAME_SIZE + f;
                d.sender.ept().grant(frame, (byte) (Ept.R | Ept.W));
                d.receiver.ept().grant(frame, (byte) (Ept.R | Ept.W));
            }
        }
    }

    public void setCorruptionListener(CorruptionListener l) {
        listener = l == null ? CorruptionListener.NONE : l;
    }

    /** Messages sandbox {@code s} sent here and got back (0 if it does not send here). */
    long returnedTo(Sandbox s) {
        long n = 0;
        for (Direction d : directions()) {
            if (d.sender == s) {
                n += d.returnedHere;
            }
        }
        return n;
    }

    /** Whether a corruption is armed for the next message {@code s} sends here. */
    boolean corruptionArmed(Sandbox s) {
        return sendingFrom(s).corruptNext;
    }

    /** An injected fault: the next message {@code s} sends here is corrupted in the shared frame. */
    void corruptNextFrom(Sandbox s) {
        sendingFrom(s).corruptNext = true;
    }

    /**
     * Sandbox {@code s} failed: a receiver of it blocked here is forgotten (its kernel stopped);
     * messages to it stay queued for its recovered kernel.
     */
    void receiverFailed(Sandbox s) {
        for (Direction d : directions()) {
            if (d.receiver == s) {
                d.waiter = null;
                vmm.queue().cancel(d.wake);
            }
        }
    }

    /**
     * Sandbox {@code s} stays down: messages queued to it are returned to their senders (counted)
     * and every later send to it is answered {@link GuestContext#STATUS_DOWN} at once.
     */
    void receiverDown(Sandbox s) {
        receiverFailed(s);
        for (Direction d : directions()) {
            if (d.receiver == s && kind == Kind.RING) {
                d.receiverDown = true;
                long queued = d.head - d.tail;
                returned += queued;
                d.returnedHere += queued;
                d.tail = d.head;
                if (queued > 0) {
                    vmm.sink().event(vmm.queue().now(), d.sender.cores().getFirst(), "returned", null, null, queued
                            + " message(s) on " + name + " returned to " + d.sender.name() + ": " + s.name() + " stays down");
                }
            }
        }
    }

    /** Severs the channel now (see {@link #sever(long)}). */
    void sever() {
        sever(vmm.queue().now());
    }

    /**
     * Severs the channel at {@code now}, as the two monitors do (MILS): both EPT mappings of every
     * frame are revoked; every message still queued (written, not yet received, visible or not) is
     * discarded and counted in {@link #discardedAtSeverance()}; a receiver blocked on it is woken with
     * {@link GuestContext#STATUS_SEVERED}; from then on every send and receive answers that status.
     * Severing twice changes nothing.
     */
    void sever(long now) {
        if (severed) {
            return;
        }
        severed = true;
        severedAt = now;
        for (Direction d : directions()) {
            for (long f = 0; f < d.frames(); f++) {
                long frame = d.base / PhysicalMemory.FRAME_SIZE + f;
                d.sender.ept().revoke(frame);
                d.receiver.ept().revoke(frame);
            }
            if (kind == Kind.RING) {
                discardedAtSeverance += d.head - d.tail;
                d.tail = d.head;
            } else if (d.head > d.lastReadSequence) {
                discardedAtSeverance++; // the latest value, never read (a four-slot channel keeps only that one)
            }
            vmm.queue().cancel(d.wake);
            KThread w = d.waiter;
            d.waiter = null;
            if (w != null) {
                w.setLastStatus(GuestContext.STATUS_SEVERED);
                d.receiver.kernel().wakeFrom(w, w.vcpu().pcpuId());
            }
        }
    }

    private Direction[] directions() {
        return backward == null ? new Direction[] {forward} : new Direction[] {forward, backward};
    }

    private Direction sendingFrom(Sandbox s) {
        if (forward.sender == s) {
            return forward;
        }
        if (backward != null && backward.sender == s) {
            return backward;
        }
        throw new IllegalArgumentException("sandbox " + s.name() + " cannot send on channel " + name);
    }

    private Direction receivingAt(Sandbox s) {
        if (forward.receiver == s) {
            return forward;
        }
        if (backward != null && backward.receiver == s) {
            return backward;
        }
        throw new IllegalArgumentException("sandbox " + s.name() + " cannot receive on channel " + name);
    }

    int send(Sandbox s, KThread t, long bytes, long now) {
        Direction d = sendingFrom(s);
        if (bytes > (kind == Kind.RING ? SLOT_PAYLOAD : d.bytes / 4 - 16)) {
            throw new IllegalArgumentException("a message of " + bytes + " bytes does not fit a slot of channel " + name);
        }
        if (severed) {
            refusedAfterSeverance++;
            return GuestContext.STATUS_SEVERED;
        }
        d.senderPcpu = t.vcpu().pcpuId();
        byte[] payload = t.takePayload();
        if (payload == null || payload.length != bytes) {
            payload = payload(kind == Kind.RING ? d.head : d.head + 1, (int) bytes);
        }
        return kind == Kind.RING ? sendRing(d, payload, now) : sendFourSlot(d, payload, now);
    }

    /**
     * The host bridge sends {@code payload} from sandbox {@code s}'s end at {@code now}, as a process of
     * {@code s} would (a doorbell rings from the sandbox's first core). STATUS_OK, STATUS_FULL, STATUS_DOWN
     * or STATUS_SEVERED.
     */
    public int hostSend(Sandbox s, byte[] payload, long now) {
        Direction d = sendingFrom(s);
        if (payload.length > (kind == Kind.RING ? SLOT_PAYLOAD : d.bytes / 4 - 16)) {
            throw new IllegalArgumentException("a message of " + payload.length + " bytes does not fit a slot of channel " + name);
        }
        if (severed) {
            refusedAfterSeverance++;
            return GuestContext.STATUS_SEVERED;
        }
        d.senderPcpu = s.cores().get(0);
        return kind == Kind.RING ? sendRing(d, payload.clone(), now) : sendFourSlot(d, payload.clone(), now);
    }

    /**
     * The host bridge takes the next message that is visible at sandbox {@code s}'s end at {@code now}:
     * its bytes, or null when there is none (a ring's next message, or a four-slot channel's new value).
     */
    public byte[] hostReceive(Sandbox s, long now) {
        Direction d = receivingAt(s);
        if (severed) {
            return null;
        }
        hostMessage = null;
        int status = kind == Kind.RING ? receiveRing(d, null, now) : receiveFourSlot(d, null, now);
        return status == GuestContext.STATUS_OK ? hostMessage : null;
    }

    /** The message the last receive without a thread (the host's) took. */
    private byte[] hostMessage;

    /** When the message the last receive without a thread took was sent. */
    private long lastSentAt;

    private void delivered(KThread t, long sentAt, byte[] payload) {
        if (t == null) {
            hostMessage = payload;
            lastSentAt = sentAt;
        } else {
            t.setLastIoStart(sentAt);
            t.setLastMessage(payload);
        }
    }

    private int sendRing(Direction d, byte[] payload, long now) {
        if (d.receiverDown) {
            sent++;
            returned++;
            d.returnedHere++;
            return GuestContext.STATUS_DOWN;
        }
        if (d.head - d.tail == d.capacity) {
            refused++;
            return GuestContext.STATUS_FULL;
        }
        long seq = d.head;
        int i = (int) (seq % d.capacity);
        writeMessage(slotAddress(d, i), seq, payload);
        if (d.corruptNext) {
            d.corruptNext = false;
            d.corruptedSeq = seq;
            long at = slotAddress(d, i) + 16 + payload.length / 2; // one payload byte flipped in the shared frame
            vmm.memory().write(at, (byte) ~vmm.memory().read(at));
        }
        d.visibleAt[i] = now + latency;
        d.sentAt[i] = now;
        d.copies[i] = payload;
        d.attempts[i] = 0;
        d.head++;
        sent++;
        if (d.waiter != null && !d.wake.isScheduled()) {
            scheduleWake(d, d.visibleAt[i]);
        }
        return GuestContext.STATUS_OK;
    }

    private int sendFourSlot(Direction d, byte[] payload, long now) {
        int pair = 1 - d.reading;
        int index = 1 - d.slot[pair];
        long seq = ++d.head;
        writeMessage(fourSlotAddress(d, pair, index), seq, payload);
        d.sentAt[pair * 2 + index] = now;
        d.visibleAt[pair * 2 + index] = now + latency;
        d.slot[pair] = index;
        d.latest = pair;
        sent++;
        return GuestContext.STATUS_OK;
    }

    int receive(Sandbox s, KThread t, long now) {
        Direction d = receivingAt(s);
        if (severed) {
            refusedAfterSeverance++;
            return GuestContext.STATUS_SEVERED;
        }
        if (kind == Kind.FOUR_SLOT) {
            t.takePoll();
            return receiveFourSlot(d, t, now);
        }
        if (t.takePoll()) {
            hostMessage = null;
            if (receiveRing(d, null, now) != GuestContext.STATUS_OK) {
                return GuestContext.STATUS_NONE;
            }
            delivered(t, lastSentAt, hostMessage);
            return GuestContext.STATUS_OK;
        }
        return receiveRing(d, t, now);
    }

    private int receiveRing(Direction d, KThread t, long now) {
        while (d.tail < d.head) {
            int i = (int) (d.tail % d.capacity);
            if (d.visibleAt[i] > now) {
                if (t != null) {
                    d.waiter = t;
                    scheduleWake(d, d.visibleAt[i]);
                }
                return Ipc.BLOCKED;
            }
            long seq = d.tail;
            byte[] message = readMessage(d, slotAddress(d, i), seq);
            if (message != null) {
                d.tail++;
                delivered++;
                latencies.recordValue(now - d.sentAt[i]);
                delivered(t, d.sentAt[i], message);
                if (seq == d.corruptedSeq) {
                    d.corruptedSeq = -1;
                    listener.redelivered(this, d.sender, seq, now);
                }
                return GuestContext.STATUS_OK;
            }
            // Never delivered as good: the receiver asks the sender for it again (a NACK in the slot
            // header); the sender rewrites it from its own copy, visible one latency later.
            corrupted++;
            listener.detected(this, d.sender, seq, now);
            if (d.attempts[i] < MAX_RETRANSMISSIONS) {
                d.attempts[i]++;
                retransmitted++;
                writeMessage(slotAddress(d, i), seq, d.copies[i]);
                d.visibleAt[i] = now + latency;
                if (t != null) {
                    d.waiter = t;
                    scheduleWake(d, d.visibleAt[i]);
                }
                return Ipc.BLOCKED;
            }
            d.tail++;
            returned++; // given up: returned to the sender (GuestContext.returned), counted
            d.returnedHere++;
        }
        if (t != null) {
            d.waiter = t;
        }
        return Ipc.BLOCKED;
    }

    private int receiveFourSlot(Direction d, KThread t, long now) {
        int pair = d.latest;
        d.reading = pair;
        int index = d.slot[pair];
        int k = pair * 2 + index;
        if (d.head == 0 || d.visibleAt[k] > now) {
            return GuestContext.STATUS_NONE;
        }
        long seq = readSequence(fourSlotAddress(d, pair, index));
        if (seq <= d.lastReadSequence) {
            return GuestContext.STATUS_NONE;
        }
        byte[] message = readMessage(d, fourSlotAddress(d, pair, index), seq);
        if (message == null) {
            corrupted++;
            return GuestContext.STATUS_NONE;
        }
        d.lastReadSequence = seq;
        delivered++;
        latencies.recordValue(now - d.sentAt[k]);
        delivered(t, d.sentAt[k], message);
        return GuestContext.STATUS_OK;
    }

    private void scheduleWake(Direction d, long visibleAt) {
        long at = doorbell ? visibleAt : Math.ceilDiv(visibleAt, poll) * poll;
        EventQueue q = vmm.queue();
        q.schedule(d.wake, Math.max(at, q.now()));
    }

    private long slotAddress(Direction d, int i) {
        return d.base + HEADER + (long) i * SLOT_SIZE;
    }

    private long fourSlotAddress(Direction d, int pair, int index) {
        return d.base + HEADER + (long) (pair * 2 + index) * (d.bytes / 4 - 16);
    }

    private void writeMessage(long addr, long seq, byte[] payload) {
        var mem = vmm.memory();
        putLong(addr, seq);
        putInt(addr + 8, payload.length);
        putInt(addr + 12, crc(seq, payload));
        mem.write(addr + 16, payload);
    }

    /** The message's payload if its sequence and checksum are right, else null. */
    private byte[] readMessage(Direction d, long addr, long expectedSeq) {
        long seq = getLong(addr);
        int len = getInt(addr + 8);
        int crc = getInt(addr + 12);
        if (seq != expectedSeq || len < 0 || len > (kind == Kind.RING ? SLOT_PAYLOAD : d.bytes)) {
            return null;
        }
        byte[] payload = vmm.memory().read(addr + 16, len);
        return crc(seq, payload) == crc ? payload : null;
    }

    private long readSequence(long addr) {
        return getLong(addr);
    }

    /** A deterministic payload for message {@code seq}. */
    private static byte[] payload(long seq, int bytes) {
        byte[] p = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            p[i] = (byte) (seq * 31 + i);
        }
        return p;
    }

    private static int crc(long seq, byte[] payload) {
        CRC32 c = new CRC32();
        for (int i = 0; i < 8; i++) {
            c.update((int) (seq >>> (8 * i)) & 0xff);
        }
        c.update(payload);
        return (int) c.getValue();
    }

    private void putLong(long addr, long v) {
        for (int i = 0; i < 8; i++) {
            vmm.memory().write(addr + i, (byte) (v >>> (8 * i)));
        }
    }

    private void putInt(long addr, int v) {
        for (int i = 0; i < 4; i++) {
            vmm.memory().write(addr + i, (byte) (v >>> (8 * i)));
        }
    }

    private long getLong(long addr) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (vmm.memory().read(addr + i) & 0xffL) << (8 * i);
        }
        return v;
    }

    private int getInt(long addr) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (vmm.memory().read(addr + i) & 0xff) << (8 * i);
        }
        return v;
    }

    // ---- results ----

    public long sent() {
        return sent;
    }

    public long delivered() {
        return delivered;
    }

    /** Sends answered "full" (the sender was told; these were never sent). */
    public long refused() {
        return refused;
    }

    public long corrupted() {
        return corrupted;
    }

    /** Messages still in the ring, not yet received, when asked. */
    public long inFlight() {
        long n = 0;
        for (Direction d : directions()) {
            n += kind == Kind.RING ? d.head - d.tail : 0;
        }
        return n;
    }

    /** Checksum failures the receiver asked to be sent again. */
    public long retransmitted() {
        return retransmitted;
    }

    /**
     * Messages returned to their senders as an explicit error: queued to a sandbox that stays down,
     * sent to it afterwards ({@link GuestContext#STATUS_DOWN}), or corrupted again after
     * {@link #MAX_RETRANSMISSIONS} retransmissions.
     */
    public long returned() {
        return returned;
    }

    /**
     * Ring messages that were sent and neither delivered, returned to their sender, still queued nor
     * discarded when the channel was severed (must be 0).
     */
    public long lost() {
        return kind == Kind.RING ? sent - delivered - returned - inFlight() - discardedAtSeverance : 0;
    }

    /** When it was severed, in cycles; -1 while it is not. */
    public long severedAt() {
        return severedAt;
    }

    /**
     * Messages still queued when it was severed, never delivered: ring messages written and not yet
     * received; for a four-slot channel, the latest value if it was never read.
     */
    public long discardedAtSeverance() {
        return discardedAtSeverance;
    }

    /** Sends and receives answered {@link GuestContext#STATUS_SEVERED}. */
    public long refusedAfterSeverance() {
        return refusedAfterSeverance;
    }

    public Histogram latencies() {
        return latencies;
    }

    /** The host frames it occupies (for the audit). */
    public long frames() {
        long n = 0;
        for (Direction d : directions()) {
            n += d.frames();
        }
        return n;
    }
}
