package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Valid Quest-V descriptions: sandboxes, channels, protection, monitors, the new models and the rogue device. */
class QuestVConfigReaderTest {
    /** The reference's example (docs/CONFIG.md, Quest-V mode). */
    static final String ROVER = """
            format: 1
            name: rover
            machine:
              cores: 4
              frequency: 2GHz
              memory: 512MiB
              devices:
                - {name: eth0, type: nic, irq: {core: 3}, arrivals: {pattern: poisson, rate: 2000/s, size: 1500B, port: 7}}
                - {name: imu, type: sensor, irq: {core: 0}, period: 5ms}
                - {name: evil, type: rogue, irq: {core: 2}, dmaRate: 1000/s, msiRate: 100/s}
            overheads: {contextSwitch: 2us, vmExit: 1500 cycles}
            protection: {ept: true, iommu: true, interruptRemapping: true}
            monitors: {afterBoot: keep}
            sandboxes:
              - name: control
                cores: [0, 1]
                memory: 128MiB
                devices: [imu]
                vcpus:
                  - {name: ctl, budget: 2ms, period: 10ms, core: 0}
                  - {name: nav, budget: 10ms, period: 50ms}
                  - {name: imu-io, kind: io, utilisation: 10%, devices: [imu], core: 0}
                threads:
                  - {name: pid, vcpu: ctl, model: periodic, period: 10ms, exec: 1500us}
                  - {name: fuse, vcpu: nav, model: io-bound, device: imu, exec: 200us, period: 10ms}
                  - {name: report, vcpu: nav, model: producer, channel: telemetry, size: 64B, exec: 100us, period: 10ms}
                  - {name: steer, vcpu: ctl, model: consumer, channel: setpoint, exec: 50us}
              - name: comms
                cores: [3]
                memory: 64MiB
                devices: [eth0]
                vcpus:
                  - {name: nav, budget: 10ms, period: 50ms}
                  - {name: net-io, kind: io, utilisation: 10%, classes: [nic]}
                threads:
                  - {name: rx, vcpu: nav, model: network-receiver, device: eth0, port: 7, exec: 50us}
                  - {name: downlink, vcpu: nav, model: consumer, channel: telemetry, exec: 50us}
                  - {name: uplink, vcpu: nav, model: producer, channel: setpoint, size: 1KiB, exec: 50us, period: 100ms}
              - name: attacker
                cores: [2]
                memory: 16MiB
                devices: [evil]
                vcpus: [{name: a, budget: 1ms, period: 10ms}]
                threads:
                  - {name: wild, vcpu: a, model: wild-writer, rate: 1000/s, privilege: user, targets: [other-sandboxes, monitor, ept]}
            channels:
              - {name: telemetry, from: control, to: comms, kind: ring, size: 4KiB, latency: 2us, static: true, direction: one-way, doorbell: true, poll: 1ms}
              - {name: setpoint, from: comms, to: control, kind: four-slot, size: 64B, doorbell: false, poll: 5ms}
            """;

    @Test
    void readsAWholeQuestVSystem() throws ConfigException {
        SystemConfig c = ConfigReader.parse(ROVER, "rover.yaml");
        QuestVConfig q = c.questV();

        assertThat(q.enabled()).isTrue();
        assertThat(c.vcpus()).isEmpty();
        assertThat(c.threads()).isEmpty();
        assertThat(q.vmExitCycles()).isEqualTo(1500);
        assertThat(q.protection()).isEqualTo(ProtectionConfig.FULL);
        assertThat(q.monitors()).isEqualTo(new MonitorsConfig(false));
        assertThat(c.overheads()).isEqualTo(new OverheadsConfig(4000, 0, 0, 0));

        assertThat(q.sandboxes()).extracting(SandboxConfig::name).containsExactly("control", "comms", "attacker");
        SandboxConfig control = q.sandboxes().get(0);
        assertThat(control.cores()).containsExactly(0, 1);
        assertThat(control.memoryBytes()).isEqualTo(128L << 20);
        assertThat(control.devices()).containsExactly("imu");
        assertThat(control.vcpus()).extracting(VcpuConfig::name).containsExactly("ctl", "nav", "imu-io");
        assertThat(control.vcpus().get(1).core()).isEqualTo(-1);
        assertThat(control.threads()).extracting(ThreadConfig::name).containsExactly("pid", "fuse", "report", "steer");
        assertThat(control.threads().get(2).model())
                .isEqualTo(new TaskModel.Producer("telemetry", 64, new ExecTime.Constant(200_000), 20_000_000));
        assertThat(control.threads().get(3).model()).isEqualTo(new TaskModel.Consumer("setpoint", new ExecTime.Constant(100_000)));
        // Two sandboxes may both have a VCPU nav.
        assertThat(q.sandboxes().get(1).vcpus().get(0).name()).isEqualTo("nav");
        assertThat(q.sandboxes().get(2).threads().get(0).model()).isEqualTo(
                new TaskModel.WildWriter(1000, false, List.of("other-sandboxes", "monitor", "ept")));

        assertThat(q.channels()).containsExactly(
                new ChannelConfig("telemetry", "control", "comms", ChannelConfig.Kind.RING, false, 4096, 4000, true,
                        2_000_000, true, q.channels().get(0).location()),
                new ChannelConfig("setpoint", "comms", "control", ChannelConfig.Kind.FOUR_SLOT, false, 4096, 2000, false,
                        10_000_000, true, q.channels().get(1).location()));
        assertThat(q.channels().get(1).location()).isEqualTo(new Location("rover.yaml", 48, 5, "channels[1]"));
        assertThat(control.location()).isEqualTo(new Location("rover.yaml", 15, 5, "sandboxes[0]"));
        assertThat(control.threads().get(0).location().path()).isEqualTo("sandboxes[0].threads[0]");

        DeviceConfig evil = c.machine().devices().get(2);
        assertThat(evil.model()).isEqualTo(new DeviceModel.Rogue(1000, 100));
        assertThat(evil.type()).isEqualTo("rogue");
        assertThat(evil.driver()).isEqualTo(new DeviceConfig.DriverCost(2000, 10_000, 0));   // an actuator's, at 2 GHz
    }

