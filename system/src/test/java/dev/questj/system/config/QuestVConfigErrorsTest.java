package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem of the Quest-V sections, the new models and the rogue device: one located message each. */
class QuestVConfigErrorsTest {
    /** Four PCPUs, a sensor interrupting PCPU 0 and a NIC interrupting PCPU 3: line 1 of most tests. */
    private static final String MACHINE = "machine: {cores: 4, memory: 256MiB, devices: [{name: imu, type: sensor, irq: {core: 0},"
            + " period: 5ms}, {name: eth0, type: nic, irq: {core: 3}}]}\n";

    /** A PCPU in two sandboxes: the second names the first and its line. */
    @Test
    void overlappingCoresNameBothSandboxes() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                  - {name: b, cores: [3, 1], memory: 8MiB}
                """)).containsExactly(
                "t.yaml:4:26: sandboxes[1].cores[1]: core 1 already belongs to sandbox a (line 3): a PCPU belongs to one sandbox at most");
    }

    @Test
    void aDeviceListedTwiceInOneSandbox() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0], memory: 8MiB, devices: [imu, imu]}
                """)).containsExactly(
                "t.yaml:3:56: sandboxes[0].devices[1]: \"imu\" is listed twice");
    }

    @Test
    void aDeviceGivenToTwoSandboxes() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                  - {name: b, cores: [2, 3], memory: 8MiB, devices: [eth0, imu]}
                """)).containsExactly(
                "t.yaml:4:60: sandboxes[1].devices[1]: device imu already belongs to sandbox a (line 3): a device belongs to one sandbox at most");
    }

    @Test
    void aChannelToAnUnknownSandbox() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                  - {name: b, cores: [3], memory: 8MiB, devices: [eth0], vcpus: [{name: v, budget: 1ms, period: 5ms}]}
                channels:
                  - {name: c, from: a, to: mars}
                """)).containsExactly(
                "t.yaml:6:28: channels[0].to: unknown sandbox \"mars\"; sandboxes are: a, b");
    }

    @Test
    void aChannelFromASandboxToItself() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                  - {name: b, cores: [3], memory: 8MiB, devices: [eth0], vcpus: [{name: v, budget: 1ms, period: 5ms}]}
                channels:
                  - {name: c, from: a, to: a}
                """)).containsExactly(
                "t.yaml:6:28: channels[0].to: a channel joins two different sandboxes: from and to are both a");
    }

    /** More cores than the machine has: the one that does not exist. */
    @Test
    void aCoreAboveTheMachines() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1, 2, 3, 4], memory: 8MiB}
                """)).containsExactly(
                "t.yaml:3:35: sandboxes[0].cores[4]: core 4 does not exist: the machine has 4 PCPUs (cores 0 to 3)");
    }

    /** 594 MiB of sandboxes, 2 MiB for each monitor, 1 MiB each way and 4 KiB of channels: more than 512 MiB. */
    @Test
    void memoryThatDoesNotFit() {
        assertThat(errors("""
                machine: {cores: 4, memory: 512MiB}
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 400MiB}
                  - {name: b, cores: [2], memory: 194MiB}
                channels:
                  - {name: c, from: a, to: b, size: 1MiB, direction: both}
                  - {name: d, from: b, to: a}
                """)).containsExactly(
                "t.yaml:3:3: sandboxes: sandboxes need 614404KiB but the machine has 512MiB: 594MiB of their own, 4MiB for their monitors and EPT tables (2MiB a sandbox), 2052KiB shared by channels");
    }

    @Test
    void topLevelVcpusAndThreadsInQuestVMode() {
        assertThat(errors(MACHINE + """
                vcpus: [{name: v, budget: 1ms, period: 5ms}]
                threads: [{name: t, vcpu: v, model: cpu-hog}]
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                """)).containsExactly(
                "t.yaml:2:1: vcpus: in Quest-V mode VCPUs and threads belong to sandboxes: move vcpus into each sandbox",
                "t.yaml:3:1: threads: in Quest-V mode VCPUs and threads belong to sandboxes: move threads into each sandbox");
    }

    @Test
    void aVcpuCoreOutsideItsSandbox() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, vcpus: [{name: v, budget: 1ms, period: 5ms, core: 2}, {name: w, budget: 1ms, period: 5ms, core: 9}]}
                """)).containsExactly(
                "t.yaml:3:94: sandboxes[0].vcpus[0].core: core 2 is not one of sandbox a's cores [0, 1]",
                "t.yaml:3:140: sandboxes[0].vcpus[1].core: core 9 does not exist: the machine has 4 PCPUs (cores 0 to 3)");
    }

    @Test
    void producersAndConsumersOnTheWrongEnd() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: producer, channel: up, exec: 1us, period: 1ms}, {name: u, vcpu: v, model: producer, channel: both, exec: 1us, period: 1ms}]}
                  - {name: b, cores: [3], memory: 8MiB, devices: [eth0], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: r, vcpu: v, model: consumer, channel: up, exec: 1us}]}
                  - {name: c, cores: [2], memory: 8MiB}
                channels:
                  - {name: up, from: b, to: a}
                  - {name: both, from: b, to: c, direction: both}
                """)).containsExactly(
                "t.yaml:3:161: sandboxes[0].threads[0].channel: sandbox a cannot send on channel up, which goes one way from b to a",
                "t.yaml:3:235: sandboxes[0].threads[1].channel: sandbox a cannot send on channel both, which joins sandboxes b and c",
                "t.yaml:4:159: sandboxes[1].threads[0].channel: sandbox b cannot receive on channel up, which goes one way from b to a");
    }

    @Test
    void monitorsRemovedWithChannelsThatAreNotStatic() {
        assertThat(errors(MACHINE + """
                monitors: {afterBoot: remove}
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                  - {name: b, cores: [3], memory: 8MiB, devices: [eth0], vcpus: [{name: v, budget: 1ms, period: 5ms}]}
                channels:
                  - {name: c, from: a, to: b, static: false}
                  - {name: d, from: a, to: b}
                  - {name: e, from: b, to: a, static: false}
                """)).containsExactly(
                "t.yaml:2:23: monitors.afterBoot: monitors can be removed only when every channel is static: channels c and e are not");
    }

    @Test
    void wildWriterTargetsRateAndPrivilege() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0], memory: 8MiB, vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: w, vcpu: v, model: wild-writer, rate: 10/s, targets: [own, heap, own]}, {name: x, vcpu: v, model: wild-writer, rate: 0/s, privilege: root, targets: []}, {name: y, vcpu: v, model: wild-writer}]}
                """)).containsExactly(
                "t.yaml:3:163: sandboxes[0].threads[0].targets[1]: expected one of own, other-sandboxes, monitor, ept, kernel-text, got \"heap\"",
                "t.yaml:3:169: sandboxes[0].threads[0].targets[2]: \"own\" is listed twice",
                "t.yaml:3:221: sandboxes[0].threads[1].rate: expected a rate greater than 0/s and at most one a cycle (1000000000/s at 1GHz), got \"0/s\"",
                "t.yaml:3:237: sandboxes[0].threads[1].privilege: expected one of user, kernel, got \"root\"",
                "t.yaml:3:252: sandboxes[0].threads[1].targets: expected at least one target: own, other-sandboxes, monitor, ept, kernel-text",
                "t.yaml:3:257: sandboxes[0].threads[2]: missing required field \"rate\"");
    }

    @Test
    void aDeviceInterruptingACoreOutsideItsSandbox() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [1, 2], memory: 8MiB, devices: [imu]}
                """)).containsExactly(
                "t.yaml:3:54: sandboxes[0].devices[0]: device imu interrupts PCPU 0, which is not one of sandbox a's cores [1, 2]");
    }

    /** An I/O VCPU and a thread of sandbox a naming the device of sandbox b. */
    @Test
    void anotherSandboxsDevice() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}, {name: io, kind: io, utilisation: 10%, devices: [eth0]}], threads: [{name: t, vcpu: v, model: io-bound, device: eth0, request: write, exec: 1us, ioVcpu: io}]}
                  - {name: b, cores: [3], memory: 8MiB, devices: [eth0]}
                """)).containsExactly(
                "t.yaml:3:151: sandboxes[0].vcpus[1].devices[0]: device eth0 is not one of sandbox a's devices [imu]",
                "t.yaml:3:214: sandboxes[0].threads[0].device: device eth0 is not one of sandbox a's devices [imu]");
    }

    @Test
    void messagesTooBigForTheirChannel() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0], memory: 8MiB, vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: p, vcpu: v, model: producer, channel: r, size: 300B, exec: 1us, period: 1ms}, {name: q, vcpu: v, model: producer, channel: s, size: 5000B, exec: 1us, period: 1ms}]}
                  - {name: b, cores: [3], memory: 8MiB}
                channels:
                  - {name: r, from: a, to: b}
                  - {name: s, from: a, to: b, kind: four-slot}
                """)).containsExactly(
                "t.yaml:3:151: sandboxes[0].threads[0].size: a message of 300B does not fit a ring slot of 240B",
                "t.yaml:3:236: sandboxes[0].threads[1].size: a message of 5000B does not fit a four-slot channel's slot of 4KiB");
    }

    @Test
    void questVFieldsInSmpMode() {
        assertThat(errors("""
                machine: {cores: 1}
                overheads: {ipi: 1us, vmExit: 1500 cycles}
                protection: mmu
                monitors: {afterBoot: keep}
                channels: []
                vcpus: [{name: v, budget: 1ms, period: 5ms}]
                threads: [{name: t, vcpu: v, model: producer, channel: c, exec: 1us, period: 1ms}]
                """)).containsExactly(
                "t.yaml:2:23: overheads.vmExit: field \"vmExit\" is used only in Quest-V mode: give sandboxes, or leave it out (SMP mode); there are no VM exits in SMP mode",
                "t.yaml:3:1: protection: field \"protection\" is used only in Quest-V mode: give sandboxes, or leave it out (SMP mode)",
                "t.yaml:4:1: monitors: field \"monitors\" is used only in Quest-V mode: give sandboxes, or leave it out (SMP mode)",
                "t.yaml:5:1: channels: field \"channels\" is used only in Quest-V mode: give sandboxes, or leave it out (SMP mode)",
                "t.yaml:7:56: threads[0].channel: unknown channel \"c\"; there are no channels (they join sandboxes: Quest-V mode)");
    }

    @Test
    void sandboxFields() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [], memory: 1000KiB, colour: red}
                  - {cores: 0}
                  - {name: a, cores: [x], memory: 8MiB, vcpus: {}, threads: []}
                  - oops
                """)).containsExactly(
                "t.yaml:3:22: sandboxes[0].cores: expected at least one core",
                "t.yaml:3:34: sandboxes[0].memory: memory 1000KiB must be at least 1MiB and a multiple of 4KiB (one page)",
                "t.yaml:3:43: sandboxes[0].colour: unknown field \"colour\"; accepted fields: name, label, kind, cores, memory, devices, vcpus, threads, recovery, watchdog",
                "t.yaml:4:5: sandboxes[1]: missing required field \"name\"",
                "t.yaml:4:5: sandboxes[1]: missing required field \"memory\"",
                "t.yaml:4:13: sandboxes[1].cores: expected a list of PCPUs such as [0, 1], got \"0\"",
                "t.yaml:5:12: sandboxes[2].name: duplicate sandbox name \"a\" (first given on line 3)",
                "t.yaml:5:23: sandboxes[2].cores[0]: expected an integer from -2147483648 to 2147483647, got \"x\"",
                "t.yaml:5:48: sandboxes[2].vcpus: expected a list of VCPUs, got a mapping",
                "t.yaml:6:5: sandboxes[3]: expected a mapping, got \"oops\"");
    }

    @Test
    void anEmptySandboxList() {
        assertThat(errors(MACHINE + """
                sandboxes: []
                """)).containsExactly(
                "t.yaml:2:12: sandboxes: expected at least one sandbox (leave sandboxes out for SMP mode)");
    }

    @Test
    void channelFields() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                  - {name: b, cores: [3], memory: 8MiB, devices: [eth0], vcpus: [{name: v, budget: 1ms, period: 5ms}]}
                channels:
                  - {name: c, from: a, to: b, kind: pipe, direction: sideways, size: 2MiB, doorbell: yes, poll: 0ms, static: 1, colour: red}
                  - {name: c, from: a, to: b, size: 0B, latency: -1us}
                  - {from: a}
                """)).containsExactly(
                "t.yaml:6:37: channels[0].kind: expected one of ring, four-slot, got \"pipe\"",
                "t.yaml:6:54: channels[0].direction: expected one of one-way, both, got \"sideways\"",
                "t.yaml:6:70: channels[0].size: size 2MiB is more than a channel's largest, 1MiB",
                "t.yaml:6:86: channels[0].doorbell: expected true or false, got \"yes\"",
                "t.yaml:6:97: channels[0].poll: expected a duration greater than 0, got \"0ms\"",
                "t.yaml:6:110: channels[0].static: expected true or false, got \"1\"",
                "t.yaml:6:113: channels[0].colour: unknown field \"colour\"; accepted fields: name, from, to, kind, direction, size, latency, doorbell, poll, static, host",
                "t.yaml:7:12: channels[1].name: duplicate channel name \"c\" (first given on line 6)",
                "t.yaml:7:37: channels[1].size: expected a size greater than 0, got \"0B\"",
                "t.yaml:7:50: channels[1].latency: a duration cannot be negative, got \"-1us\"",
                "t.yaml:8:5: channels[2]: missing required field \"name\"",
                "t.yaml:8:5: channels[2]: missing required field \"to\"");
    }

    @Test
    void protectionAndMonitorsAsWords() {
        assertThat(errors(MACHINE + """
                protection: off
                monitors: {afterBoot: never, when: now}
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                """)).containsExactly(
                "t.yaml:2:13: protection: expected full, mmu or a mapping {ept, iommu, interruptRemapping}, got \"off\"",
                "t.yaml:3:23: monitors.afterBoot: expected one of keep, remove, got \"never\"",
                "t.yaml:3:30: monitors.when: unknown field \"when\"; accepted fields: afterBoot");
    }

    @Test
    void protectionAndMonitorsAsMappings() {
        assertThat(errors(MACHINE + """
                protection: {ept: no, iommu: true, mmu: false}
                monitors: remove
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                """)).containsExactly(
                "t.yaml:2:19: protection.ept: expected true or false, got \"no\"",
                "t.yaml:2:36: protection.mmu: unknown field \"mmu\"; accepted fields: ept, iommu, interruptRemapping",
                "t.yaml:3:11: monitors: expected a mapping, got \"remove\"");
    }

    /** Rogue devices: rates, and neither I/O VCPUs nor I/O threads. */
    @Test
    void rogueDevices() {
        assertThat(errors("""
                machine:
                  cores: 2
                  devices:
                    - {name: r1, type: rogue, irq: {core: 0}}
                    - {name: r2, type: rogue, irq: {core: 0}, dmaRate: -1/s, msiRate: 2000000000/s}
                    - {name: r3, type: rogue, irq: {core: 1}, msiRate: 1/s}
                vcpus: [{name: v, budget: 1ms, period: 5ms}, {name: io, kind: io, utilisation: 10%, devices: [r3], classes: [rogue]}]
                threads: [{name: t, vcpu: v, model: io-bound, device: r3, exec: 1us}, {name: u, vcpu: v, model: network-receiver, device: r3, port: 1, exec: 1us}]
                """)).containsExactly(
                "t.yaml:4:7: machine.devices[0]: a rogue device needs a dmaRate or an msiRate greater than 0/s",
                "t.yaml:5:56: machine.devices[1].dmaRate: a rate cannot be negative, got \"-1/s\"",
                "t.yaml:5:71: machine.devices[1].msiRate: expected a rate of 0/s or more and at most one a cycle (1000000000/s at 1GHz), got \"2000000000/s\"",
                "t.yaml:7:95: vcpus[1].devices[0]: device r3 is a rogue device: it takes no requests and needs no I/O VCPU",
                "t.yaml:7:110: vcpus[1].classes[0]: expected one of nic, disk, sensor, actuator, serial, got \"rogue\"",
                "t.yaml:8:55: threads[0].device: device r3 is a rogue device: it takes no requests",
                "t.yaml:8:123: threads[1].device: device r3 is a rogue device; network-receiver receives from a nic");
    }

    @Test
    void threadNamesAreSystemWideVcpuNamesPerSandbox() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                  - {name: b, cores: [3], memory: 8MiB, threads: [{name: t, vcpu: v, model: cpu-hog}]}
                  - {name: c, cores: [2], memory: 8MiB, vcpus: [{name: w, budget: 1ms, period: 5ms}], threads: [{name: u, vcpu: v, model: cpu-hog}, {name: x, vcpu: w, model: consumer, channel: nope, exec: 1us}]}
                """)).containsExactly(
                "t.yaml:4:58: sandboxes[1].threads[0].name: duplicate thread name \"t\" (first given on line 3)",
                "t.yaml:4:67: sandboxes[1].threads[0].vcpu: unknown VCPU \"v\"; sandbox b has no VCPUs",
                "t.yaml:5:113: sandboxes[2].threads[0].vcpu: unknown VCPU \"v\"; sandbox c's VCPUs are: w",
                "t.yaml:5:178: sandboxes[2].threads[1].channel: unknown channel \"nope\"; there are no channels");
    }

    @Test
    void vmExitMustBePositive() {
        assertThat(errors(MACHINE + """
                overheads: {vmExit: 0 cycles}
                sandboxes:
                  - {name: a, cores: [0, 1], memory: 8MiB, devices: [imu], vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: t, vcpu: v, model: cpu-hog}]}
                """)).containsExactly(
                "t.yaml:2:21: overheads.vmExit: expected a duration greater than 0, got \"0 cycles\"");
    }

    @Test
    void vcpuNamesAreUniqueWithinASandbox() {
        assertThat(errors(MACHINE + """
                sandboxes:
                  - {name: a, cores: [0], memory: 8MiB, vcpus: [{name: v, budget: 1ms, period: 5ms}, {name: v, budget: 1ms, period: 5ms}, {name: io, kind: io, utilisation: 10%}]}
                """)).containsExactly(
                "t.yaml:3:93: sandboxes[0].vcpus[1].name: duplicate VCPU name \"v\" (first given on line 3) in sandbox a",
                "t.yaml:3:123: sandboxes[0].vcpus[2]: I/O VCPU io serves no device: give it devices or classes");
    }

    /** Sandbox a's two disk classes conflict over d1; d2 is sandbox b's and served there. */
    @Test
    void classesMatchOnlyTheSandboxsOwnDevices() {
        assertThat(errors("""
                machine: {cores: 4, devices: [{name: d1, type: disk, irq: {core: 0}}, {name: d2, type: disk, irq: {core: 3}}]}
                sandboxes:
                  - {name: a, cores: [0], memory: 8MiB, devices: [d1], vcpus: [{name: v, budget: 1ms, period: 5ms}, {name: io1, kind: io, utilisation: 10%, classes: [disk]}, {name: io2, kind: io, utilisation: 10%, classes: [disk]}]}
                  - {name: b, cores: [3], memory: 8MiB, devices: [d2], vcpus: [{name: v, budget: 1ms, period: 5ms}, {name: io1, kind: io, utilisation: 10%, classes: [disk]}], threads: [{name: t, vcpu: v, model: io-bound, device: d2, exec: 1us}]}
                """)).containsExactly(
                "t.yaml:3:209: sandboxes[0].vcpus[2].classes[0]: device d1 matches the classes of I/O VCPUs io1 and io2: name it in the devices of one of them");
    }

    private static List<String> errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigReader.parse(yaml, "t.yaml"))
                .errors().stream().map(ConfigError::format).toList();
    }
}
