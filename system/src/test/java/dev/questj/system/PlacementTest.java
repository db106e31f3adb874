package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.questj.system.config.ConfigError;
import dev.questj.system.config.ConfigException;
import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.SystemConfig;
import org.junit.jupiter.api.Test;

/** Binding VCPUs to PCPUs: pinned first, then first fit under the admission bound; enforce, warn and off. */
class PlacementTest {
    private static SystemConfig system(String admission, String vcpus) throws ConfigException {
        return ConfigReader.parse("machine: {cores: 3}\n"
                + "kernel: {admission: " + admission + "}\n"
                + "vcpus:\n" + vcpus
                + "threads: [{name: t, vcpu: a, model: periodic, period: 10ms, exec: 1ms}]\n", "p.yaml");
    }

    @Test
    void firstFitTakesTheLowestPcpuThatAdmits() throws Exception {
        SystemConfig cfg = system("enforce", """
                  - {name: a, budget: 6ms, period: 10ms, core: 0}
                  - {name: b, budget: 2ms, period: 10ms}
                  - {name: c, budget: 3ms, period: 10ms}
                  - {name: d, budget: 7ms, period: 10ms}
                """);

        Placement p = Placement.of(cfg);

        assertThat(p.pcpuOf(1)).as("b: 0.6 + 0.2 = 0.8 <= 0.8284 on PCPU 0").isZero();
        assertThat(p.pcpuOf(2)).as("c: PCPU 0 would be 1.1 with three VCPUs; PCPU 1 is empty").isEqualTo(1);
        assertThat(p.pcpuOf(3)).as("d: 0.3 + 0.7 = 1.0 > 0.8284 on PCPU 1, so PCPU 2").isEqualTo(2);
        assertThat(p.loads()).extracting(l -> l.mainVcpus()).containsExactly(2, 1, 1);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void pinnedVcpusAreBoundBeforeFirstFitWhateverTheFileOrder() throws Exception {
        SystemConfig cfg = system("enforce", """
                  - {name: a, budget: 5ms, period: 10ms}
                  - {name: b, budget: 7ms, period: 10ms, core: 0}
                """);

        Placement p = Placement.of(cfg);

        assertThat(p.pcpuOf(1)).isZero();
        assertThat(p.pcpuOf(0)).as("a is placed after b took PCPU 0").isEqualTo(1);
    }

    @Test
    void vcpuThatFitsNowhereIsRefusedWithItsLocation() throws Exception {
        SystemConfig cfg = system("enforce", """
                  - {name: a, budget: 5ms, period: 10ms, core: 0}
                  - {name: b, budget: 5ms, period: 10ms, core: 1}
                  - {name: c, budget: 5ms, period: 10ms, core: 2}
                  - {name: big, budget: 4ms, period: 10ms}
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Placement.of(cfg));

        assertThat(e.errors()).extracting(ConfigError::format).containsExactly(
                "p.yaml:7:5: vcpus[3]: no PCPU can take VCPU \"big\" (utilisation 0.4000): on each of the 3 PCPUs"
                        + " it would exceed the admission bound");
    }

    @Test
    void enforceRefusesAnOverloadedPinnedCoreNamingTheNumbers() throws Exception {
        SystemConfig cfg = system("enforce", """
                  - {name: a, budget: 5ms, period: 10ms, core: 0}
                  - {name: b, budget: 4ms, period: 10ms, core: 0}
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Placement.of(cfg));

        assertThat(e.errors()).singleElement().extracting(ConfigError::format).asString()
                .startsWith("p.yaml:5:5: vcpus[1].core: PCPU 0 is overloaded with VCPU \"b\"")
                .contains("utilisation 0.9000 of 2 Main VCPUs against the bound 0.8284");
    }

    @Test
    void warnLetsAnOverloadedCoreRunAndReportsIt() throws Exception {
        SystemConfig cfg = system("warn", """
                  - {name: a, budget: 5ms, period: 10ms, core: 0}
                  - {name: b, budget: 4ms, period: 10ms, core: 0}
                """);

        Placement p = Placement.of(cfg);

        assertThat(p.warnings()).singleElement().asString()
                .startsWith("p.yaml:5:5: ").contains("PCPU 0 is overloaded with VCPU \"b\"", "0.9000", "0.8284");
        assertThat(p.loads().getFirst().admitted()).isFalse();
        RunResult r = QuestSystem.of(cfg).run(RunOptions.inMemory().withDuration(100_000_000L));
        assertThat(r.cores().getFirst().admitted()).isFalse();
        assertThat(r.cores().getFirst().utilisation()).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void warnStillPlacesUnpinnedVcpusUnderTheBound() throws Exception {
        SystemConfig cfg = system("warn", """
                  - {name: a, budget: 5ms, period: 10ms, core: 0}
                  - {name: b, budget: 1ms, period: 10ms}
                  - {name: c, budget: 4ms, period: 10ms}
                """);

        Placement p = Placement.of(cfg);

        assertThat(p.pcpuOf(1)).isZero();
        assertThat(p.pcpuOf(2)).isEqualTo(1);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void offSkipsTheBoundForPinnedVcpusWithoutAWord() throws Exception {
        SystemConfig cfg = system("off", """
                  - {name: a, budget: 5ms, period: 10ms, core: 0}
                  - {name: b, budget: 4ms, period: 10ms, core: 0}
                """);

        Placement p = Placement.of(cfg);

        assertThat(p.warnings()).isEmpty();
        assertThat(p.pcpuOf(1)).isZero();
        assertThat(p.loads().getFirst().admitted()).as("reported as over the bound all the same").isFalse();
    }

    @Test
    void offFirstFitOnlyKeepsEachPcpuAtOrBelowFullUtilisation() throws Exception {
        SystemConfig cfg = system("off", """
                  - {name: a, budget: 5ms, period: 10ms, core: 0}
                  - {name: b, budget: 5ms, period: 10ms}
                  - {name: c, budget: 1ms, period: 10ms}
                """);

        Placement p = Placement.of(cfg);

        assertThat(p.pcpuOf(1)).as("0.5 + 0.5 = 1.0 is allowed when admission is off").isZero();
        assertThat(p.pcpuOf(2)).isEqualTo(1);
    }

    @Test
    void offStillRefusesAVcpuThatWouldTakeEveryPcpuOverFullUtilisation() throws Exception {
        SystemConfig cfg = ConfigReader.parse("""
                machine: {cores: 1}
                kernel: {admission: off}
                vcpus:
                  - {name: a, budget: 8ms, period: 10ms, core: 0}
                  - {name: b, budget: 3ms, period: 10ms}
                threads: [{name: t, vcpu: a, model: cpu-hog}]
                """, "p.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Placement.of(cfg));

        assertThat(e.getMessage()).isEqualTo("p.yaml:5:5: vcpus[1]: no PCPU can take VCPU \"b\" (utilisation 0.3000):"
                + " on the only PCPU it would exceed a utilisation of 1");
    }
}
