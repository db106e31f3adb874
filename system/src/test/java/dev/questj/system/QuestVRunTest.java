package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.ChannelConfig;
import dev.questj.system.config.DeviceConfig;
import dev.questj.system.config.DeviceModel;
import dev.questj.system.config.ExecTime;
import dev.questj.system.config.KernelSettings;
import dev.questj.system.config.Location;
import dev.questj.system.config.MachineConfig;
import dev.questj.system.config.MonitorsConfig;
import dev.questj.system.config.OverheadsConfig;
import dev.questj.system.config.ProtectionConfig;
import dev.questj.system.config.QuestVConfig;
import dev.questj.system.config.SandboxConfig;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.TaskModel;
import dev.questj.system.config.ThreadConfig;
import dev.questj.system.config.VcpuConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quest-V end to end on the Java API: sandboxes, a channel, attacks, with and without protections. */
class QuestVRunTest {
    private static final long HZ = 1_000_000_000L;
    private static final long US = HZ / 1_000_000;
    private static final long MS = HZ / 1000;
    private static final Location L = Location.NONE;

    static SystemConfig system(ProtectionConfig protection, boolean removeMonitors) {
        var rogue = new DeviceConfig("evil", 1, new DeviceConfig.DriverCost(US, 5 * US, 0), new DeviceModel.Rogue(2000, 500), L);
        var machine = new MachineConfig(2, 1, HZ, 64L << 20, List.of(rogue), L);
        var control = new SandboxConfig("control", List.of(0), 16L << 20, List.of(),
                List.of(new VcpuConfig("ctl", 2 * MS, 10 * MS, 0, L), new VcpuConfig("tx", 1 * MS, 10 * MS, 0, L)),
                List.of(new ThreadConfig("pid", "ctl", new TaskModel.Periodic(10 * MS, 10 * MS, new ExecTime.Constant(MS), 0), L),
                        new ThreadConfig("sender", "tx", new TaskModel.Producer("telemetry", 64, new ExecTime.Constant(50 * US), 5 * MS), L)),
                L);
        var comms = new SandboxConfig("comms", List.of(1), 16L << 20, List.of("evil"),
                List.of(new VcpuConfig("rx", 2 * MS, 10 * MS, 1, L), new VcpuConfig("bad", 1 * MS, 20 * MS, 1, L)),
                List.of(new ThreadConfig("receiver", "rx", new TaskModel.Consumer("telemetry", new ExecTime.Constant(20 * US)), L),
                        new ThreadConfig("driver", "bad", new TaskModel.WildWriter(1000, true,
                                List.of("other-sandboxes", "monitor", "ept", "kernel-text")), L),
                        new ThreadConfig("app", "bad", new TaskModel.WildWriter(1000, false, List.of("other-sandboxes", "monitor")), L)),
                L);
        var channel = new ChannelConfig("telemetry", "control", "comms", ChannelConfig.Kind.RING, false, 4096, 2 * US, true,
                MS, true, L);
        var qv = new QuestVConfig(List.of(control, comms), List.of(channel), protection, new MonitorsConfig(removeMonitors), 1500);
        return new SystemConfig("<test>", "qv", 3, 1000 * MS, machine, OverheadsConfig.NONE,
                new KernelSettings(MS, 32, KernelSettings.Admission.ENFORCE), List.of(), List.of(), qv);
    }

    @Test
    void withProtectionsEveryAttackIsBlockedAndEveryMessageArrives() throws Exception {
        RunResult r = QuestSystem.of(system(ProtectionConfig.FULL, false)).run(RunOptions.inMemory().withChecks(true));

        assertThat(r.mode()).isEqualTo("quest-v");
        assertThat(r.thread("pid").deadlineMisses()).isZero();
        assertThat(r.thread("pid").completed()).isEqualTo(100);
        RunResult.ChannelResult c = r.channels().getFirst();
        assertThat(c.sent()).isEqualTo(200);
        assertThat(c.delivered()).isBetween(199L, 200L);
        assertThat(c.lost()).isZero();
        assertThat(c.corrupted()).isZero();
        assertThat(r.isolation().breaches()).isZero();
        assertThat(r.isolation().attempts()).isEqualTo(r.isolation().blocked()).isGreaterThan(1000);
        assertThat(r.isolation().byKind().get("dma").get("blocked")).isPositive();
        assertThat(r.isolation().byKind().get("interrupt").get("blocked")).isPositive();
        assertThat(r.vmExits().afterBoot()).as("only the kernel-privileged writer's EPT violations")
                .isEqualTo(r.vmExits().byReason().get("eptViolation"));
        assertThat(r.vmExits().byReason().get("configSpace")).as("each kernel probes the one device").isEqualTo(2);
        assertThat(r.isolation().sharedFrames()).containsOnlyKeys("channel telemetry");
    }

    @Test
    void withoutProtectionsTheBreachesAreCounted() throws Exception {
        RunResult r = QuestSystem.of(system(ProtectionConfig.MMU_ONLY, false)).run(RunOptions.inMemory());

        assertThat(r.isolation().breaches()).isPositive();
        assertThat(r.isolation().byKind().get("cpuWrite").get("blockedByPageTable"))
                .as("a user thread's wild writes are still stopped by its page table").isPositive();
        assertThat(r.isolation().byKind().get("dma").get("breaches")).isPositive();
        assertThat(r.isolation().byKind().get("interrupt").get("breaches")).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameBytes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var one = dir.resolve("one");
        var two = dir.resolve("two");
        QuestSystem.of(system(ProtectionConfig.FULL, false)).run(RunOptions.inMemory().withOut(one));
        QuestSystem.of(system(ProtectionConfig.FULL, false)).run(RunOptions.inMemory().withOut(two));

        assertThat(java.nio.file.Files.readAllBytes(one.resolve("schedule.jsonl")))
                .isEqualTo(java.nio.file.Files.readAllBytes(two.resolve("schedule.jsonl")));
        assertThat(withoutWallSeconds(one.resolve("metrics.json"))).isEqualTo(withoutWallSeconds(two.resolve("metrics.json")));
    }

    private static String withoutWallSeconds(java.nio.file.Path metrics) throws java.io.IOException {
        return java.nio.file.Files.readString(metrics).replaceAll("\"wallSeconds\" : [0-9.E-]+", "");
    }
}
