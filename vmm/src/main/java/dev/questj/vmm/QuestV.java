package dev.questj.vmm;

import dev.questj.kernel.Ipc;
import dev.questj.kernel.KThread;
import dev.questj.kernel.Kernel;
import dev.questj.kernel.ScheduleSink;
import dev.questj.machine.Device;
import dev.questj.machine.Machine;
import dev.questj.machine.PhysicalMemory;
import dev.questj.machine.RogueDevice;
import dev.questj.sim.EventQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quest-V: several Quest kernels, each in its own sandbox, on one machine, with nothing shared
 * that the configuration did not grant. There is no global scheduler: each sandbox's kernel
 * schedules its own PCPUs; each sandbox's monitor only boots it, owns its EPT, handles its VM exits
 * and sets up channels.
 *
 * <p>Host-physical layout, from the bottom: per sandbox its monitor's memory (1 MiB) and its EPT
 * tables (1 MiB), then its region; then the channels' frames. Boot, per sandbox: the monitor copies
 * the kernel image into the region, builds the EPT (own region read-write, kernel text read and
 * execute, static channels as granted), and starts the kernel, which probes every device's
 * configuration space (a VM exit each; devices not assigned read as absent), routes its devices'
 * interrupts (a VM exit each, checked) and maps its non-static channels by hypercall (a VM exit
 * each). Then the threads start. After boot, steady state takes no VM exit.
 */
public final class QuestV {
    /** The monitor's own memory and the EPT tables, per sandbox. */
    public static final long MONITOR_BYTES = 1 << 20;
    public static final long EPT_BYTES = 1 << 20;
    /** The kernel image (text) at the bottom of each region. */
    public static final long KERNEL_TEXT_BYTES = 1 << 20;
    /** Cycles the monitor takes to copy one page of the kernel image, and to map one page in the EPT. */
    static final long COPY_PAGE_CYCLES = 1000;
    static final long MAP_PAGE_CYCLES = 20;
    /** Cycles a spurious interrupt costs the PCPU it reaches. */
    static final long SPURIOUS_INTERRUPT_CYCLES = 1000;

    /** The hardware protections in force. */
    public record Protection(boolean ept, boolean iommu, boolean interruptRemapping) {}

    private final Machine machine;
    private final HostMemory host;
    private final Protection protection;
    private final long vmExitCycles;
    private final ScheduleSink sink;
    private final List<Sandbox> sandboxes = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final Map<Device, Sandbox> deviceOwner = new IdentityHashMap<>();
    private final Map<Device, Integer> deviceVector = new IdentityHashMap<>();
    private final Map<Integer, Sandbox> coreOwner = new HashMap<>();
    private final List<Device> devices = new ArrayList<>();
    private final Isolation isolation = new Isolation();
    private final boolean removeMonitorsAfterBoot;
    private final Faults faults = new Faults(this);

    public QuestV(Machine machine, Protection protection, long vmExitCycles, boolean removeMonitorsAfterBoot, ScheduleSink sink) {
        this.machine = machine;
        this.host = new HostMemory(machine.memory());
        this.protection = protection;
        this.vmExitCycles = vmExitCycles;
        this.removeMonitorsAfterBoot = removeMonitorsAfterBoot;
        this.sink = sink;
    }

    /** Creates a sandbox on PCPUs {@code cores} with a region of {@code memoryBytes}; its kernel is attached next. */
    public Sandbox addSandbox(String name, List<Integer> cores, long memoryBytes) {
        int index = sandboxes.size();
        host.allocate(HostMemory.Kind.MONITOR, index, MONITOR_BYTES);
        host.allocate(HostMemory.Kind.EPT, index, EPT_BYTES);
        long text = Math.min(KERNEL_TEXT_BYTES, memoryBytes / 4);
        long base = host.allocate(HostMemory.Kind.SANDBOX, index, memoryBytes);
        Sandbox s = new Sandbox(this, name, index, cores, base, memoryBytes, text);
        sandboxes.add(s);
        faults.addSandbox(s);
        for (int c : cores) {
            coreOwner.put(c, s);
        }
        return s;
    }

