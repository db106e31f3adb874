package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.guest.ExecDistribution;
import dev.questj.guest.IoBound;
import dev.questj.guest.NetworkReceiver;
import dev.questj.guest.Periodic;
import dev.questj.machine.Disk;
import dev.questj.machine.Machine;
import dev.questj.machine.Nic;
import dev.questj.machine.PacketSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The I/O path end to end on the kernel API: top half, bottom half on an I/O VCPU, requester woken. */
class IoPathTest {
    record Slice(int pcpu, String vcpu, String thread, String served, long start, long end) {}

    static final class Recorder implements ScheduleSink {
        final List<Slice> slices = new ArrayList<>();
        int irqs;

        @Override
        public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
            slices.add(new Slice(pcpu, vcpu.name(), thread.name(), null, start, end));
        }

        @Override
        public void slice(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
            slices.add(new Slice(pcpu, vcpu.name(), thread.name(), served.name(), start, end));
        }

        @Override
        public void event(long time, int pcpu, String kind, Vcpu vcpu, KThread thread, String detail) {
            if (kind.equals("irq")) {
                irqs++;
            }
        }
    }

    @Test
    void aDiskReadIsServedByTheBottomHalfAndWakesItsThreadOnce() {
        Machine m = new Machine(2, 1, 1_000_000);
        Recorder rec = new Recorder();
        Kernel k = new Kernel("", m, List.of(0, 1), new KernelParams(1000, 32, OverheadModel.NONE, true), rec);
        Vcpu app = k.createMainVcpu("app", 200, 1000, 0);
        Vcpu io = k.createIoVcpu("blk", 1, 10, 1000, 1, false, new SplittableRandom(1));
        Disk disk = new Disk("disk0", m, 1, 100, 10_000_000); // 100 cycles seek, 10 bytes per cycle
        k.attachDevice(disk, new IoSystem.DriverCost(2, 20, 1), io);
        KThread t = k.createThread("db", app, new IoBound("disk0", "read", 1024, ExecDistribution.constant(50), 1000, 1000),
                new SplittableRandom(2));
        k.start();
        m.queue().runBefore(10_000);
        k.finish();

        assertThat(t.jobsCompleted()).isEqualTo(10);
        assertThat(t.deadlineMisses()).isZero();
        assertThat(disk.requests()).isEqualTo(10);
        assertThat(disk.interrupts()).isEqualTo(10);
        IoSystem.Driver d = k.io().drivers().get(0);
        assertThat(d.completions()).isEqualTo(10);
        // seek 100 + 1024 bytes at 10 bytes/cycle (103 cycles), the top half (2) on PCPU 1, then the
        // bottom half there: 20 + 1 per KiB
        assertThat(d.latency().getMaxValue()).isEqualTo(226L);
        assertThat(rec.slices).filteredOn(s -> s.vcpu().equals("blk"))
                .hasSize(10).allSatisfy(s -> {
                    assertThat(s.thread()).isEqualTo("blk.bh");
                    assertThat(s.served()).isEqualTo("db");
                    assertThat(s.pcpu()).isEqualTo(1);
                    assertThat(s.end() - s.start()).as("top half, then the bottom half's work").isEqualTo(23);
                });
        PibsServer pibs = (PibsServer) io.server();
        assertThat(pibs.periodsSeen()).containsExactly(1000L);
        assertThat(io.consumedCycles()).as("the top half's cost lands on the VCPU that runs next").isEqualTo(230);
    }

    @Test
    void aPacketFloodIsContainedByTheNicVcpusBandwidth() {
        Machine m = new Machine(1, 1, 1_000_000);
        Recorder rec = new Recorder();
        Kernel k = new Kernel("", m, List.of(0), new KernelParams(1000, 32, OverheadModel.NONE, true), rec);
        Vcpu ctl = k.createMainVcpu("ctl", 300, 1000, 0);
        Vcpu net = k.createMainVcpu("net", 100, 2000, 0);
        Vcpu io = k.createIoVcpu("nic-io", 1, 10, 1000, 0, false, new SplittableRandom(1));
        // a packet every 10 cycles; each costs the bottom half 10 cycles: ten times the 10% bandwidth
        Nic nic = new Nic("eth0", m, 0, PacketSource.periodic(10, 64, 7), new SplittableRandom(3), 1_000_000, 64);
        k.attachDevice(nic, new IoSystem.DriverCost(0, 10, 0), io);
        KThread control = k.createThread("control", ctl, new Periodic(1000, 1000, ExecDistribution.constant(300), 0),
                new SplittableRandom(4));
        KThread rx = k.createThread("rx", net, new NetworkReceiver("eth0", 7, ExecDistribution.constant(1), 0),
                new SplittableRandom(5));
        k.start();
        nic.start();
        m.queue().runUntil(100_000);
        k.finish();

        assertThat(control.deadlineMisses()).isZero();
        assertThat(control.jobsCompleted()).isEqualTo(100);
        // the I/O VCPU never used more than U x elapsed + one Cmax (of its longest inherited period)
        PibsServer pibs = (PibsServer) io.server();
        assertThat(io.consumedCycles()).isLessThanOrEqualTo(100_000 / 10 + pibs.longestPeriod() / 10);
        assertThat(io.consumedCycles()).isGreaterThan(100_000 / 10 * 9 / 10);
        assertThat(nic.dropped() + k.io().drivers().get(0).unclaimed()).as("the flood overflows, visibly").isPositive();
        assertThat(rx.jobsCompleted()).isPositive();
        assertThat(pibs.periodsSeen()).containsExactly(2000L);
    }
}
