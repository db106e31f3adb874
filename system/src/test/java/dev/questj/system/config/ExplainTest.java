package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explain renders every default; reading its text back gives the same system. */
class ExplainTest {
    private static final String SMALL = """
            machine: {cores: 2, frequency: 1500MHz}
            vcpus:
              - {name: fast, budget: 1ms, period: 5ms, core: 0}
              - {name: slow, budget: 1.5ms, period: 40ms}
            threads:
              - {name: a, vcpu: fast, model: periodic, period: 5ms, exec: 800us}
              - {name: b, vcpu: slow, model: sporadic, minInterarrival: 40ms, exec: {uniform: [4ms, 9ms]}}
              - {name: c, vcpu: slow, model: best-effort, exec: {normal: {mean: 5ms, sd: 1ms}}}
              - {name: d, vcpu: slow, model: program, class: com.example.Estimator, args: {gain: 0.4, label: "x, y", none: null}}
              - {name: e, vcpu: slow, model: cpu-hog}
            """;

    @Test
    void rendersEveryDefault() throws ConfigException {
        assertThat(Explain.explain(ConfigReader.parse(SMALL, "dir/small.yaml"))).isEqualTo("""
                # small: the system description with every default filled in
                format: 1
                name: small
                seed: 1
                duration: 10s
                machine:
                  cores: 2
                  smt: 1   # 2 PCPUs
                  frequency: 1500MHz
                  memory: 256MiB
                  devices: []
                overheads:
                  contextSwitch: 0 cycles
                  schedule: 0 cycles
                  timerInterrupt: 0 cycles
                  ipi: 0 cycles
                kernel:
                  quantum: 1ms
                  maxReplenishments: 32
                  admission: enforce
                  ioVcpus: pibs   # I/O VCPUs are PIBS servers; their period is not used
                vcpus:
                  - {name: fast, kind: main, budget: 1ms, period: 5ms, core: 0}   # utilisation 20.0%
                  - {name: slow, kind: main, budget: 1500us, period: 40ms}   # utilisation 3.8%; core chosen by first fit
                threads:
                  - {name: a, vcpu: fast, model: periodic, period: 5ms, deadline: 5ms, exec: 800us, offset: 0 cycles}
                  - {name: b, vcpu: slow, model: sporadic, minInterarrival: 40ms, maxExtra: 0 cycles, deadline: 40ms, exec: {uniform: [4ms, 9ms]}, offset: 0 cycles}
                  - {name: c, vcpu: slow, model: best-effort, exec: {normal: {mean: 5ms, sd: 1ms, min: 1 cycle, max: 9ms}}}
                  - {name: d, vcpu: slow, model: program, class: com.example.Estimator, period: 0 cycles, args: {gain: 0.4, label: "x, y", none: ""}}
                  - {name: e, vcpu: slow, model: cpu-hog}
                """);
    }

    /** Every device type and arrival pattern, I/O VCPUs and the two I/O models; the trace is written by the test. */
    static final String RICH = """
            machine:
              cores: 4
              frequency: 2GHz
              memory: 512MiB
              devices:
                - {name: eth0, type: nic, irq: {core: 3}, arrivals: {pattern: poisson, rate: 2000/s, size: 1500B, port: 7}, bandwidth: 1GB/s}
                - {name: eth1, type: nic, irq: {core: 2}, arrivals: {pattern: trace, file: eth1.trace}}
                - {name: eth2, type: nic, irq: {core: 2}, arrivals: {pattern: periodic, rate: 3000/s}, ring: 16}
                - {name: eth3, type: nic, irq: {core: 2}, arrivals: {pattern: bursty, rate: 2.5/s, on: 10ms, off: 40ms}}
                - {name: disk0, type: disk, irq: {core: 3}, seek: 5ms, driver: {perRequest: 30us}}
                - {name: imu, type: sensor, irq: {core: 0}, period: 5ms}
                - {name: servo, type: actuator, irq: {core: 0}}
                - {name: tty, type: serial, irq: {core: 1}, baud: 9600}
            kernel: {ioVcpus: sporadic}
            vcpus:
              - {name: app, budget: 2ms, period: 10ms}
              - {name: net-io, kind: io, utilisation: 10%, devices: [eth0], core: 3}
              - {name: blk-io, kind: io, utilisation: 0.125, classes: [disk, nic, sensor, actuator, serial], period: 20ms}
              - {name: own, kind: io, utilisation: 1%}
            threads:
              - {name: rx, vcpu: app, model: network-receiver, device: eth0, port: 7, exec: 50us, deadline: 10ms}
              - {name: db, vcpu: app, model: io-bound, device: disk0, size: 4KiB, exec: 1ms, period: 50ms, ioVcpu: own}
              - {name: log, vcpu: app, model: io-bound, device: tty, request: write, exec: 10us}
            """;
    static final String RICH_TRACE = "# time,size[,port]\n0us,1500B,7\n1.5ms, 64B   # port 0\n2ms,1KiB,9\n";