    public void attachKernel(Sandbox s, Kernel kernel) {
        s.setKernel(kernel);
        kernel.setIpc(new SandboxIpc(s));
    }

    /** Every device of the machine: each kernel probes them all at boot (unassigned ones read as absent). */
    public void addDevice(Device d) {
        devices.add(d);
        if (!deviceOwner.containsKey(d)) {
            d.setDmaRegion(0, 0); // no sandbox: the IOMMU maps it nowhere, so it moves no data
        }
        if (d instanceof RogueDevice rogue) {
            rogue.setGuards(this::dma, this::msi);
        }
    }

    /** Assigns a device to a sandbox: its DMA ring moves into the sandbox's region, its MSI vector is fixed. */
    public void assignDevice(Device d, Sandbox s) {
        deviceOwner.put(d, s);
        deviceVector.put(d, 32 + deviceVector.size());
        long ring = 64 * 1024;
        d.setDmaRegion(s.base() + s.size() - ring * deviceVector.size(), ring);
    }

    public Channel addChannel(String name, Channel.Kind kind, Sandbox from, Sandbox to, boolean bidirectional, long bytes,
            long latency, boolean doorbell, long poll, boolean isStatic) {
        Channel c = new Channel(this, name, kind, from, to, bidirectional, bytes, latency, doorbell, poll, isStatic,
                channels.size());
        channels.add(c);
        return c;
    }

    /**
     * Boots every sandbox at time 0 and starts each kernel's threads when its boot is done; returns
     * the latest boot end. Static channels are mapped by the monitors before the kernels start.
     */
    public long boot() {
        for (Channel c : channels) {
            if (c.isStatic()) {
                c.map(); // fixed at boot by the two monitors: no hypercall
            }
        }
        long latest = 0;
        for (Sandbox s : sandboxes) {
            long cycles = monitorBoot(s) + kernelBoot(s);
            s.setBootCycles(cycles);
            s.kernel().start(cycles);
            sink.event(cycles, s.cores().getFirst(), "boot", null, null, s.name());
            latest = Math.max(latest, cycles);
        }
        faults.boot();
        long end = latest;
        queue().schedule(dev.questj.sim.Event.of(dev.questj.sim.Priority.CONTROL, now -> bootComplete()), end);
        return end;
    }

    private long monitorBoot(Sandbox s) {
        long pages = s.size() / PhysicalMemory.FRAME_SIZE;
        return KERNEL_TEXT_BYTES / PhysicalMemory.FRAME_SIZE * COPY_PAGE_CYCLES + pages * MAP_PAGE_CYCLES;
    }

    /**
     * What a recovery of {@code s} costs besides the kernel's own re-initialisation: the exit, the
     * copy of {@code textPages} image pages, the EPT rebuilt page by page, and the kernel's boot-time
     * exits (device probes, interrupt routing, channel mapping) again.
     */
    long restoreCycles(Sandbox s, long textPages) {
        long pages = s.size() / PhysicalMemory.FRAME_SIZE;
        return vmExitCycles + textPages * COPY_PAGE_CYCLES + pages * MAP_PAGE_CYCLES + kernelBoot(s);
    }

    /** A recovered sandbox's EPT gets its channels' frames back (their other ends never lost them). */
    void remapChannels(Sandbox s) {
        for (Channel c : channels) {
            if (!c.isSevered() && (c.from() == s || c.to() == s)) {
                c.map();
            }
        }
    }

