package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid descriptions: what they read as, and the defaults filled in. */
class ConfigReaderTest {
    private static final String SMALLEST = """
            format: 1
            machine: {cores: 2, frequency: 1GHz}
            vcpus:
              - {name: fast, budget: 1ms, period: 5ms, core: 0}
              - {name: slow, budget: 10ms, period: 40ms, core: 0}
            threads:
              - {name: a, vcpu: fast, model: periodic, period: 5ms, exec: 800us}
              - {name: b, vcpu: slow, model: periodic, period: 40ms, exec: 9ms}
            """;

    private static final String EVERYTHING = """
            format: 1
            name: rover
            seed: -42
            duration: 2.5s
            machine:
              cores: 4
              smt: 2
              frequency: 2GHz
            overheads: {contextSwitch: 2us, schedule: 1us, timerInterrupt: 500ns, ipi: 3000 cycles}
            kernel: {quantum: 2ms, maxReplenishments: 8, admission: warn}
            vcpus:
              - {name: ctl, budget: 2ms, period: 10ms, core: 7}
              - {name: nav, budget: 10ms, period: 50ms}
            threads:
              - {name: pid, vcpu: ctl, model: periodic, period: 10ms, deadline: 8ms, exec: 1500us, offset: 1ms}
              - name: planner
                vcpu: nav
                model: sporadic
                minInterarrival: 50ms
                maxExtra: 5ms
                exec: {uniform: [4ms, 9ms]}
              - {name: hog, vcpu: nav, model: cpu-hog}
              - {name: bg, vcpu: nav, model: best-effort, exec: {normal: {mean: 5ms, sd: 1ms, min: 3ms, max: 8ms}}}
              - {name: custom, vcpu: nav, model: program, class: com.example.Estimator, period: 20ms,
                 args: {zeta: 0.4, alpha: "x y", empty: }}
            """;