    @Test
    void rendersDevicesIoVcpusAndIoModels(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("eth1.trace"), RICH_TRACE);
        String explained = Explain.explain(ConfigReader.parse(RICH, dir.resolve("rich.yaml").toString()));
        assertThat(explained).contains("""
                machine:
                  cores: 4
                  smt: 1   # 4 PCPUs
                  frequency: 2GHz
                  memory: 512MiB
                  devices:
                    - {name: eth0, type: nic, irq: {core: 3}, driver: {topHalf: 2us, perRequest: 10us, perKiB: 1us}, arrivals: {pattern: poisson, rate: 2000/s, size: 1500B, port: 7}, bandwidth: 1GB/s, ring: 256}   # served by I/O VCPU net-io
                    - {name: eth1, type: nic, irq: {core: 2}, driver: {topHalf: 2us, perRequest: 10us, perKiB: 1us}, arrivals: {pattern: trace, file: eth1.trace}, bandwidth: 125MB/s, ring: 256}   # served by I/O VCPU blk-io; trace of 3 packets
                    - {name: eth2, type: nic, irq: {core: 2}, driver: {topHalf: 2us, perRequest: 10us, perKiB: 1us}, arrivals: {pattern: periodic, interval: 666667 cycles, size: 1500B, port: 0}, bandwidth: 125MB/s, ring: 16}   # served by I/O VCPU blk-io
                    - {name: eth3, type: nic, irq: {core: 2}, driver: {topHalf: 2us, perRequest: 10us, perKiB: 1us}, arrivals: {pattern: bursty, rate: 2.5/s, on: 10ms, off: 40ms, size: 1500B, port: 0}, bandwidth: 125MB/s, ring: 256}   # served by I/O VCPU blk-io
                    - {name: disk0, type: disk, irq: {core: 3}, driver: {topHalf: 2us, perRequest: 30us, perKiB: 2us}, seek: 5ms, bandwidth: 200MB/s}   # served by I/O VCPU blk-io
                    - {name: imu, type: sensor, irq: {core: 0}, driver: {topHalf: 1us, perRequest: 5us, perKiB: 0 cycles}, period: 5ms, sampleSize: 64B}   # served by I/O VCPU blk-io
                    - {name: servo, type: actuator, irq: {core: 0}, driver: {topHalf: 1us, perRequest: 5us, perKiB: 0 cycles}, latency: 50us}   # served by I/O VCPU blk-io
                    - {name: tty, type: serial, irq: {core: 1}, driver: {topHalf: 1us, perRequest: 5us, perKiB: 1us}, baud: 9600}   # served by I/O VCPU blk-io
                """, """
                kernel:
                  quantum: 1ms
                  maxReplenishments: 32
                  admission: enforce
                  ioVcpus: sporadic   # I/O VCPUs are sporadic servers with budget utilisation x period
                vcpus:
                  - {name: app, kind: main, budget: 2ms, period: 10ms}   # utilisation 20.0%; core chosen by first fit
                  - {name: net-io, kind: io, utilisation: 10%, period: 10ms, devices: [eth0], classes: [], core: 3}   # serves eth0
                  - {name: blk-io, kind: io, utilisation: 12.5%, period: 20ms, devices: [], classes: [disk, nic, sensor, actuator, serial]}   # serves eth1, eth2, eth3, disk0, imu, servo, tty; core chosen by first fit
                  - {name: own, kind: io, utilisation: 1%, period: 10ms, devices: [], classes: []}   # serves only the threads naming it as their ioVcpu; core chosen by first fit
                threads:
                  - {name: rx, vcpu: app, model: network-receiver, device: eth0, port: 7, exec: 50us, deadline: 10ms}
                  - {name: db, vcpu: app, model: io-bound, device: disk0, request: read, size: 4KiB, exec: 1ms, period: 50ms, deadline: 50ms, ioVcpu: own}
                  - {name: log, vcpu: app, model: io-bound, device: tty, request: write, size: 64B, exec: 10us, period: 0 cycles, deadline: 0 cycles}
                """);
    }

    @Test
    void explainedDevicesAndIoVcpusReadBackEqual(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("eth1.trace"), RICH_TRACE);
        SystemConfig original = ConfigReader.parse(RICH, dir.resolve("rich.yaml").toString());
        SystemConfig again = ConfigReader.parse(Explain.explain(original), dir.resolve("explained.yaml").toString());
        assertThat(withoutLocations(again)).isEqualTo(withoutLocations(original));
    }

    @Test
    void explainedTextReadsBackEqual() throws ConfigException {
        SystemConfig original = ConfigReader.parse(SMALL, "small.yaml");
        SystemConfig again = ConfigReader.parse(Explain.explain(original), "explained.yaml");
        assertThat(withoutLocations(again)).isEqualTo(withoutLocations(original));
    }

    @Test
    void rendersAQuestVSystem() throws ConfigException {
        assertThat(Explain.explain(ConfigReader.parse(QuestVConfigReaderTest.ROVER, "rover.yaml"))).isEqualTo("""
                # rover: the system description with every default filled in
                format: 1
                name: rover
                seed: 1
                duration: 10s
                machine:
                  cores: 4
                  smt: 1   # 4 PCPUs
                  frequency: 2GHz
                  memory: 512MiB
                  devices:
                    - {name: eth0, type: nic, irq: {core: 3}, driver: {topHalf: 2us, perRequest: 10us, perKiB: 1us}, arrivals: {pattern: poisson, rate: 2000/s, size: 1500B, port: 7}, bandwidth: 125MB/s, ring: 256}   # sandbox comms; served by I/O VCPU net-io
                    - {name: imu, type: sensor, irq: {core: 0}, driver: {topHalf: 1us, perRequest: 5us, perKiB: 0 cycles}, period: 5ms, sampleSize: 64B}   # sandbox control; served by I/O VCPU imu-io
                    - {name: evil, type: rogue, irq: {core: 2}, driver: {topHalf: 1us, perRequest: 5us, perKiB: 0 cycles}, dmaRate: 1000/s, msiRate: 100/s}   # sandbox attacker; a rogue device: it needs no I/O VCPU
                overheads:
                  contextSwitch: 2us
                  schedule: 0 cycles
                  timerInterrupt: 0 cycles
                  ipi: 0 cycles
                  vmExit: 750ns   # one VM exit and entry
                kernel:
                  quantum: 1ms
                  maxReplenishments: 32
                  admission: enforce
                  ioVcpus: pibs   # I/O VCPUs are PIBS servers; their period is not used
                protection: {ept: true, iommu: true, interruptRemapping: true}   # full
                monitors: {afterBoot: keep}
                sandboxes:   # memory used: 208MiB their own + 6MiB monitors and EPT tables + 8KiB channels = 219144KiB of 512MiB
                  - name: control
                    cores: [0, 1]
                    memory: 128MiB
                    devices: [imu]
                    recovery: restart   # its monitor restores it after every failure; no watchdog: a silent hang goes unnoticed
                    vcpus:
                      - {name: ctl, kind: main, budget: 2ms, period: 10ms, core: 0}   # utilisation 20.0%
                      - {name: nav, kind: main, budget: 10ms, period: 50ms}   # utilisation 20.0%; core chosen by first fit
                      - {name: imu-io, kind: io, utilisation: 10%, period: 10ms, devices: [imu], classes: [], core: 0}   # serves imu
                    threads:
                      - {name: pid, vcpu: ctl, model: periodic, period: 10ms, deadline: 10ms, exec: 1500us, offset: 0 cycles, restartable: true}
                      - {name: fuse, vcpu: nav, model: io-bound, device: imu, request: read, size: 64B, exec: 200us, period: 10ms, deadline: 10ms, restartable: true}
                      - {name: report, vcpu: nav, model: producer, channel: telemetry, size: 64B, exec: 100us, period: 10ms, restartable: true}
                      - {name: steer, vcpu: ctl, model: consumer, channel: setpoint, exec: 50us, restartable: true}
                  - name: comms
                    cores: [3]
                    memory: 64MiB
                    devices: [eth0]
                    recovery: restart   # its monitor restores it after every failure; no watchdog: a silent hang goes unnoticed
                    vcpus:
                      - {name: nav, kind: main, budget: 10ms, period: 50ms}   # utilisation 20.0%; core chosen by first fit
                      - {name: net-io, kind: io, utilisation: 10%, period: 10ms, devices: [], classes: [nic]}   # serves eth0; core chosen by first fit
                    threads:
                      - {name: rx, vcpu: nav, model: network-receiver, device: eth0, port: 7, exec: 50us, deadline: 0 cycles, restartable: true}
                      - {name: downlink, vcpu: nav, model: consumer, channel: telemetry, exec: 50us, restartable: true}
                      - {name: uplink, vcpu: nav, model: producer, channel: setpoint, size: 1KiB, exec: 50us, period: 100ms, restartable: true}
                  - name: attacker
                    cores: [2]
                    memory: 16MiB
                    devices: [evil]
                    recovery: restart   # its monitor restores it after every failure; no watchdog: a silent hang goes unnoticed
                    vcpus:
                      - {name: a, kind: main, budget: 1ms, period: 10ms}   # utilisation 10.0%; core chosen by first fit
                    threads:
                      - {name: wild, vcpu: a, model: wild-writer, rate: 1000/s, privilege: user, targets: [other-sandboxes, monitor, ept], restartable: true}
                channels:
                  - {name: telemetry, from: control, to: comms, kind: ring, direction: one-way, size: 4KiB, latency: 2us, doorbell: true, poll: 1ms, static: true}   # poll is used only without a doorbell
                  - {name: setpoint, from: comms, to: control, kind: four-slot, direction: one-way, size: 4KiB, latency: 1us, doorbell: false, poll: 5ms, static: true}
                """);
    }

    @Test
    void rendersEmptySandboxesMmuProtectionAndRemovedMonitors() throws ConfigException {
        String explained = Explain.explain(ConfigReader.parse("""
                machine: {cores: 2, memory: 16MiB, devices: [{name: tty, type: serial, irq: {core: 1}}]}
                protection: mmu
                monitors: {afterBoot: remove}
                sandboxes: [{name: only, cores: [0], memory: 4MiB}]
                """, "t.yaml"));
        assertThat(explained).contains("""
                    - {name: tty, type: serial, irq: {core: 1}, driver: {topHalf: 1us, perRequest: 5us, perKiB: 1us}, baud: 115200}   # given to no sandbox: its interrupts go nowhere
                overheads:
                  contextSwitch: 0 cycles
                  schedule: 0 cycles
                  timerInterrupt: 0 cycles
                  ipi: 0 cycles
                  vmExit: 1500ns   # one VM exit and entry
                kernel:
                """, """
                protection: {ept: false, iommu: false, interruptRemapping: false}   # mmu: sandboxes are kept apart only by their kernels' page tables
                monitors: {afterBoot: remove}   # gone once every sandbox has booted
                sandboxes:   # memory used: 4MiB their own + 2MiB monitors and EPT tables = 6MiB of 16MiB
                  - name: only
                    cores: [0]
                    memory: 4MiB
                    devices: []
                    recovery: restart   # monitors removed after boot: a failed sandbox stays down; no watchdog: a silent hang goes unnoticed
                    vcpus: []
                    threads: []
                channels: []
                """);
        assertThat(explained).doesNotContain("\nvcpus:").doesNotContain("\nthreads:");
    }

    @Test
    void explainedQuestVSystemsReadBackEqual() throws ConfigException {
        for (String yaml : List.of(QuestVConfigReaderTest.ROVER,
                "machine: {cores: 1}\nprotection: {iommu: false}\nsandboxes: [{name: s, cores: [0], memory: 1MiB}]\n")) {
            SystemConfig original = ConfigReader.parse(yaml, "q.yaml");
            SystemConfig again = ConfigReader.parse(Explain.explain(original), "explained.yaml");
            assertThat(withoutLocations(again)).isEqualTo(withoutLocations(original));
        }
    }

    /** Recovery policies, watchdogs, restartable and the faults list: written back, and read back the same. */
    @Test
    void explainedFaultRecoveryExampleReadsBackEqual() throws Exception {
        Path file = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && file == null; dir = dir.getParent()) {
            Path f = dir.resolve("examples").resolve("fault-recovery.yaml");
            file = Files.isRegularFile(f) ? f : null;
        }
        assertThat(file).as("examples/fault-recovery.yaml").isNotNull();
        SystemConfig original = ConfigReader.read(file);
        String explained = Explain.explain(original);
        assertThat(explained).contains("""
                  - name: comms
                    cores: [2]
                    memory: 64MiB
                    devices: [eth0]
                    recovery: {policy: restart, maxRestarts: 3}   # its monitor restores it at most 3 times
                    watchdog: {heartbeat: 1ms, timeout: 5ms}   # a heartbeat per PCPU; the monitor looks every timeout (a VM exit each time)
                """, """
                      - {name: diag, vcpu: spare, model: best-effort, exec: 200us, restartable: false}
                """, """
                    recovery: restart   # its monitor restores it after every failure
                    watchdog: {heartbeat: 1ms, timeout: 5ms}   # a heartbeat per PCPU; the monitor looks every timeout (a VM exit each time)
                """, """
                faults:
                  - {at: 1s, sandbox: comms, kind: kernel-panic}
                """);
        SystemConfig again = ConfigReader.parse(explained, "explained.yaml");
        assertThat(withoutLocations(again)).isEqualTo(withoutLocations(original));
        assertThat(Explain.explain(again)).isEqualTo(explained);
    }

    @Test
    void explainWritesStayDownTargetsAndRemovedMonitors() throws ConfigException {
        String yaml = """
                machine: {cores: 2, devices: [{name: tty, type: serial, irq: {core: 1}}]}
                SANDBOXES
                channels: [{name: up, from: a, to: b}]
                faults:
                  - {at: 1ms, sandbox: a, kind: runaway-thread}
                  - {at: 2ms, sandbox: b, kind: hung-driver}
                  - {at: 3ms, sandbox: a, kind: corrupt-message}
                  - {at: 4ms, sandbox: b, kind: unresponsive}
                """.replace("SANDBOXES", """
                sandboxes:
                  - name: a
                    cores: [0]
                    memory: 4MiB
                    recovery: stay-down
                    vcpus: [{name: v, budget: 1ms, period: 10ms}]
                    threads: [{name: p, vcpu: v, model: producer, channel: up, exec: 10us, period: 10ms}]
                  - name: b
                    cores: [1]
                    memory: 4MiB
                    devices: [tty]
                    watchdog: {timeout: 2ms}
                """);
        SystemConfig original = ConfigReader.parse(yaml, "t.yaml");
        String explained = Explain.explain(original);
        assertThat(explained).contains("""
                    recovery: stay-down   # a failed sandbox stays down; no watchdog: a silent hang goes unnoticed
                """, """
                      - {name: p, vcpu: v, model: producer, channel: up, size: 64B, exec: 10us, period: 10ms, restartable: true}
                """, """
                    recovery: restart   # its monitor restores it after every failure
                    watchdog: {heartbeat: 1ms, timeout: 2ms}   # a heartbeat per PCPU; the monitor looks every timeout (a VM exit each time)
                """, """
                faults:
                  - {at: 1ms, sandbox: a, kind: runaway-thread, thread: p}
                  - {at: 2ms, sandbox: b, kind: hung-driver, device: tty}
                  - {at: 3ms, sandbox: a, kind: corrupt-message, channel: up}
                  - {at: 4ms, sandbox: b, kind: unresponsive}
                """);
        assertThat(withoutLocations(ConfigReader.parse(explained, "again.yaml"))).isEqualTo(withoutLocations(original));

        String removed = Explain.explain(ConfigReader.parse("""
                machine: {cores: 1}
                monitors: {afterBoot: remove}
                sandboxes: [{name: s, cores: [0], memory: 4MiB}]
                """, "r.yaml"));
        assertThat(removed).contains("    recovery: restart   # monitors removed after boot: a failed sandbox stays down;"
                + " no watchdog: a silent hang goes unnoticed\n").doesNotContain("faults:");
    }

    @Test
    void smpThreadsShowRestartableOnlyWhenFalse() throws ConfigException {
        String explained = Explain.explain(ConfigReader.parse("""
                machine: {cores: 1}
                vcpus: [{name: v, budget: 1ms, period: 10ms}]
                threads:
                  - {name: a, vcpu: v, model: cpu-hog}
                  - {name: b, vcpu: v, model: cpu-hog, restartable: false}
                """, "smp.yaml"));
        assertThat(explained).contains("  - {name: a, vcpu: v, model: cpu-hog}\n",
                "  - {name: b, vcpu: v, model: cpu-hog, restartable: false}\n");
    }

    @Test
    void quotesTextThatWouldNotReadBackAsItself() {
        assertThat(Explain.scalar("rover-2.1")).isEqualTo("rover-2.1");
        assertThat(Explain.scalar("null")).isEqualTo("\"null\"");
        assertThat(Explain.scalar("")).isEqualTo("\"\"");
        assertThat(Explain.scalar("a: b")).isEqualTo("\"a: b\"");
        assertThat(Explain.scalar("say \"hi\"\n\t\\")).isEqualTo("\"say \\\"hi\\\"\\n\\t\\\\\"");
        assertThat(Explain.scalar("\u0001\u2028é")).isEqualTo("\"\\u0001\\u2028é\"");
    }

    // ---- the round-trip property ----

    /** Where the property writes the trace files of the systems it reads back (one per test class run). */
    private static Path traceDir;

    @AfterContainer
    static void deleteTraceDir() throws IOException {
        if (traceDir != null) {
            try (var files = Files.list(traceDir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(traceDir);
        }
    }

    /** Edge cases off: jqwik would combine those of every nested generator, far too many to compute. */
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void randomSystemsReadBackEqual(@ForAll("systems") SystemConfig system) throws Exception {
        if (traceDir == null) {
            traceDir = Files.createTempDirectory("explain-traces");
        }
        writeTraces(system, traceDir);
        SystemConfig again = ConfigReader.parse(Explain.explain(system), traceDir.resolve("random.yaml").toString());
        assertThat(withoutLocations(again)).isEqualTo(system);
    }

    /** Writes each trace of {@code system} where the description names it, in the trace format. */
    static void writeTraces(SystemConfig system, Path dir) {
        long hz = system.machine().frequencyHz();
        for (DeviceConfig d : system.machine().devices()) {
            if (d.model() instanceof DeviceModel.Nic nic && nic.arrivals() instanceof DeviceModel.Arrivals.Trace t) {
                StringBuilder text = new StringBuilder("# packets of ").append(d.name()).append('\n');
                for (DeviceModel.Arrivals.Packet p : t.packets()) {
                    text.append(Units.duration(p.timeCycles(), hz)).append(',').append(Units.size(p.size()));
                    if (p.port() != 0 || p.timeCycles() % 2 == 0) {
                        text.append(", ").append(p.port());
                    }
                    text.append('\n');
                }
                try {
                    Files.writeString(dir.resolve(t.file()), text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    // ---- random valid systems, built as records (no locations, source "") ----

    /** SMP-mode systems and Quest-V systems, about half each. */
    @Provide
    Arbitrary<SystemConfig> systems() {
        return Arbitraries.oneOf(smpSystems(), questVSystems());
    }

    private static Arbitrary<SystemConfig> smpSystems() {
        return frequencies().flatMap(hz -> machines(hz).flatMap(machine -> vcpuLists(machine.devices(), allCores(machine), hz)
                .flatMap(vcpus -> Combinators.combine(text(), Arbitraries.longs(), positive(hz), overheads(hz), kernels(hz),
                                threadLists(machine.devices(), vcpus, null, hz, "", true))
                        .as((name, seed, duration, overheads, kernel, threads) ->
                                new SystemConfig("", name, seed, duration, machine, overheads, kernel, vcpus, threads)))));
    }

    private static List<Integer> allCores(MachineConfig machine) {
        return java.util.stream.IntStream.range(0, machine.pcpus()).boxed().toList();
    }

    private static Arbitrary<Long> frequencies() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(ConfigReader.MIN_FREQUENCY_HZ, ConfigReader.MAX_FREQUENCY_HZ),
                Arbitraries.longs().between(1, 100_000).map(mhz -> mhz * Units.MHZ));
    }

    private static Arbitrary<MachineConfig> machines(long hz) {
        Arbitrary<Long> memory = Arbitraries.oneOf(Arbitraries.just(MachineConfig.DEFAULT_MEMORY),
                Arbitraries.longs().between(ConfigReader.MIN_MEMORY / ConfigReader.MEMORY_PAGE,
                        Long.MAX_VALUE / ConfigReader.MEMORY_PAGE).map(pages -> pages * ConfigReader.MEMORY_PAGE));
        return Combinators.combine(Arbitraries.integers().between(1, ConfigReader.MAX_CORES), Arbitraries.integers().between(1, 2),
                        memory)
                .flatAs((cores, smt, bytes) -> deviceLists(cores * smt, hz)
                        .map(devices -> new MachineConfig(cores, smt, hz, bytes, devices, Location.NONE)));
    }

    private static Arbitrary<List<DeviceConfig>> deviceLists(int pcpus, long hz) {
        return names(0, 5).flatMap(names -> Combinators.combine(
                        Arbitraries.integers().between(0, pcpus - 1).list().ofSize(names.size()),
                        drivers(hz).list().ofSize(names.size()),
                        deviceModels(hz).list().ofSize(names.size()))
                .as((irqs, drivers, models) -> {
                    List<DeviceConfig> devices = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        DeviceModel model = models.get(i);
                        if (model instanceof DeviceModel.Nic n && n.arrivals() instanceof DeviceModel.Arrivals.Trace t) {
                            // one file per device
                            model = new DeviceModel.Nic(new DeviceModel.Arrivals.Trace("t" + i + ".trace", t.packets()),
                                    n.bandwidth(), n.ringSlots());
                        }
                        devices.add(new DeviceConfig(names.get(i), irqs.get(i), drivers.get(i), model, Location.NONE));
                    }
                    return devices;
                }));
    }

    private static Arbitrary<DeviceConfig.DriverCost> drivers(long hz) {
        return Combinators.combine(cycles(hz), cycles(hz), cycles(hz)).as(DeviceConfig.DriverCost::new);
    }

    private static Arbitrary<DeviceModel> deviceModels(long hz) {
        Arbitrary<Double> rateOrZero = Arbitraries.oneOf(Arbitraries.just(0.0), rates(hz));
        return Arbitraries.oneOf(
                Combinators.combine(arrivals(hz), bandwidths(), Arbitraries.integers().between(1, 65536)).as(DeviceModel.Nic::new),
                Combinators.combine(cycles(hz), bandwidths()).as(DeviceModel.Disk::new),
                Combinators.combine(positive(hz), sizes()).as(DeviceModel.Sensor::new),
                cycles(hz).map(DeviceModel.Actuator::new),
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(DeviceModel.Serial::new),
                Combinators.combine(rateOrZero, rateOrZero).as(DeviceModel.Rogue::new)
                        .filter(r -> r.dmaRatePerSecond() > 0 || r.msiRatePerSecond() > 0));
    }

    private static Arbitrary<DeviceModel.Arrivals> arrivals(long hz) {
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
        Arbitrary<DeviceModel.Arrivals.Packet> packet = Combinators.combine(cycles(hz), sizes(), port)
                .as(DeviceModel.Arrivals.Packet::new);
        return Arbitraries.oneOf(
                Arbitraries.just(new DeviceModel.Arrivals.None()),
                Combinators.combine(positive(hz), sizes(), port).as(DeviceModel.Arrivals.Periodic::new),
                Combinators.combine(rates(hz), sizes(), port).as(DeviceModel.Arrivals.Poisson::new),
                Combinators.combine(rates(hz), positive(hz), cycles(hz), sizes(), port).as(DeviceModel.Arrivals.Bursty::new),
                packet.list().ofMaxSize(6).map(packets -> new DeviceModel.Arrivals.Trace("trace",
                        packets.stream().sorted(java.util.Comparator.comparingLong(DeviceModel.Arrivals.Packet::timeCycles)).toList())));
    }

    /** Rates in (0, one a cycle]: whole, with a few decimals, or any double. */
    private static Arbitrary<Double> rates(long hz) {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(1, Math.min(hz, 1_000_000)).map(Long::doubleValue),
                Arbitraries.bigDecimals().between(java.math.BigDecimal.ONE, java.math.BigDecimal.valueOf(hz)).ofScale(3)
                        .map(java.math.BigDecimal::doubleValue),
                Arbitraries.doubles().between(0, hz).filter(r -> r > 0));
    }

    /** Sizes greater than zero: small, whole KiB, or anything. */
    private static Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 10_000),
                Arbitraries.longs().between(1, 1 << 20).map(k -> k * Units.KIB),
                Arbitraries.longs().between(1, Long.MAX_VALUE));
    }

    private static Arbitrary<Long> bandwidths() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 1000).map(mb -> mb * Units.MHZ),
                Arbitraries.longs().between(1, Long.MAX_VALUE));
    }

    /** Cycles of zero or more: small counts, whole microseconds, or anything. */
    private static Arbitrary<Long> cycles(long hz) {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 10_000),
                Arbitraries.longs().between(0, 10_000_000).map(us -> us * hz / 1_000_000),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
    }

    private static Arbitrary<Long> positive(long hz) {
        return cycles(hz).filter(c -> c > 0);
    }

    private static Arbitrary<OverheadsConfig> overheads(long hz) {
        return Combinators.combine(cycles(hz), cycles(hz), cycles(hz), cycles(hz)).as(OverheadsConfig::new);
    }

    private static Arbitrary<KernelSettings> kernels(long hz) {
        return Combinators.combine(positive(hz), Arbitraries.integers().between(2, 4096),
                Arbitraries.of(KernelSettings.Admission.class), Arbitraries.of(KernelSettings.IoVcpuMode.class))
                .as(KernelSettings::new);
    }

    private static Arbitrary<List<String>> names(int min, int max) {
        Arbitrary<String> name = Arbitraries.strings().alpha().numeric().withChars("_-.").ofMinLength(1).ofMaxLength(6)
                .filter(s -> s.charAt(0) != '-' && s.charAt(0) != '.');
        return name.list().ofMinSize(min).ofMaxSize(max).uniqueElements();
    }

    /**
     * Main VCPUs (at least one), then up to three I/O VCPUs, each bound to one of {@code cores} or
     * placed by first fit. Each device (rogue ones aside) is named by at most one I/O VCPU and each
     * class claimed by at most one, so no device is claimed twice; an I/O VCPU left with neither is
     * named by a thread's ioVcpu (see {@link #threadLists}).
     */
    private static Arbitrary<List<VcpuConfig>> vcpuLists(List<DeviceConfig> allDevices, List<Integer> cores, long hz) {
        List<DeviceConfig> devices = allDevices.stream().filter(d -> !(d.model() instanceof DeviceModel.Rogue)).toList();
        Arbitrary<Integer> core = Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.of(cores));
        return names(1, 7).flatMap(names -> Arbitraries.integers().between(Math.max(1, names.size() - 3), names.size())
                .flatMap(mains -> {
                    int ios = names.size() - mains;
                    return Combinators.combine(
                                    positive(hz).list().ofSize(names.size()), positive(hz).list().ofSize(names.size()),
                                    core.list().ofSize(names.size()),
                                    Arbitraries.longs().between(1, VcpuConfig.PPM).list().ofSize(ios),
                                    Arbitraries.integers().between(-1, ios - 1).list().ofSize(devices.size()),
                                    Arbitraries.integers().between(-1, ios - 1).list().ofSize(DeviceReader.IO_CLASSES.size()))
                            .as((as, bs, vcpuCores, ppms, deviceOwners, classOwners) -> {
                                List<VcpuConfig> vcpus = new ArrayList<>();
                                for (int i = 0; i < mains; i++) {
                                    long budget = Math.min(as.get(i), bs.get(i));
                                    long period = Math.max(as.get(i), bs.get(i));
                                    vcpus.add(new VcpuConfig(names.get(i), budget, period, vcpuCores.get(i), Location.NONE));
                                }
                                for (int k = 0; k < ios; k++) {
                                    int i = mains + k;
                                    List<String> named = new ArrayList<>();
                                    for (int d = 0; d < devices.size(); d++) {
                                        if (deviceOwners.get(d) == k) {
                                            named.add(devices.get(d).name());
                                        }
                                    }
                                    List<String> classes = new ArrayList<>();
                                    for (int c = 0; c < DeviceReader.IO_CLASSES.size(); c++) {
                                        if (classOwners.get(c) == k) {
                                            classes.add(DeviceReader.IO_CLASSES.get(c));
                                        }
                                    }
                                    vcpus.add(new VcpuConfig(names.get(i), VcpuConfig.Kind.IO, 0, as.get(i), ppms.get(k),
                                            named, classes, vcpuCores.get(i), Location.NONE));
                                }
                                return vcpus;
                            });
                }));
    }

    /**
     * Threads on Main VCPUs, named {@code prefix} + a name. I/O models use a device the right way (a
     * request its type takes, a NIC for a receiver, one receiver a port; never a rogue device); a
     * thread whose device no I/O VCPU serves gets an ioVcpu; I/O VCPUs that serve nothing are named by
     * the first threads' ioVcpu. {@code channelModels}: producers and consumers the list's sandbox may
     * run, or null. No VCPUs (a sandbox may have none): no threads.
     */
    private static Arbitrary<List<ThreadConfig>> threadLists(List<DeviceConfig> allDevices, List<VcpuConfig> vcpus,
            Arbitrary<TaskModel> channelModels, long hz, String prefix, boolean atLeastOne) {
        if (vcpus.isEmpty()) {
            return Arbitraries.just(List.of());
        }
        List<String> mains = vcpus.stream().filter(v -> !v.isIo()).map(VcpuConfig::name).toList();
        List<VcpuConfig> ios = vcpus.stream().filter(VcpuConfig::isIo).toList();
        List<String> orphans = ios.stream().filter(v -> v.devices().isEmpty() && v.deviceClasses().isEmpty())
                .map(VcpuConfig::name).toList();
        List<DeviceConfig> devices = allDevices.stream().filter(d -> !(d.model() instanceof DeviceModel.Rogue)).toList();
        Map<String, String> served = IoBindings.byDevice(
                new MachineConfig(1, 1, hz, MachineConfig.DEFAULT_MEMORY, devices, Location.NONE), vcpus);
        List<Arbitrary<TaskModel>> kinds = new ArrayList<>(List.of(models(hz), wildWriters(hz)));
        if (!devices.isEmpty() && !ios.isEmpty()) {
            kinds.add(ioModels(hz, devices));
        }
        if (channelModels != null) {
            kinds.add(channelModels);
        }
        Arbitrary<TaskModel> model = Arbitraries.oneOf(kinds);
        Arbitrary<String> ioVcpu = ios.isEmpty() ? Arbitraries.just(null)
                : Arbitraries.of(ios.stream().map(VcpuConfig::name).toList()).injectNull(0.6);
        int min = Math.max(atLeastOne ? 1 : 0, orphans.size());
        return names(min, 5 + orphans.size()).flatMap(names -> Combinators.combine(
                        Arbitraries.of(mains).list().ofSize(names.size()), model.list().ofSize(names.size()),
                        ioVcpu.list().ofSize(names.size()))
                .as((vs, models, ioVcpus) -> {
                    List<ThreadConfig> threads = new ArrayList<>();
                    java.util.Set<String> ports = new java.util.HashSet<>();
                    for (int i = 0; i < names.size(); i++) {
                        TaskModel m = models.get(i);
                        String own = i < orphans.size() ? orphans.get(i) : ioVcpus.get(i);
                        if (m instanceof TaskModel.NetworkReceiver r) {
                            int port = r.port();
                            while (!ports.add(r.device() + ":" + port)) {
                                port = (port + 1) % 65536;
                            }
                            m = new TaskModel.NetworkReceiver(r.device(), port, r.exec(), r.deadline());
                        }
                        String device = m instanceof TaskModel.IoBound b ? b.device()
                                : m instanceof TaskModel.NetworkReceiver r ? r.device() : null;
                        if (device != null && own == null && !served.containsKey(device)) {
                            own = ios.get(0).name();
                        }
                        threads.add(new ThreadConfig(prefix + names.get(i), vs.get(i), m, own, Location.NONE));
                    }
                    return threads;
                }));
    }

    private static Arbitrary<TaskModel> models(long hz) {
        return Arbitraries.oneOf(
                Combinators.combine(positive(hz), positive(hz), execs(hz), cycles(hz)).as(TaskModel.Periodic::new),
                Combinators.combine(positive(hz), cycles(hz), positive(hz), execs(hz), cycles(hz)).as(TaskModel.Sporadic::new),
                Arbitraries.just(new TaskModel.CpuHog()),
                execs(hz).map(TaskModel.BestEffort::new),
                Combinators.combine(classNames(), cycles(hz), args()).as(TaskModel.Program::new));
    }

    /** Wild writers: any rate, either privilege, a non-empty list of distinct targets in any order. */
    private static Arbitrary<TaskModel> wildWriters(long hz) {
        return Combinators.combine(rates(hz), Arbitraries.of(true, false), Arbitraries.shuffle(ThreadReader.TARGETS),
                        Arbitraries.integers().between(1, ThreadReader.TARGETS.size()))
                .as((rate, kernel, targets, n) -> new TaskModel.WildWriter(rate, kernel, targets.subList(0, n)));
    }

    /** io-bound on any device with a request it takes; network-receiver on a NIC when there is one. */
    private static Arbitrary<TaskModel> ioModels(long hz, List<DeviceConfig> devices) {
        Arbitrary<TaskModel> ioBound = Combinators.combine(Arbitraries.of(devices), Arbitraries.integers().between(0, 1),
                        sizes(), execs(hz), cycles(hz), cycles(hz))
                .as((d, op, size, exec, period, deadline) -> {
                    List<String> takes = DeviceReader.REQUESTS_BY_TYPE.get(d.type());
                    return new TaskModel.IoBound(d.name(), takes.get(op % takes.size()), size, exec, period, deadline);
                });
        List<DeviceConfig> nics = devices.stream().filter(d -> d.type().equals("nic")).toList();
        if (nics.isEmpty()) {
            return ioBound;
        }
        Arbitrary<TaskModel> receiver = Combinators.combine(Arbitraries.of(nics), Arbitraries.integers().between(0, 65535),
                        execs(hz), cycles(hz))
                .as((d, port, exec, deadline) -> new TaskModel.NetworkReceiver(d.name(), port, exec, deadline));
        return Arbitraries.oneOf(ioBound, receiver);
    }

    private static Arbitrary<ExecTime> execs(long hz) {
        Arbitrary<ExecTime> constant = positive(hz).map(ExecTime.Constant::new);
        Arbitrary<ExecTime> uniform = Combinators.combine(positive(hz), positive(hz))
                .as((a, b) -> new ExecTime.Uniform(Math.min(a, b), Math.max(a, b)));
        Arbitrary<ExecTime> normal = Combinators.combine(positive(hz), positive(hz), positive(hz), cycles(hz))
                .as((a, b, c, sd) -> {
                    long[] sorted = java.util.stream.LongStream.of(a, b, c).sorted().toArray();
                    return new ExecTime.Normal(sorted[1], sd, sorted[0], sorted[2]);
                });
        return Arbitraries.oneOf(constant, uniform, normal);
    }

    private static Arbitrary<String> classNames() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5).list().ofMinSize(1).ofMaxSize(3)
                .map(parts -> String.join(".", parts));
    }

    /** Any text YAML can carry: ASCII, line breaks, controls, quotes, non-Latin letters. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().ascii().withChars("\n\t\r\u0000\u0085\u2028éλ中\uFEFF").ofMaxLength(8);
    }

    private static Arbitrary<Map<String, String>> args() {
        return Arbitraries.maps(text(), text()).ofMaxSize(4).map(LinkedHashMap::new);
    }

    // ---- random valid Quest-V systems ----

    /** How a Quest-V machine is shared out: which PCPUs and devices each sandbox has (some of either may be left over). */
    private record Layout(long hz, int cores, int smt, List<DeviceConfig> devices, List<String> sandboxes,
            List<List<Integer>> coresOf, List<List<DeviceConfig>> devicesOf) {}

    /**
     * Up to 16 cores shared by one to four sandboxes: each has at least one PCPU, the rest go to a
     * sandbox or to none; a device goes to the sandbox its interrupt reaches, or (sometimes) to none.
     */
    private static Arbitrary<Layout> layouts() {
        return frequencies().flatMap(hz -> Combinators.combine(Arbitraries.integers().between(1, 16),
                        Arbitraries.integers().between(1, 2))
                .flatAs((cores, smt) -> {
                    int pcpus = cores * smt;
                    List<Integer> ids = java.util.stream.IntStream.range(0, pcpus).boxed().toList();
                    return Arbitraries.integers().between(1, Math.min(4, pcpus)).flatMap(k -> Combinators.combine(
                                    Arbitraries.shuffle(ids), Arbitraries.integers().between(-1, k - 1).list().ofSize(pcpus),
                                    deviceLists(pcpus, hz), Arbitraries.of(true, true, false).list().ofSize(5), names(k, k))
                            .as((order, owners, devices, given, sandboxes) -> {
                                int[] owner = owners.stream().mapToInt(Integer::intValue).toArray();
                                for (int s = 0; s < k; s++) {
                                    owner[order.get(s)] = s;
                                }
                                List<List<Integer>> coresOf = new ArrayList<>();
                                List<List<DeviceConfig>> devicesOf = new ArrayList<>();
                                for (int s = 0; s < k; s++) {
                                    coresOf.add(new ArrayList<>());
                                    devicesOf.add(new ArrayList<>());
                                }
                                for (int p = 0; p < pcpus; p++) {
                                    if (owner[p] >= 0) {
                                        coresOf.get(owner[p]).add(p);
                                    }
                                }
                                for (int d = 0; d < devices.size(); d++) {
                                    int s = owner[devices.get(d).irqPcpu()];
                                    if (s >= 0 && given.get(d)) {
                                        devicesOf.get(s).add(devices.get(d));
                                    }
                                }
                                return new Layout(hz, cores, smt, devices, sandboxes, coresOf, devicesOf);
                            }));
                }));
    }

    private static Arbitrary<SystemConfig> questVSystems() {
        return layouts().flatMap(layout -> channelLists(layout.sandboxes(), layout.hz()).flatMap(channels -> {
            List<Arbitrary<SandboxConfig>> sandboxes = new ArrayList<>();
            for (int s = 0; s < layout.sandboxes().size(); s++) {
                sandboxes.add(sandbox(layout, s, channels));
            }
            long hz = layout.hz();
            boolean allStatic = channels.stream().allMatch(ChannelConfig::isStatic);
            Arbitrary<QuestVConfig> questV = Combinators.combine(Combinators.combine(sandboxes).as(l -> l),
                            Arbitraries.of(true, false).list().ofSize(4), positive(hz))
                    .as((list, flags, vmExit) -> new QuestVConfig(allStatic && flags.get(3) ? withoutWatchdogs(list)
                                    : withoutWatchdogsBelow(list, vmExit > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : 10 * vmExit),
                            channels, new ProtectionConfig(flags.get(0), flags.get(1), flags.get(2)),
                            new MonitorsConfig(allStatic && flags.get(3)), vmExit));
            return Combinators.combine(text(), Arbitraries.longs(), positive(hz), overheads(hz), kernels(hz), questV,
                            Arbitraries.longs().between(0, 1L << 30))
                    .as((name, seed, duration, overheads, kernel, q, slackPages) -> {
                        long used = q.sandboxes().stream().mapToLong(SandboxConfig::memoryBytes).sum()
                                + q.sandboxes().size() * SandboxReader.MONITOR_MEMORY
                                + channels.stream().mapToLong(c -> c.bidirectional() ? 2 * c.sizeBytes() : c.sizeBytes()).sum();
                        MachineConfig machine = new MachineConfig(layout.cores(), layout.smt(), hz,
                                used + slackPages * ConfigReader.MEMORY_PAGE, layout.devices(), Location.NONE);
                        return new SystemConfig("", name, seed, duration, machine, overheads, kernel, List.of(), List.of(), q);
                    });
        }));
    }

    /** A watchdog's timeout is at least 10 VM exits: the others are dropped. */
    private static List<SandboxConfig> withoutWatchdogsBelow(List<SandboxConfig> sandboxes, long minTimeout) {
        return sandboxes.stream().map(s -> s.watchdog() == null || s.watchdog().timeoutCycles() >= minTimeout ? s
                : new SandboxConfig(s.name(), s.cores(), s.memoryBytes(), s.devices(), s.vcpus(), s.threads(), s.location(),
                        s.linux(), s.recovery(), null)).toList();
    }

    /** A watchdog needs its monitor: none where the monitors are removed after boot. */
    private static List<SandboxConfig> withoutWatchdogs(List<SandboxConfig> sandboxes) {
        return sandboxes.stream().map(s -> new SandboxConfig(s.name(), s.cores(), s.memoryBytes(), s.devices(), s.vcpus(),
                s.threads(), s.location(), s.linux(), s.recovery(), null)).toList();
    }

    /** Up to four channels between two different sandboxes (none with a single sandbox). */
    private static Arbitrary<List<ChannelConfig>> channelLists(List<String> sandboxes, long hz) {
        int k = sandboxes.size();
        if (k < 2) {
            return Arbitraries.just(List.of());
        }
        return names(0, 4).flatMap(names -> {
            List<Arbitrary<ChannelConfig>> channels = new ArrayList<>();
            for (String name : names) {
                channels.add(Combinators.combine(Arbitraries.integers().between(0, k - 1),
                                Arbitraries.integers().between(1, k - 1), Arbitraries.of(ChannelConfig.Kind.class),
                                Arbitraries.of(true, false), Arbitraries.longs().between(1, 256), cycles(hz),
                                positive(hz), Arbitraries.integers().between(0, 3))
                        .as((from, shift, kind, both, pages, latency, poll, flags) -> new ChannelConfig(name,
                                sandboxes.get(from), sandboxes.get((from + shift) % k), kind, both,
                                pages * SandboxReader.CHANNEL_PAGE, latency, (flags & 1) != 0, poll, (flags & 2) == 0,
                                Location.NONE)));
            }
            return Combinators.combine(channels).as(l -> l);
        });
    }

    /** Sandbox {@code s} of the layout: 1 MiB to 4 GiB, no VCPUs or some, their threads named "s{s}-...". */
    private static Arbitrary<SandboxConfig> sandbox(Layout layout, int s, List<ChannelConfig> channels) {
        long hz = layout.hz();
        String name = layout.sandboxes().get(s);
        List<DeviceConfig> devices = layout.devicesOf().get(s);
        Arbitrary<TaskModel> channelModels = channelModels(name, channels, hz);
        Arbitrary<List<VcpuConfig>> vcpus = Arbitraries.oneOf(Arbitraries.just(List.of()),
                vcpuLists(devices, layout.coresOf().get(s), hz), vcpuLists(devices, layout.coresOf().get(s), hz));
        Arbitrary<RecoveryConfig> recovery = Arbitraries.oneOf(Arbitraries.just(RecoveryConfig.RESTART),
                Arbitraries.just(RecoveryConfig.STAY_DOWN),
                Arbitraries.integers().between(0, 1_000_000).map(n -> new RecoveryConfig(true, n)));
        Arbitrary<WatchdogConfig> watchdog = Arbitraries.oneOf(Arbitraries.just((WatchdogConfig) null),
                Combinators.combine(Arbitraries.longs().between(Math.max(1, hz / 1_000_000), Long.MAX_VALUE / 1000),
                                Arbitraries.longs().between(2, 1000))
                        .as((beat, times) -> new WatchdogConfig(beat, beat * times, Location.NONE)));
        return Combinators.combine(Arbitraries.longs().between(256, 1 << 20),
                        vcpus.flatMap(vs -> threadLists(devices, vs, channelModels, hz, "s" + s + "-", false)
                                .map(ts -> Map.entry(vs, ts))),
                        recovery, watchdog, Arbitraries.of(true, false).list().ofMinSize(16).ofMaxSize(16))
                .as((pages, vt, r, w, restartable) -> new SandboxConfig(name, layout.coresOf().get(s),
                        pages * ConfigReader.MEMORY_PAGE, devices.stream().map(DeviceConfig::name).toList(), vt.getKey(),
                        restartables(vt.getValue(), restartable), Location.NONE, null, r, w));
    }

    /** The threads, each restartable or not by the flags (cycled). */
    private static List<ThreadConfig> restartables(List<ThreadConfig> threads, List<Boolean> flags) {
        List<ThreadConfig> out = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            ThreadConfig t = threads.get(i);
            out.add(new ThreadConfig(t.name(), t.vcpu(), t.model(), t.ioVcpu(), t.location(), flags.get(i % flags.size())));
        }
        return out;
    }

    /** Producers on the channels {@code sandbox} can send on, consumers on those it can receive on; null if none. */
    private static Arbitrary<TaskModel> channelModels(String sandbox, List<ChannelConfig> channels, long hz) {
        List<ChannelConfig> send = channels.stream()
                .filter(c -> c.from().equals(sandbox) || c.bidirectional() && c.to().equals(sandbox)).toList();
        List<ChannelConfig> receive = channels.stream()
                .filter(c -> c.to().equals(sandbox) || c.bidirectional() && c.from().equals(sandbox)).toList();
        List<Arbitrary<TaskModel>> models = new ArrayList<>();
        if (!send.isEmpty()) {
            models.add(Arbitraries.of(send).flatMap(c -> Combinators.combine(Arbitraries.longs().between(1,
                                    c.kind() == ChannelConfig.Kind.RING ? ThreadReader.RING_SLOT_BYTES : ThreadReader.FOUR_SLOT_BYTES),
                            execs(hz), positive(hz))
                    .as((size, exec, period) -> new TaskModel.Producer(c.name(), size, exec, period))));
        }
        if (!receive.isEmpty()) {
            models.add(Combinators.combine(Arbitraries.of(receive), execs(hz))
                    .as((c, exec) -> new TaskModel.Consumer(c.name(), exec)));
        }
        return models.isEmpty() ? null : Arbitraries.oneOf(models);
    }

    // ---- comparing without locations ----

    static SystemConfig withoutLocations(SystemConfig c) {
        MachineConfig m = c.machine();
        List<DeviceConfig> devices = m.devices().stream()
                .map(d -> new DeviceConfig(d.name(), d.irqPcpu(), d.driver(), d.model(), Location.NONE)).toList();
        QuestVConfig q = c.questV();
        QuestVConfig questV = new QuestVConfig(
                q.sandboxes().stream().map(s -> new SandboxConfig(s.name(), s.cores(), s.memoryBytes(), s.devices(),
                        withoutVcpuLocations(s.vcpus()), withoutThreadLocations(s.threads()), Location.NONE, s.linux(),
                        s.recovery(), s.watchdog() == null ? null
                                : new WatchdogConfig(s.watchdog().heartbeatCycles(), s.watchdog().timeoutCycles(), Location.NONE)))
                        .toList(),
                q.channels().stream().map(ch -> new ChannelConfig(ch.name(), ch.from(), ch.to(), ch.kind(), ch.bidirectional(),
                        ch.sizeBytes(), ch.latencyCycles(), ch.doorbell(), ch.pollCycles(), ch.isStatic(), Location.NONE)).toList(),
                q.protection(), q.monitors(), q.vmExitCycles()).withFaults(q.faults().stream()
                        .map(f -> new FaultConfig(f.atCycles(), f.sandbox(), f.kind(), f.target(), Location.NONE)).toList());
        return new SystemConfig("", c.name(), c.seed(), c.durationCycles(),
                new MachineConfig(m.cores(), m.smt(), m.frequencyHz(), m.memoryBytes(), devices, Location.NONE),
                c.overheads(), c.kernel(), withoutVcpuLocations(c.vcpus()), withoutThreadLocations(c.threads()), questV);
    }

    private static List<VcpuConfig> withoutVcpuLocations(List<VcpuConfig> vcpus) {
        return vcpus.stream().map(v -> new VcpuConfig(v.name(), v.kind(), v.budgetCycles(), v.periodCycles(),
                v.utilisationPpm(), v.devices(), v.deviceClasses(), v.core(), Location.NONE)).toList();
    }

    private static List<ThreadConfig> withoutThreadLocations(List<ThreadConfig> threads) {
        return threads.stream().map(t -> new ThreadConfig(t.name(), t.vcpu(), t.model(), t.ioVcpu(), Location.NONE, t.restartable()))
                .toList();
    }
}