    private long kernelBoot(Sandbox s) {
        long cycles = 0;
        for (int i = 0; i < devices.size(); i++) {
            s.monitor().exit(Monitor.ExitReason.CONFIG_SPACE);
            cycles += vmExitCycles;
        }
        for (Device d : devices) { // in machine order: identity-hash order must never reach the run
            if (deviceOwner.get(d) == s) {
                s.monitor().exit(Monitor.ExitReason.INTERRUPT_ROUTING);
                cycles += vmExitCycles;
            }
        }
        for (Channel c : channels) {
            if (!c.isStatic() && (c.from() == s || c.to() == s)) {
                s.monitor().exit(Monitor.ExitReason.HYPERCALL);
                cycles += vmExitCycles;
                c.map();
            }
        }
        return cycles;
    }

    private void bootComplete() {
        for (Sandbox s : sandboxes) {
            s.monitor().bootDone();
            if (removeMonitorsAfterBoot) {
                s.monitor().remove();
            }
        }
    }

    /**
     * Severs channel {@code name} at {@code at} (MILS): the monitor of each end takes a hypercall VM
     * exit and revokes the channel's frames from its EPT; see {@link Channel#sever(long)}. The monitors
     * must still be there then.
     */
    public void severAt(String name, long at) {
        Channel c = channels.stream().filter(ch -> ch.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no channel \"" + name + "\""));
        queue().schedule(dev.questj.sim.Event.of(dev.questj.sim.Priority.CONTROL, now -> sever(c, now)), at);
    }

    private void sever(Channel c, long now) {
        for (Sandbox s : List.of(c.from(), c.to())) {
            if (!s.monitor().isPresent()) {
                throw new IllegalStateException("channel " + c.name() + " cannot be severed: the monitor of " + s.name() + " was removed");
            }
            vmExit(s, Monitor.ExitReason.HYPERCALL, s.cores().getFirst(), null, "sever channel " + c.name());
        }
        c.sever(now);
        sink.event(now, c.from().cores().getFirst(), "sever", null, null, "channel " + c.name() + ": frames revoked from "
                + c.from().name() + " and " + c.to().name() + "; " + c.discardedAtSeverance() + " queued message"
                + (c.discardedAtSeverance() == 1 ? "" : "s") + " discarded");
    }

    // ---- VM exits and faults ----

    void vmExit(Sandbox s, Monitor.ExitReason reason, int pcpu, KThread t, String detail) {
        if (s.monitor().isPresent()) {
            s.monitor().exit(reason);
            s.kernel().chargeOverhead(pcpu, vmExitCycles);
        }
        sink.event(queue().now(), pcpu, "vmexit", t == null ? null : t.vcpu(), t, reason.label() + ": " + detail);
    }

    /** An attempt a protection stopped: counted once in the ledger and logged once as a "blocked" event. */
    void blocked(Isolation.Kind kind, Isolation.Blocker by, int pcpu, KThread t, long address) {
        isolation.block(kind, by);
        sink.event(queue().now(), pcpu, "blocked", t == null ? null : t.vcpu(), t,
                kind.name().toLowerCase(java.util.Locale.ROOT) + " of " + (address < 0 ? "an interrupt" : describe(address))
                        + " by " + by.name().toLowerCase(java.util.Locale.ROOT));
    }

    void breachEvent(Sandbox s, int pcpu, KThread t, String detail) {
        sink.event(queue().now(), pcpu, "breach", t == null ? null : t.vcpu(), t, detail);
    }

    /** A device's DMA write: the IOMMU confines it to the owning sandbox's frames. */
    void dma(Device d, long address, long bytes, long now) {
        Sandbox owner = deviceOwner.get(d);
        long frame = address / PhysicalMemory.FRAME_SIZE;
        if (owner != null && owner.ownsFrame(frame)) {
            return; // its own memory: legitimate
        }
        if (protection.iommu()) {
            blocked(Isolation.Kind.DMA, Isolation.Blocker.IOMMU, d.irqPcpu(), null, address);
            return;
        }
        isolation.breach(Isolation.Kind.DMA);
        machine.memory().fill(address, Math.min(bytes, machine.memory().size() - address), (byte) 0xDD);
        sink.event(now, d.irqPcpu(), "breach", null, null, "DMA by " + d.name() + " reached " + describe(address));
    }

    /** A message-signalled interrupt: interrupt remapping checks its vector and destination. */
    void msi(Device d, int vector, int pcpu, long now) {
        Sandbox owner = deviceOwner.get(d);
        boolean allowed = owner != null && owner.ownsCore(pcpu) && deviceVector.get(d) == vector;
        if (allowed) {
            return;
        }
        if (protection.interruptRemapping()) {
            blocked(Isolation.Kind.INTERRUPT, Isolation.Blocker.INTERRUPT_REMAPPING, pcpu, null, -1);
            return;
        }
        if (owner != null && owner.ownsCore(pcpu)) {
            blocked(Isolation.Kind.INTERRUPT, Isolation.Blocker.LOCAL_APIC, pcpu, null, -1);
            return;
        }
        Sandbox victim = coreOwner.get(pcpu);
        isolation.breach(Isolation.Kind.INTERRUPT);
        if (victim != null) {
            victim.kernel().chargeOverhead(pcpu, SPURIOUS_INTERRUPT_CYCLES);
        }
        sink.event(now, pcpu, "breach", null, null, "forged MSI from " + d.name() + " reached PCPU " + pcpu);
    }

    /** Where an address lies, in words: "sandbox comms", "the monitor of control", ... */
    String describe(long address) {
        long frame = address / PhysicalMemory.FRAME_SIZE;
        int owner = host.ownerOf(frame);
        return switch (host.kindOf(frame)) {
            case SANDBOX -> "sandbox " + sandboxes.get(owner).name() + "'s memory";
            case MONITOR -> "the monitor of " + sandboxes.get(owner).name();
            case EPT -> "the EPT tables of " + sandboxes.get(owner).name();
            case CHANNEL -> "channel " + channels.get(owner).name();
            case FREE -> "unallocated memory";
        };
    }

    // ---- queries ----

    public List<Sandbox> sandboxes() {
        return List.copyOf(sandboxes);
    }

    public List<Channel> channels() {
        return List.copyOf(channels);
    }

    /** Fault injection, the watchdogs and recovery. */
    public Faults faults() {
        return faults;
    }

    /** The run ended at {@code end}. */
    public void finish(long end) {
        faults.finish(end);
    }

    ScheduleSink sink() {
        return sink;
    }

    public Isolation isolation() {
        return isolation;
    }

    public Protection protection() {
        return protection;
    }

    HostMemory host() {
        return host;
    }

    PhysicalMemory memory() {
        return machine.memory();
    }

    EventQueue queue() {
        return machine.queue();
    }

    /**
     * The audit: every host frame mapped into more than one sandbox's EPT, by channel name; it must
     * equal the declared (and not severed) channels' frames.
     */
    public Map<String, Long> sharedFrames() {
        Map<String, Long> shared = new java.util.TreeMap<>();
        for (long f = 0; f < host.frames(); f++) {
            int mapped = 0;
            for (Sandbox s : sandboxes) {
                if (s.ept().isShared(f)) {
                    mapped++;
                }
            }
            if (mapped > 1) {
                shared.merge(describe(f * PhysicalMemory.FRAME_SIZE), 1L, Long::sum);
            }
        }
        return shared;
    }

    /** The channels a kernel of sandbox {@code s} can use, by name. */
    private final class SandboxIpc implements Ipc {
        private final Sandbox sandbox;

        SandboxIpc(Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        private Channel channel(String name) {
            for (Channel c : channels) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("no channel \"" + name + "\"");
        }

        @Override
        public int send(KThread t, String channel, long bytes, long now) {
            return channel(channel).send(sandbox, t, bytes, now);
        }

        @Override
        public int receive(KThread t, String channel, long now) {
            return channel(channel).receive(sandbox, t, now);
        }

        @Override
        public long returned(KThread t, String channel) {
            return channel(channel).returnedTo(sandbox);
        }
    }
}
