package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** kind: linux sandboxes, nice values and host endpoints: what they read as, and one located message per mistake. */
class LinuxConfigTest {
    private static final String MACHINE = "machine: {cores: 4, memory: 256MiB, devices: [{name: imu, type: sensor, irq: {core: 2},"
            + " period: 5ms}]}\n";
    private static final String QUEST = "  - {name: q, cores: [0], memory: 8MiB, vcpus: [{name: v, budget: 1ms, period: 5ms}],"
            + " threads: [{name: s, vcpu: v, model: consumer, channel: cmd, exec: 10us}]}\n";

    @Test
    void aLinuxSandboxsProcessesArePlacedRoundRobinOnItsCores() throws ConfigException {
        SystemConfig c = ConfigReader.parse(MACHINE + "sandboxes:\n" + QUEST + """
                  - name: l
                    kind: linux
                    cores: [1, 3]
                    memory: 16MiB
                    threads:
                      - {name: a, model: cpu-hog, nice: -3}
                      - {name: b, model: cpu-hog}
                      - {name: c, model: producer, channel: cmd, exec: 10us, period: 10ms, nice: 19}
                channels:
                  - {name: cmd, from: l, to: q, host: "unix:/tmp/x.sock"}
                """, "t.yaml");
        SandboxConfig l = c.questV().sandboxes().get(1);
        assertThat(l.isLinux()).isTrue();
        assertThat(c.questV().sandboxes().get(0).isLinux()).isFalse();
        assertThat(l.vcpus()).isEmpty();
        assertThat(l.threads()).extracting(ThreadConfig::vcpu).containsExactly("cpu1", "cpu3", "cpu1");
        assertThat(l.linux().nice()).containsExactly(java.util.Map.entry("a", -3), java.util.Map.entry("b", 0),
                java.util.Map.entry("c", 19));
        assertThat(l.linux().latencyCycles()).isEqualTo(6_000_000);
        assertThat(c.questV().channels().get(0).hostPath()).isEqualTo("/tmp/x.sock");
    }

    @Test
    void aRelativeHostPathIsRelativeToTheDescription() throws ConfigException {
        SystemConfig c = ConfigReader.parse(MACHINE + "sandboxes:\n" + QUEST + """
                  - {name: l, kind: linux, cores: [1], memory: 16MiB}
                channels:
                  - {name: cmd, from: l, to: q, host: "unix:run/q.sock"}
                """, "configs/t.yaml");
        assertThat(c.questV().channels().get(0).hostPath()).isEqualTo(java.nio.file.Path.of("configs", "run", "q.sock").toString());
    }

    @Test
    void vcpusInALinuxSandbox() {
        assertThat(errors(MACHINE + "sandboxes:\n" + """
                  - {name: l, kind: linux, cores: [1], memory: 16MiB, vcpus: [{name: v, budget: 1ms, period: 5ms}]}
                """)).containsExactly("t.yaml:3:55: sandboxes[0].vcpus: field \"vcpus\" is not used by a linux sandbox: its"
                + " processes share its cores by the fair scheduler, with no VCPUs or budgets");
    }

    @Test
    void aProcessNamesNoVcpu() {
        assertThat(errors(MACHINE + "sandboxes:\n" + """
                  - {name: l, kind: linux, cores: [1], memory: 16MiB, threads: [{name: a, vcpu: v, model: cpu-hog}]}
                """)).containsExactly("t.yaml:3:75: sandboxes[0].threads[0].vcpu: field \"vcpu\" is not used in a linux sandbox:"
                + " its processes have no VCPUs; the fair scheduler runs them on sandbox l's cores");
    }

    @Test
    void niceOutOfRange() {
        assertThat(errors(MACHINE + "sandboxes:\n" + """
                  - {name: l, kind: linux, cores: [1], memory: 16MiB, threads: [{name: a, model: cpu-hog, nice: 20}]}
                """)).containsExactly("t.yaml:3:97: sandboxes[0].threads[0].nice: nice 20 is outside Linux's range, -20 (most CPU) to 19 (least)");
        assertThat(errors(MACHINE + "sandboxes:\n" + """
                  - {name: l, kind: linux, cores: [1], memory: 16MiB, threads: [{name: a, model: cpu-hog, nice: low}]}
                """)).singleElement().asString().startsWith("t.yaml:3:97: sandboxes[0].threads[0].nice: expected an integer");
    }

    @Test
    void niceOnAQuestThread() {
        assertThat(errors(MACHINE + "sandboxes:\n" + """
                  - {name: q, cores: [0], memory: 8MiB, vcpus: [{name: v, budget: 1ms, period: 5ms}], threads: [{name: s, vcpu: v, model: cpu-hog, nice: 1}]}
                """)).singleElement().asString().contains("sandboxes[0].threads[0].nice: unknown field \"nice\"");
    }

    @Test
    void devicesAndIoModelsInALinuxSandbox() {
        assertThat(errors(MACHINE + "sandboxes:\n" + """
                  - {name: l, kind: linux, cores: [2], memory: 16MiB, devices: [imu], threads: [{name: a, model: io-bound, device: imu, exec: 1ms}]}
                """)).containsExactly(
                "t.yaml:3:55: sandboxes[0].devices: field \"devices\" is not used by a linux sandbox: it has no I/O VCPUs to serve"
                        + " them (give devices to a Quest sandbox and reach them over a channel)",
                "t.yaml:3:98: sandboxes[0].threads[0].model: model io-bound needs a device served by an I/O VCPU; a linux sandbox"
                        + " has neither (give the device to a Quest sandbox and talk to it over a channel)");
    }

    @Test
    void aHostEndpointNeedsALinuxEnd() {
        assertThat(errors(MACHINE + "sandboxes:\n" + QUEST + """
                  - {name: r, cores: [1], memory: 8MiB}
                channels:
                  - {name: cmd, from: r, to: q, host: "unix:/tmp/x.sock"}
                """)).containsExactly("t.yaml:6:39: channels[0].host: a host endpoint is allowed only on a channel with a linux"
                + " sandbox (kind: linux) at one end: r and q are Quest sandboxes");
    }

    @Test
    void aHostEndpointIsAUnixSocket() {
        assertThat(errors(MACHINE + "sandboxes:\n" + QUEST + """
                  - {name: l, kind: linux, cores: [1], memory: 8MiB}
                channels:
                  - {name: cmd, from: l, to: q, host: "tcp:8080"}
                """)).containsExactly("t.yaml:6:39: channels[0].host: expected unix:PATH (a Unix domain socket on the host), got \"tcp:8080\"");
    }

    @Test
    void anUnknownSandboxKind() {
        assertThat(errors(MACHINE + "sandboxes:\n" + """
                  - {name: l, kind: windows, cores: [1], memory: 16MiB}
                """)).singleElement().asString().startsWith("t.yaml:3:21: sandboxes[0].kind: expected one of quest, linux");
    }

    private static List<String> errors(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigReader.parse(yaml, "t.yaml"))
                .errors().stream().map(ConfigError::format).toList();
    }
}