    @Test
    void readsTheSmallestUsefulFileWithDefaults() throws ConfigException {
        SystemConfig c = ConfigReader.parse(SMALLEST, "configs/smp-basic.yaml");

        assertThat(c.source()).isEqualTo("configs/smp-basic.yaml");
        assertThat(c.name()).isEqualTo("smp-basic");
        assertThat(c.seed()).isEqualTo(1);
        assertThat(c.durationCycles()).isEqualTo(10_000_000_000L);
        assertThat(c.machine().cores()).isEqualTo(2);
        assertThat(c.machine().smt()).isEqualTo(1);
        assertThat(c.machine().frequencyHz()).isEqualTo(1_000_000_000L);
        assertThat(c.overheads()).isEqualTo(OverheadsConfig.NONE);
        assertThat(c.kernel()).isEqualTo(new KernelSettings(1_000_000, 32, KernelSettings.Admission.ENFORCE));
        assertThat(c.vcpus()).extracting(VcpuConfig::name, VcpuConfig::budgetCycles, VcpuConfig::periodCycles, VcpuConfig::core)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fast", 1_000_000L, 5_000_000L, 0),
                        org.assertj.core.groups.Tuple.tuple("slow", 10_000_000L, 40_000_000L, 0));
        assertThat(c.threads().get(0).model())
                .isEqualTo(new TaskModel.Periodic(5_000_000, 5_000_000, new ExecTime.Constant(800_000), 0));
    }

    @Test
    void readsEveryFieldAtTheMachinesFrequency() throws ConfigException {
        SystemConfig c = ConfigReader.parse(EVERYTHING, "t.yaml");

        assertThat(c.name()).isEqualTo("rover");
        assertThat(c.seed()).isEqualTo(-42);
        assertThat(c.durationCycles()).isEqualTo(5_000_000_000L);
        assertThat(c.machine().pcpus()).isEqualTo(8);
        assertThat(c.overheads()).isEqualTo(new OverheadsConfig(4000, 2000, 1000, 3000));
        assertThat(c.kernel()).isEqualTo(new KernelSettings(4_000_000, 8, KernelSettings.Admission.WARN));
        assertThat(c.vcpus().get(0).core()).isEqualTo(7);
        assertThat(c.vcpus().get(1).core()).isEqualTo(-1);
        assertThat(models(c)).containsExactly(
                new TaskModel.Periodic(20_000_000, 16_000_000, new ExecTime.Constant(3_000_000), 2_000_000),
                new TaskModel.Sporadic(100_000_000, 10_000_000, 100_000_000, new ExecTime.Uniform(8_000_000, 18_000_000), 0),
                new TaskModel.CpuHog(),
                new TaskModel.BestEffort(new ExecTime.Normal(10_000_000, 2_000_000, 6_000_000, 16_000_000)),
                new TaskModel.Program("com.example.Estimator", 40_000_000, Map.of("zeta", "0.4", "alpha", "x y", "empty", "")));
    }

    @Test
    void keepsProgramArgsInFileOrder() throws ConfigException {
        TaskModel.Program p = (TaskModel.Program) ConfigReader.parse(EVERYTHING, "t.yaml").threads().get(4).model();
        assertThat(p.args().keySet()).containsExactly("zeta", "alpha", "empty");
    }

    @Test
    void fillsModelDefaults() throws ConfigException {
        SystemConfig c = ConfigReader.parse("""
                machine: {cores: 1, frequency: 2GHz}
                vcpus: [{name: v, budget: 1ms, period: 2ms}]
                threads:
                  - {name: s, vcpu: v, model: sporadic, minInterarrival: 7ms, exec: 1ms}
                  - {name: b, vcpu: v, model: best-effort}
                  - {name: n, vcpu: v, model: best-effort, exec: {normal: {mean: 5ms, sd: 1ms}}}
                  - {name: p, vcpu: v, model: program, class: Main}
                """, "t.yaml");

        assertThat(models(c)).containsExactly(
                new TaskModel.Sporadic(14_000_000, 0, 14_000_000, new ExecTime.Constant(2_000_000), 0),
                new TaskModel.BestEffort(new ExecTime.Constant(2_000_000)),
                new TaskModel.BestEffort(new ExecTime.Normal(10_000_000, 2_000_000, 1, 18_000_000)),
                new TaskModel.Program("Main", 0, Map.of()));
    }

    @Test
    void recordsKeepTheLocationOfTheirMapping() throws ConfigException {
        SystemConfig c = ConfigReader.parse(EVERYTHING, "t.yaml");

        assertThat(c.machine().location()).isEqualTo(new Location("t.yaml", 6, 3, "machine"));
        assertThat(c.vcpus().get(1).location()).isEqualTo(new Location("t.yaml", 13, 5, "vcpus[1]"));
        assertThat(c.threads().get(1).location()).isEqualTo(new Location("t.yaml", 16, 5, "threads[1]"));
    }

    @Test
    void readsAFileAndNamesTheSystemAfterIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("two.cores.yaml");
        Files.writeString(file, SMALLEST);

        SystemConfig c = ConfigReader.read(file);

        assertThat(c.name()).isEqualTo("two.cores");
        assertThat(c.source()).isEqualTo(file.toString());
        assertThat(c.vcpus().get(0).location().file()).isEqualTo(file.toString());
    }

    @Test
    void acceptsAnchorsAndAliases() throws ConfigException {
        SystemConfig c = ConfigReader.parse("""
                machine: {cores: 1}
                vcpus: [{name: v, budget: &b 1ms, period: 2ms}]
                threads: [{name: t, vcpu: v, model: periodic, period: 2ms, exec: *b}]
                """, "t.yaml");
        assertThat(c.threads().get(0).model()).isEqualTo(new TaskModel.Periodic(2_000_000, 2_000_000, new ExecTime.Constant(1_000_000), 0));
    }

    @Test
    void defaultNameIsTheBaseNameWithoutExtension() {
        assertThat(ConfigReader.defaultName("a/b/rover.yaml")).isEqualTo("rover");
        assertThat(ConfigReader.defaultName("C:\\x\\rover.yml")).isEqualTo("rover");
        assertThat(ConfigReader.defaultName("rover")).isEqualTo("rover");
        assertThat(ConfigReader.defaultName(".yaml")).isEqualTo(".yaml");
        assertThat(ConfigReader.defaultName("dir/")).isEqualTo("system");
    }

    // ---- memory, devices, I/O VCPUs, I/O threads ----

    /** At 2 GHz: one microsecond is 2000 cycles. */
    private static final String IO = """
            machine:
              cores: 4
              frequency: 2GHz
              memory: 512MiB
              devices:
                - {name: eth0, type: nic, irq: {core: 3}, arrivals: {pattern: poisson, rate: 2000/s, size: 1KiB, port: 7},
                   bandwidth: 1GB/s, ring: 64, driver: {topHalf: 3us, perRequest: 0us}}
                - {name: disk0, type: disk, irq: {core: 3}, seek: 5ms, bandwidth: 100MiB/s}
                - {name: imu, type: sensor, irq: {core: 0}, period: 5ms, sampleSize: 32B}
                - {name: servo, type: actuator, irq: {core: 1}, latency: 20us}
                - {name: tty, type: serial, irq: {core: 2}, baud: 9600}
            kernel: {ioVcpus: sporadic}
            vcpus:
              - {name: app, budget: 2ms, period: 10ms}
              - {name: net-io, kind: io, utilisation: 10%, devices: [eth0], core: 3}
              - {name: blk-io, kind: io, utilisation: 0.125, classes: [disk, sensor, actuator, serial], period: 20ms}
              - {name: own, kind: io, utilisation: 1%}
            threads:
              - {name: rx, vcpu: app, model: network-receiver, device: eth0, port: 7, exec: 50us, deadline: 10ms}
              - {name: db, vcpu: app, model: io-bound, device: disk0, request: write, size: 4KiB, exec: 1ms, period: 50ms,
                 deadline: 40ms, ioVcpu: own}
              - {name: log, vcpu: app, model: io-bound, device: tty, request: write, exec: 10us}
              - {name: read, vcpu: app, model: io-bound, device: imu, exec: 10us, period: 5ms}
              - {name: tx, vcpu: app, model: io-bound, device: eth0, request: transmit, size: 1500B, exec: 10us}
            """;

    @Test
    void readsEveryDeviceType() throws ConfigException {
        MachineConfig m = ConfigReader.parse(IO, "t.yaml").machine();

        assertThat(m.memoryBytes()).isEqualTo(512L << 20);
        assertThat(m.devices()).extracting(DeviceConfig::name, DeviceConfig::type, DeviceConfig::irqPcpu).containsExactly(
                org.assertj.core.groups.Tuple.tuple("eth0", "nic", 3), org.assertj.core.groups.Tuple.tuple("disk0", "disk", 3),
                org.assertj.core.groups.Tuple.tuple("imu", "sensor", 0), org.assertj.core.groups.Tuple.tuple("servo", "actuator", 1),
                org.assertj.core.groups.Tuple.tuple("tty", "serial", 2));
        assertThat(m.devices()).extracting(DeviceConfig::model).containsExactly(
                new DeviceModel.Nic(new DeviceModel.Arrivals.Poisson(2000, 1024, 7), 1_000_000_000, 64),
                new DeviceModel.Disk(10_000_000, 100L << 20),
                new DeviceModel.Sensor(10_000_000, 32),
                new DeviceModel.Actuator(40_000),
                new DeviceModel.Serial(9600));
        assertThat(m.devices().get(0).location()).isEqualTo(new Location("t.yaml", 6, 7, "machine.devices[0]"));
    }

    @Test
    void fillsDriverCostsPerTypeAndOnlyTheFieldsNotGiven() throws ConfigException {
        MachineConfig m = ConfigReader.parse(IO, "t.yaml").machine();

        assertThat(m.devices()).extracting(DeviceConfig::driver).containsExactly(
                new DeviceConfig.DriverCost(6000, 0, 2000),          // nic: topHalf and perRequest given, perKiB 1us
                new DeviceConfig.DriverCost(4000, 40_000, 4000),     // disk: 2us, 20us, 2us
                new DeviceConfig.DriverCost(2000, 10_000, 0),        // sensor: 1us, 5us, 0
                new DeviceConfig.DriverCost(2000, 10_000, 0),        // actuator: 1us, 5us, 0
                new DeviceConfig.DriverCost(2000, 10_000, 2000));    // serial: 1us, 5us, 1us
    }

    @Test
    void fillsDeviceDefaults() throws ConfigException {
        MachineConfig m = ConfigReader.parse("""
                machine:
                  cores: 1
                  devices:
                    - {name: n, type: nic, irq: {core: 0}}
                    - {name: d, type: disk, irq: {core: 0}}
                    - {name: s, type: sensor, irq: {core: 0}, period: 1ms}
                    - {name: a, type: actuator, irq: {core: 0}}
                    - {name: c, type: serial, irq: {core: 0}}
                vcpus: [{name: v, budget: 1ms, period: 2ms}]
                threads: [{name: t, vcpu: v, model: cpu-hog}]
                """, "t.yaml").machine();

        assertThat(m.memoryBytes()).isEqualTo(MachineConfig.DEFAULT_MEMORY).isEqualTo(256L << 20);
        assertThat(m.devices()).extracting(DeviceConfig::model).containsExactly(
                new DeviceModel.Nic(new DeviceModel.Arrivals.None(), 125_000_000, 256),
                new DeviceModel.Disk(4_000_000, 200_000_000),
                new DeviceModel.Sensor(1_000_000, 64),
                new DeviceModel.Actuator(50_000),
                new DeviceModel.Serial(115_200));
    }

    @Test
    void machineWithoutDevices() throws ConfigException {
        MachineConfig m = ConfigReader.parse(SMALLEST, "t.yaml").machine();
        assertThat(m.devices()).isEmpty();
        assertThat(m.memoryBytes()).isEqualTo(256L << 20);
        MachineConfig kb = ConfigReader.parse(SMALLEST.replace("frequency: 1GHz", "memory: 4096KB, devices: []"), "t.yaml").machine();
        assertThat(kb.memoryBytes()).isEqualTo(4_096_000);   // KB is 1000 bytes: 1000 pages of 4 KiB
        assertThat(kb.devices()).isEmpty();
    }

    @Test
    void readsEveryArrivalPattern(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("eth.trace"), """
                # time,size[,port]
                0us,1500B,7
                1.5ms, 64B      # port 0 by default

                1.5ms,1KiB,65535
                2 ms , 2KB , 9
                """);
        SystemConfig c = ConfigReader.parse("""
                machine:
                  cores: 1
                  frequency: 3GHz
                  devices:
                    - {name: a, type: nic, irq: {core: 0}, arrivals: {pattern: none}}
                    - {name: b, type: nic, irq: {core: 0}, arrivals: {pattern: periodic, rate: 7000/s}}
                    - {name: c, type: nic, irq: {core: 0}, arrivals: {pattern: periodic, interval: 500us, size: 64B, port: 80}}
                    - {name: d, type: nic, irq: {core: 0}, arrivals: {pattern: poisson, rate: 2.5/s}}
                    - {name: e, type: nic, irq: {core: 0}, arrivals: {pattern: bursty, rate: 20000/s, on: 10ms, off: 40ms, port: 9}}
                    - {name: f, type: nic, irq: {core: 0}, arrivals: {pattern: trace, file: eth.trace}}
                vcpus: [{name: v, budget: 1ms, period: 2ms}]
                threads: [{name: t, vcpu: v, model: cpu-hog}]
                """, dir.resolve("sys.yaml").toString());

        assertThat(c.machine().devices()).extracting(d -> ((DeviceModel.Nic) d.model()).arrivals()).containsExactly(
                new DeviceModel.Arrivals.None(),
                new DeviceModel.Arrivals.Periodic(428_571, 1500, 0),            // 3e9 / 7000 = 428571.43 cycles
                new DeviceModel.Arrivals.Periodic(1_500_000, 64, 80),
                new DeviceModel.Arrivals.Poisson(2.5, 1500, 0),
                new DeviceModel.Arrivals.Bursty(20_000, 30_000_000, 120_000_000, 1500, 9),
                new DeviceModel.Arrivals.Trace("eth.trace", List.of(
                        new DeviceModel.Arrivals.Packet(0, 1500, 7),
                        new DeviceModel.Arrivals.Packet(4_500_000, 64, 0),
                        new DeviceModel.Arrivals.Packet(4_500_000, 1024, 65535),
                        new DeviceModel.Arrivals.Packet(6_000_000, 2000, 9))));
    }

    @Test
    void readsIoVcpusAndTheKernelsIoVcpuMode() throws ConfigException {
        SystemConfig c = ConfigReader.parse(IO, "t.yaml");

        assertThat(c.kernel().ioVcpus()).isEqualTo(KernelSettings.IoVcpuMode.SPORADIC);
        assertThat(c.vcpus()).containsExactly(
                new VcpuConfig("app", 4_000_000, 20_000_000, -1, c.vcpus().get(0).location()),
                new VcpuConfig("net-io", VcpuConfig.Kind.IO, 0, 20_000_000, 100_000, List.of("eth0"), List.of(), 3,
                        c.vcpus().get(1).location()),
                new VcpuConfig("blk-io", VcpuConfig.Kind.IO, 0, 40_000_000, 125_000, List.of(),
                        List.of("disk", "sensor", "actuator", "serial"), -1, c.vcpus().get(2).location()),
                new VcpuConfig("own", VcpuConfig.Kind.IO, 0, 20_000_000, 10_000, List.of(), List.of(), -1,
                        c.vcpus().get(3).location()));
        assertThat(c.vcpus().get(1).utilisation()).isEqualTo(0.1);
        assertThat(ConfigReader.parse(SMALLEST, "t.yaml").kernel().ioVcpus()).isEqualTo(KernelSettings.IoVcpuMode.PIBS);
    }

    @Test
    void readsIoThreads() throws ConfigException {
        SystemConfig c = ConfigReader.parse(IO, "t.yaml");

        assertThat(models(c)).containsExactly(
                new TaskModel.NetworkReceiver("eth0", 7, new ExecTime.Constant(100_000), 20_000_000),
                new TaskModel.IoBound("disk0", "write", 4096, new ExecTime.Constant(2_000_000), 100_000_000, 80_000_000),
                new TaskModel.IoBound("tty", "write", 64, new ExecTime.Constant(20_000), 0, 0),
                new TaskModel.IoBound("imu", "read", 64, new ExecTime.Constant(20_000), 10_000_000, 10_000_000),
                new TaskModel.IoBound("eth0", "transmit", 1500, new ExecTime.Constant(20_000), 0, 0));
        assertThat(c.threads()).extracting(ThreadConfig::ioVcpu).containsExactly(null, "own", null, null, null);
    }

    @Test
    void ioBindingsPreferExplicitDevicesOverClasses() throws ConfigException {
        SystemConfig c = ConfigReader.parse("""
                machine:
                  cores: 1
                  devices:
                    - {name: d0, type: disk, irq: {core: 0}}
                    - {name: d1, type: disk, irq: {core: 0}}
                    - {name: n0, type: nic, irq: {core: 0}}
                vcpus:
                  - {name: v, budget: 1ms, period: 2ms}
                  - {name: by-class, kind: io, utilisation: 5%, classes: [disk]}
                  - {name: by-name, kind: io, utilisation: 5%, devices: [d1]}
                  - {name: other, kind: io, utilisation: 5%, classes: [disk], devices: [d0]}
                threads: [{name: t, vcpu: v, model: cpu-hog}]
                """, "t.yaml");

        assertThat(IoBindings.byDevice(c)).containsExactly(Map.entry("d0", "other"), Map.entry("d1", "by-name"));
    }

    private static List<TaskModel> models(SystemConfig c) {
        return c.threads().stream().map(ThreadConfig::model).toList();
    }
}
