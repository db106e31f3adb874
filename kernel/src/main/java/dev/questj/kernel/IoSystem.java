package dev.questj.kernel;

import dev.questj.guest.Guest;
import dev.questj.guest.GuestContext;
import dev.questj.machine.Device;
import dev.questj.machine.Transfer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Quest's I/O path: interrupts handled as threads (QUEST-ALGORITHMS.md section 3).
 *
 * <p>A device's interrupt runs a small top half on the PCPU it is routed to (charged there as
 * overhead): it takes the completed transfers off the device, finds for each the thread it is for
 * (the thread that issued the request, or for a received packet the thread bound to its port), picks
 * the I/O VCPU that serves it (the thread's own I/O VCPU, else the device's), lets that VCPU inherit
 * the requester's Main VCPU period, queues the work and wakes the I/O VCPU's bottom-half thread
 * (through an IPI when it lives on another PCPU). The bottom half serves its queue FIFO, each item
 * costing the driver's per-request plus per-KiB cycles, then wakes the requester (or hands the
 * packet to its port). One budget serves every device bound to an I/O VCPU.
 */
public final class IoSystem {
    /** Cycles a driver costs. */
    public record DriverCost(long topHalf, long perRequest, long perKiB) {
        public DriverCost {
            if (topHalf < 0 || perRequest < 0 || perKiB < 0) {
                throw new IllegalArgumentException("driver costs cannot be negative");
            }
        }

        long bottomHalf(long bytes) {
            return Math.max(1, perRequest + perKiB * Math.ceilDiv(bytes, 1024));
        }
    }

    /** Packets a port buffers for a thread that is not waiting yet; more are dropped (counted). */
    static final int PORT_BUFFER = 256;

    private final Kernel kernel;
    private final Map<Device, Driver> drivers = new IdentityHashMap<>();
    private final List<Driver> driverList = new ArrayList<>();
    private final Map<String, Driver> byName = new HashMap<>();
    private final Map<Vcpu, BottomHalf> bottomHalves = new IdentityHashMap<>();
    private final Map<KThread, Vcpu> taskIoVcpu = new IdentityHashMap<>();
    private final Map<Long, Port> ports = new HashMap<>();

    /** The kernel's incarnation: completions of requests issued before a recovery are stale. */
    private int epoch;

    IoSystem(Kernel kernel) {
        this.kernel = kernel;
    }

    /** A device as its driver sees it: costs, its I/O VCPU, and what it measured. */
    public static final class Driver {
        final Device device;
        final DriverCost cost;
        final Vcpu ioVcpu;
        /** Position among the kernel's drivers (part of a port's key). */
        final int index;
        final Histogram latency = new Histogram(3);
        long completions;
        long unclaimed;

        Driver(Device device, DriverCost cost, Vcpu ioVcpu, int index) {
            this.index = index;
            this.device = device;
            this.cost = cost;
            this.ioVcpu = ioVcpu;
        }

        public Device device() {
            return device;
        }

        /** The I/O VCPU serving it (null: only threads with their own I/O VCPU can use it). */
        public Vcpu ioVcpu() {
            return ioVcpu;
        }

        /** From a request's issue (or a packet's arrival) until its bottom half finished, cycles. */
        public Histogram latency() {
            return latency;
        }

        public long completions() {
            return completions;
        }

        /** Packets for a port no thread is bound to, port-buffer overflows, work dropped by a recovery: counted. */
        public long unclaimed() {
            return unclaimed;
        }
    }

    /** A NIC port: packets waiting for the thread bound to it. */
    private static final class Port {
        final ArrayDeque<Transfer> packets = new ArrayDeque<>();
        /** The thread that receives on it (the first to call receive). */
        KThread owner;
        boolean ownerWaiting;
    }

    /** One queued piece of bottom-half work. */
    private record Work(Transfer transfer, KThread requester, Driver driver) {}

    /** The bottom-half thread of an I/O VCPU, as a kernel-internal guest. */
    final class BottomHalf implements Guest {
        final Vcpu vcpu;
        KThread thread;
        final ArrayDeque<Work> queue = new ArrayDeque<>();
        Work current;

        BottomHalf(Vcpu vcpu) {
            this.vcpu = vcpu;
        }