    /** The reference's whole examples (the blocks with a machine) read without errors; its Quest-V example is this one. */
    @Test
    void theReferencesExamplesRead() throws Exception {
        String doc = Files.readString(Path.of("../docs/CONFIG.md"));
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> examples = new ArrayList<>();
        while (block.find()) {
            if (block.group(1).startsWith("machine:") || block.group(1).contains("\nmachine:")) {
                examples.add(block.group(1));
            }
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3).contains(ROVER);
        for (String example : examples) {
            ConfigReader.parse(example, "CONFIG.md");
        }
    }

    @Test
    void eachSandboxsIoVcpusServeOnlyItsOwnDevices() throws ConfigException {
        SystemConfig c = ConfigReader.parse(ROVER, "rover.yaml");
        SandboxConfig control = c.questV().sandboxes().get(0);
        SandboxConfig comms = c.questV().sandboxes().get(1);
        assertThat(IoBindings.byDevice(c.machine(), control)).isEqualTo(Map.of("imu", "imu-io"));
        assertThat(IoBindings.byDevice(c.machine(), comms)).isEqualTo(Map.of("eth0", "net-io"));
        assertThat(IoBindings.byDevice(c)).isEmpty();
    }

    private static final String TWO = """
            machine: {cores: 4, memory: 64MiB, devices: [{name: tty, type: serial, irq: {core: 3}}]}
            sandboxes:
              - {name: a, cores: [0], memory: 8MiB, vcpus: [{name: v, budget: 1ms, period: 5ms}],
                 threads: [{name: t, vcpu: v, model: cpu-hog}]}
              - {name: b, cores: [1, 2], memory: 8MiB}
            """;

    @Test
    void defaultsOfQuestVMode() throws ConfigException {
        SystemConfig c = ConfigReader.parse(TWO, "t.yaml");
        QuestVConfig q = c.questV();
        assertThat(q.protection()).isEqualTo(ProtectionConfig.FULL);
        assertThat(q.monitors().removeAfterBoot()).isFalse();
        assertThat(q.vmExitCycles()).isEqualTo(QuestVConfig.DEFAULT_VM_EXIT_CYCLES);
        assertThat(q.channels()).isEmpty();
        // A sandbox may have no devices, VCPUs or threads; PCPU 3 and device tty belong to no sandbox.
        SandboxConfig b = q.sandboxes().get(1);
        assertThat(b.devices()).isEmpty();
        assertThat(b.vcpus()).isEmpty();
        assertThat(b.threads()).isEmpty();
    }

    @Test
    void protectionAsAWordOrAMapping() throws ConfigException {
        assertThat(ConfigReader.parse(TWO + "protection: mmu\n", "t.yaml").questV().protection())
                .isEqualTo(ProtectionConfig.MMU_ONLY).isEqualTo(new ProtectionConfig(false, false, false));
        assertThat(ConfigReader.parse(TWO + "protection: full\n", "t.yaml").questV().protection())
                .isEqualTo(ProtectionConfig.FULL);
        assertThat(ConfigReader.parse(TWO + "protection: {iommu: false}\n", "t.yaml").questV().protection())
                .isEqualTo(new ProtectionConfig(true, false, true));
        assertThat(ConfigReader.parse(TWO + "protection: {ept: \"false\", interruptRemapping: false}\n", "t.yaml")
                .questV().protection()).isEqualTo(new ProtectionConfig(false, true, false));
    }

