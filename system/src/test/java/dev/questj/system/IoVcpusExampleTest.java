package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** examples/io-vcpus.yaml: a packet flood at ten times the NIC's I/O VCPU bandwidth is contained. */
class IoVcpusExampleTest {
    private static final long HZ = 1_000_000_000L;

    @Test
    void aFloodAtTenTimesTheNicVcpusBandwidthLeavesEveryMainVcpuThreadOnTime() throws Exception {
        QuestSystem q = QuestSystem.load(Examples.file("io-vcpus.yaml"));
        RunResult r = q.run(RunOptions.inMemory());
        double seconds = r.simulatedCycles() / (double) HZ;

        RunResult.DeviceResult nic = r.devices().stream().filter(d -> d.name().equals("eth0")).findFirst().orElseThrow();
        double arrivedPerSecond = (nic.bytes() / 1500 + nic.dropped()) / seconds;
        // a packet's bottom half: 10 us + 1 us per KiB (2 KiB) = 12 us; 10% of a second carries 8,333
        double capacityPerSecond = 0.10 * HZ / 12_000.0;
        assertThat(arrivedPerSecond).as("the flood").isGreaterThanOrEqualTo(10 * capacityPerSecond);

        assertThat(r.threads()).allSatisfy(t -> assertThat(t.deadlineMisses()).as(t.name()).isZero());
        assertThat(r.thread("control").completed()).isEqualTo(500);
        assertThat(r.thread("logger").completed()).isEqualTo(100);

        RunResult.VcpuResult nicIo = r.vcpu("nic-io");
        long inherited = nicIo.inheritedPeriods().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(nicIo.consumed()).as("U x duration + Cmax(Tmax)")
                .isLessThanOrEqualTo((long) (0.10 * r.simulatedCycles()) + inherited / 10);
        assertThat(nicIo.inheritedPeriods()).as("the receiver's Main VCPU period").containsExactly(5_000_000L);
        assertThat(nic.dropped()).as("the overflow is dropped at the NIC, and counted").isPositive();
        assertThat(r.thread("rx").completed()).as("packets through the bottom half, less the few still in the port at the end")
                .isBetween(nic.completions() - 256, nic.completions());
    }
}