        @Override
        public void next(GuestContext ctx) {
            if (current != null) {
                IoSystem.this.finishWork(current, this);
                current = null;
            }
            current = queue.pollFirst();
            KThread self = (KThread) ctx;
            if (current == null) {
                self.serving = null;
                self.block();
                return;
            }
            self.serving = current.requester;
            ctx.compute(current.driver.cost.bottomHalf(current.transfer.bytes()));
        }
    }

    // ---- set-up ----

    /** Adds the bottom-half thread of I/O VCPU {@code v}. */
    void addIoVcpu(Vcpu v, SplittableRandom random) {
        BottomHalf bh = new BottomHalf(v);
        bh.thread = kernel.createInternalThread(v.name() + ".bh", v, bh, random);
        bottomHalves.put(v, bh);
    }

    void attach(Device device, DriverCost cost, Vcpu ioVcpu) {
        if (drivers.containsKey(device)) {
            throw new IllegalArgumentException("device " + device + " already has a driver");
        }
        if (ioVcpu != null && !bottomHalves.containsKey(ioVcpu)) {
            throw new IllegalArgumentException("VCPU " + ioVcpu + " is not an I/O VCPU");
        }
        Driver d = new Driver(device, cost, ioVcpu, driverList.size());
        drivers.put(device, d);
        driverList.add(d);
        byName.put(device.name(), d);
    }

    void setTaskIoVcpu(KThread t, Vcpu io) {
        if (!bottomHalves.containsKey(io)) {
            throw new IllegalArgumentException("VCPU " + io + " is not an I/O VCPU");
        }
        taskIoVcpu.put(t, io);
    }

    public List<Driver> drivers() {
        return List.copyOf(driverList);
    }

    // ---- from guests ----

    /** A thread issues a request; returns false (and faults the guest) when it cannot. */
    boolean request(KThread t, String deviceName, String op, long bytes, long now) {
        Driver d = byName.get(deviceName);
        if (d == null) {
            kernel.guestFault(t, "I/O to unknown device \"" + deviceName + "\"");
            return false;
        }
        Transfer.Kind kind;
        try {
            kind = Transfer.Kind.ofRequest(op);
        } catch (IllegalArgumentException e) {
            kernel.guestFault(t, e.getMessage());
            return false;
        }
        if (!d.device.supports(kind)) {
            kernel.guestFault(t, "device " + deviceName + " (" + d.device.type() + ") cannot " + op);
            return false;
        }
        if (ioVcpuFor(t, d) == null) {
            kernel.guestFault(t, "no I/O VCPU serves device " + deviceName + " for thread " + t.name());
            return false;
        }
        Transfer tr = new Transfer(d.device, kind, Math.max(1, bytes), -1, now);
        tr.owner = t;
        tr.epoch = epoch;
        t.lastIoStart = now;
        kernel.sink().ioRequest(now, t.vcpu().pcpuId(), t.vcpu(), t, deviceName, op, tr.bytes());
        d.device.submit(tr);
        return true;
    }

    /**
     * A thread takes the next packet of a port: true with {@code lastIoStart} set when one was
     * waiting, false when the thread must block (it is then the port's waiter).
     */
    boolean receive(KThread t, String deviceName, int port, long now) {
        Driver d = byName.get(deviceName);
        if (d == null || !d.device.type().equals("nic")) {
            kernel.guestFault(t, "receive from \"" + deviceName + "\", which is not a NIC");
            t.state = KThread.State.EXITED;
            return false;
        }
        Port p = ports.computeIfAbsent(portKey(d, port), k -> new Port());
        if (p.owner == null) {
            p.owner = t;
        } else if (p.owner != t) {
            kernel.guestFault(t, "port " + port + " of " + deviceName + " is bound to thread " + p.owner.name());
            t.state = KThread.State.EXITED;
            return false;
        }
        Transfer packet = p.packets.pollFirst();
        if (packet != null) {
            t.lastIoStart = packet.issued();
            return true;
        }
        p.ownerWaiting = true;
        return false;
    }

    private static long portKey(Driver d, int port) {
        return ((long) d.index << 32) | (port & 0xffffffffL);
    }

    private Vcpu ioVcpuFor(KThread requester, Driver d) {
        Vcpu own = taskIoVcpu.get(requester);
        return own != null ? own : d.ioVcpu;
    }

    // ---- the top half ----