    @Test
    void channelDefaultsAndSizesRoundedUpToPages() throws ConfigException {
        SystemConfig c = ConfigReader.parse(TWO + """
                channels:
                  - {name: c1, from: a, to: b}
                  - {name: c2, from: b, to: a, size: 4097B, direction: both, static: false}
                  - {name: c3, from: a, to: b, size: 1MiB, latency: 0us}
                """, "t.yaml");
        List<ChannelConfig> channels = c.questV().channels();
        assertThat(channels.get(0)).isEqualTo(new ChannelConfig("c1", "a", "b", ChannelConfig.Kind.RING, false, 4096,
                1000, true, 1_000_000, true, channels.get(0).location()));
        assertThat(channels.get(1).sizeBytes()).isEqualTo(8192);
        assertThat(channels.get(1).bidirectional()).isTrue();
        assertThat(channels.get(1).isStatic()).isFalse();
        assertThat(channels.get(2).sizeBytes()).isEqualTo(1 << 20);
        assertThat(channels.get(2).latencyCycles()).isZero();
    }

    @Test
    void monitorsRemovedWhenEveryChannelIsStatic() throws ConfigException {
        SystemConfig c = ConfigReader.parse(TWO + "monitors: {afterBoot: remove}\nchannels: [{name: c, from: a, to: b}]\n", "t.yaml");
        assertThat(c.questV().monitors().removeAfterBoot()).isTrue();
    }

    @Test
    void memoryMayBeUsedExactly() throws ConfigException {
        // 20 MiB + 2 x 2 MiB (monitors) + 2 x 4 KiB (a two-way channel) + 36 MiB - 8 KiB = 64 MiB.
        String yaml = TWO.replace("{name: b, cores: [1, 2], memory: 8MiB}", "{name: b, cores: [1, 2], memory: 12MiB}")
                .replace("memory: 64MiB", "memory: 24584KiB")
                + "channels: [{name: c, from: a, to: b, direction: both}]\n";
        assertThat(ConfigReader.parse(yaml, "t.yaml").machine().memoryBytes()).isEqualTo(24584L << 10);
    }

    @Test
    void producersConsumersAndWildWriters() throws ConfigException {
        SystemConfig c = ConfigReader.parse("""
                machine: {cores: 2}
                sandboxes:
                  - name: a
                    cores: [0]
                    memory: 8MiB
                    vcpus: [{name: v, budget: 1ms, period: 5ms}]
                    threads:
                      - {name: p1, vcpu: v, model: producer, channel: ring, exec: 10us, period: 1ms}
                      - {name: p2, vcpu: v, model: producer, channel: slots, size: 4KiB, exec: 10us, period: 1ms}
                      - {name: p3, vcpu: v, model: producer, channel: two-way, size: 240B, exec: 10us, period: 1ms}
                      - {name: c3, vcpu: v, model: consumer, channel: two-way, exec: {uniform: [1us, 2us]}}
                      - {name: w1, vcpu: v, model: wild-writer, rate: 2.5/s}
                      - {name: w2, vcpu: v, model: wild-writer, rate: 10/s, privilege: kernel, targets: [kernel-text, own]}
                  - name: b
                    cores: [1]
                    memory: 8MiB
                    vcpus: [{name: v, budget: 1ms, period: 5ms}]
                    threads:
                      - {name: p4, vcpu: v, model: producer, channel: two-way, exec: 10us, period: 1ms}
                channels:
                  - {name: ring, from: a, to: b}
                  - {name: slots, from: a, to: b, kind: four-slot}
                  - {name: two-way, from: b, to: a, direction: both}
                """, "t.yaml");
        List<ThreadConfig> a = c.questV().sandboxes().get(0).threads();
        assertThat(a.get(0).model()).isEqualTo(new TaskModel.Producer("ring", 64, new ExecTime.Constant(10_000), 1_000_000));
        assertThat(((TaskModel.Producer) a.get(1).model()).size()).isEqualTo(4096);
        assertThat(((TaskModel.Producer) a.get(2).model()).size()).isEqualTo(240);
        assertThat(a.get(3).model()).isEqualTo(new TaskModel.Consumer("two-way", new ExecTime.Uniform(1000, 2000)));
        assertThat(a.get(4).model()).isEqualTo(
                new TaskModel.WildWriter(2.5, false, List.of("other-sandboxes", "monitor", "ept", "kernel-text")));
        assertThat(a.get(5).model()).isEqualTo(new TaskModel.WildWriter(10, true, List.of("kernel-text", "own")));
    }

    @Test
    void smpModeHasNoQuestVPart() throws ConfigException {
        SystemConfig c = ConfigReader.parse("""
                machine: {cores: 1, devices: [{name: evil, type: rogue, irq: {core: 0}, msiRate: 5/s}]}
                vcpus: [{name: v, budget: 1ms, period: 5ms}]
                threads: [{name: w, vcpu: v, model: wild-writer, rate: 1/s, targets: [own]}]
                """, "t.yaml");
        assertThat(c.questV()).isEqualTo(QuestVConfig.NONE);
        assertThat(c.machine().devices().get(0).model()).isEqualTo(new DeviceModel.Rogue(0, 5));
        assertThat(IoBindings.byDevice(c)).isEmpty();
    }
}
