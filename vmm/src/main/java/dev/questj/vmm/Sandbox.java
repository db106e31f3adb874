package dev.questj.vmm;

import dev.questj.guest.GuestContext;
import dev.questj.kernel.KThread;
import dev.questj.kernel.Kernel;
import dev.questj.kernel.MemoryGuard;
import dev.questj.machine.PhysicalMemory;
import java.util.List;

/**
 * A Quest-V sandbox: its kernel, PCPUs and host-physical region, its EPT and its monitor. It is the
 * memory guard of its kernel's threads: a user thread's access goes through the guest page table
 * (which maps only the sandbox's own non-text memory to user mode) and then the EPT; a thread with
 * the kernel's privileges (a driver) bypasses the page table, so only the EPT stands between it and
 * the rest of the machine.
 */
public final class Sandbox implements MemoryGuard {
    /** Cycles the kernel's page-fault handler costs for a blocked user access. */
    static final long PAGE_FAULT_CYCLES = 1000;

    private final String name;
    private final int index;
    private final List<Integer> cores;
    private final long base;
    private final long size;
    private final long textBytes;
    private final Ept ept;
    private final Monitor monitor = new Monitor();
    private final QuestV vmm;
    private Kernel kernel;
    private long bootCycles;

    Sandbox(QuestV vmm, String name, int index, List<Integer> cores, long base, long size, long textBytes) {
        this.vmm = vmm;
        this.name = name;
        this.index = index;
        this.cores = List.copyOf(cores);
        this.base = base;
        this.size = size;
        this.textBytes = textBytes;
        long f = PhysicalMemory.FRAME_SIZE;
        this.ept = new Ept(base / f, (base + size) / f, (base + textBytes) / f);
    }

    public String name() {
        return name;
    }

    public int index() {
        return index;
    }

    public List<Integer> cores() {
        return cores;
    }

    /** Host-physical base of its region. */
    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /** Bytes of kernel text at the bottom of its region. */
    public long textBytes() {
        return textBytes;
    }

    public Ept ept() {
        return ept;
    }

    public Monitor monitor() {
        return monitor;
    }

    public Kernel kernel() {
        return kernel;
    }

    void setKernel(Kernel kernel) {
        this.kernel = kernel;
        kernel.setMemoryGuard(this);
    }

    /** Cycles from power-on until its kernel started its threads. */
    public long bootCycles() {
        return bootCycles;
    }

    void setBootCycles(long c) {
        bootCycles = c;
    }

    public boolean ownsCore(int pcpu) {
        return cores.contains(pcpu);
    }

    boolean ownsFrame(long frame) {
        return frame >= base / PhysicalMemory.FRAME_SIZE && frame < (base + size) / PhysicalMemory.FRAME_SIZE;
    }

    private boolean inUserRegion(long address) {
        return address >= base + textBytes && address < base + size;
    }

    /** What the configuration grants: its own memory (text read-only) and its channels' frames as granted. */
    boolean granted(long address, boolean write) {
        return ept.allows(address, write);
    }

    @Override
    public int access(KThread t, long address, boolean write, long now) {
        Isolation.Kind kind = write ? Isolation.Kind.CPU_WRITE : Isolation.Kind.CPU_READ;
        int pcpu = t.vcpu().pcpuId();
        if (address < 0 || address >= vmm.memory().size() || (!t.kernelPrivilege() && !inUserRegion(address))) {
            vmm.blocked(kind, Isolation.Blocker.PAGE_TABLE, pcpu, t, address);
            kernel.chargeOverhead(pcpu, PAGE_FAULT_CYCLES);
            return GuestContext.STATUS_FAULT;
        }
        boolean legitimate = granted(address, write);
        if (legitimate) {
            return GuestContext.STATUS_OK;
        }
        if (vmm.protection().ept()) {
            vmm.blocked(kind, Isolation.Blocker.EPT, pcpu, t, address);
            vmm.vmExit(this, Monitor.ExitReason.EPT_VIOLATION, pcpu, t, "EPT violation: " + (write ? "write" : "read")
                    + " of " + vmm.describe(address));
            return GuestContext.STATUS_FAULT;
        }
        vmm.isolation().breach(kind);
        if (write) {
            vmm.memory().fill(address, Math.min(8, vmm.memory().size() - address), (byte) 0xEE);
        }
        vmm.breachEvent(this, pcpu, t, (write ? "write" : "read") + " reached " + vmm.describe(address));
        return GuestContext.STATUS_OK;
    }

    @Override
    public long addressIn(KThread t, String region) {
        var r = t.random();
        long f = PhysicalMemory.FRAME_SIZE;
        long offset = r.nextLong(f / 8) * 8;
        return switch (region) {
            case "own" -> base + textBytes + r.nextLong((size - textBytes) / f) * f + offset;
            case "kernel-text" -> base + r.nextLong(textBytes / f) * f + offset;
            case "other-sandboxes" -> frameAddress(vmm.host().randomFrame(HostMemory.Kind.SANDBOX, index, r), offset);
            case "monitor" -> frameAddress(vmm.host().randomFrame(HostMemory.Kind.MONITOR, -1, r), offset);
            case "ept" -> frameAddress(vmm.host().randomFrame(HostMemory.Kind.EPT, -1, r), offset);
            default -> -1;
        };
    }

    private static long frameAddress(long frame, long offset) {
        return frame < 0 ? -1 : frame * PhysicalMemory.FRAME_SIZE + offset;
    }
}