    /** The interrupt of {@code device} on PCPU {@code pcpu}; returns the top half's cost. */
    long topHalf(Device device, int pcpu, long now) {
        Driver d = drivers.get(device);
        if (d == null) {
            return 0; // no driver: the interrupt is acknowledged and ignored
        }
        for (Transfer t = device.pollCompleted(); t != null; t = device.pollCompleted()) {
            KThread requester = requesterOf(d, t);
            if (requester == null) {
                d.unclaimed++;
                device.release(t);
                continue;
            }
            enqueue(d, t, requester, pcpu, now);
        }
        return d.cost.topHalf();
    }

    private KThread requesterOf(Driver d, Transfer t) {
        if (t.kind() != Transfer.Kind.RECEIVE) {
            return t.epoch == epoch ? (KThread) t.owner : null; // issued before a recovery: nobody waits
        }
        Port p = ports.get(portKey(d, t.port()));
        return p == null ? null : p.owner;
    }

    private void enqueue(Driver d, Transfer t, KThread requester, int pcpu, long now) {
        Vcpu io = ioVcpuFor(requester, d);
        if (io == null) {
            d.unclaimed++;
            d.device.release(t);
            return;
        }
        BottomHalf bh = bottomHalves.get(io);
        // Idle: the bottom half waits for work. Not "the VCPU is not queued": a bottom half woken by an
        // IPI that has not arrived yet is already busy, and must not be re-budgeted or lose its priority.
        boolean idle = bh.thread.state == KThread.State.BLOCKED;
        if (io.server() instanceof PibsServer pibs && pibs.onInterrupt(now, requester.vcpu().server().period(), idle)) {
            io.pcpu.priorityChanged(io, now);
        }
        bh.queue.addLast(new Work(t, requester, d));
        if (bh.thread.state == KThread.State.BLOCKED) {
            kernel.wakeFrom(bh.thread, pcpu);
        }
    }

    // ---- the bottom half's end of one request ----

    private void finishWork(Work w, BottomHalf bh) {
        long now = kernel.now();
        Driver d = w.driver;
        d.completions++;
        d.latency.recordValue(Math.max(0, now - w.transfer.issued()));
        d.device.release(w.transfer);
        int here = bh.vcpu.pcpuId();
        if (w.transfer.kind() == Transfer.Kind.RECEIVE) {
            deliverPacket(d, w, here);
        } else {
            w.requester.lastIoStart = w.transfer.issued();
            kernel.wakeFrom(w.requester, here);
        }
    }

    private void deliverPacket(Driver d, Work w, int here) {
        Port p = ports.get(portKey(d, w.transfer.port()));
        if (p.ownerWaiting) {
            p.ownerWaiting = false;
            p.owner.lastIoStart = w.transfer.issued();
            kernel.wakeFrom(p.owner, here);
        } else if (p.packets.size() < PORT_BUFFER) {
            p.packets.addLast(w.transfer);
        } else {
            d.unclaimed++;
        }
    }

    /**
     * The kernel was restarted by a recovery: queued bottom-half work and completed transfers are
     * dropped (released to their devices, counted as unclaimed), ports forget their threads, and
     * requests still at a device become stale.
     */
    void reset() {
        epoch++;
        for (Driver d : driverList) {
            for (Transfer t = d.device.pollCompleted(); t != null; t = d.device.pollCompleted()) {
                d.unclaimed++;
                d.device.release(t);
            }
        }
        for (Vcpu v : kernel.vcpus()) { // creation order: identity-hash order must never reach the run
            BottomHalf bh = bottomHalves.get(v);
            if (bh == null) {
                continue;
            }
            if (bh.current != null) {
                bh.queue.addFirst(bh.current);
                bh.current = null;
            }
            for (Work w : bh.queue) {
                w.driver.unclaimed++;
                w.driver.device.release(w.transfer);
            }
            bh.queue.clear();
        }
        ports.forEach((key, port) -> driverList.get((int) (key >>> 32)).unclaimed += port.packets.size()); // a sum: order-free
        ports.clear();
    }

    /** The bottom-half thread of I/O VCPU {@code v}, or null. */
    public KThread bottomHalfThread(Vcpu v) {
        BottomHalf bh = bottomHalves.get(v);
        return bh == null ? null : bh.thread;
    }
}
