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

    private static List<TaskModel> models(SystemConfig c) {
        return c.threads().stream().map(ThreadConfig::model).toList();
    }
}
