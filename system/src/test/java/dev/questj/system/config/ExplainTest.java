package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

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
                overheads:
                  contextSwitch: 0 cycles
                  schedule: 0 cycles
                  timerInterrupt: 0 cycles
                  ipi: 0 cycles
                kernel:
                  quantum: 1ms
                  maxReplenishments: 32
                  admission: enforce
                vcpus:
                  - {name: fast, budget: 1ms, period: 5ms, core: 0}   # utilisation 20.0%
                  - {name: slow, budget: 1500us, period: 40ms}   # utilisation 3.8%; core chosen by first fit
                threads:
                  - {name: a, vcpu: fast, model: periodic, period: 5ms, deadline: 5ms, exec: 800us, offset: 0 cycles}
                  - {name: b, vcpu: slow, model: sporadic, minInterarrival: 40ms, maxExtra: 0 cycles, deadline: 40ms, exec: {uniform: [4ms, 9ms]}, offset: 0 cycles}
                  - {name: c, vcpu: slow, model: best-effort, exec: {normal: {mean: 5ms, sd: 1ms, min: 1 cycle, max: 9ms}}}
                  - {name: d, vcpu: slow, model: program, class: com.example.Estimator, period: 0 cycles, args: {gain: 0.4, label: "x, y", none: ""}}
                  - {name: e, vcpu: slow, model: cpu-hog}
                """);
    }

    @Test
    void explainedTextReadsBackEqual() throws ConfigException {
        SystemConfig original = ConfigReader.parse(SMALL, "small.yaml");
        SystemConfig again = ConfigReader.parse(Explain.explain(original), "explained.yaml");
        assertThat(withoutLocations(again)).isEqualTo(withoutLocations(original));
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

    @Property(tries = 300)
    void randomSystemsReadBackEqual(@ForAll("systems") SystemConfig system) throws ConfigException {
        SystemConfig again = ConfigReader.parse(Explain.explain(system), "random.yaml");
        assertThat(withoutLocations(again)).isEqualTo(system);
    }

    // ---- random valid systems, built as records (no locations, source "") ----

    @Provide
    Arbitrary<SystemConfig> systems() {
        return frequencies().flatMap(hz -> machines(hz).flatMap(machine -> vcpuLists(machine).flatMap(vcpus ->
                Combinators.combine(text(), Arbitraries.longs(), positive(hz), overheads(hz), kernels(hz), threadLists(vcpus, hz))
                        .as((name, seed, duration, overheads, kernel, threads) ->
                                new SystemConfig("", name, seed, duration, machine, overheads, kernel, vcpus, threads)))));
    }

    private static Arbitrary<Long> frequencies() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(ConfigReader.MIN_FREQUENCY_HZ, ConfigReader.MAX_FREQUENCY_HZ),
                Arbitraries.longs().between(1, 100_000).map(mhz -> mhz * Units.MHZ));
    }

    private static Arbitrary<MachineConfig> machines(long hz) {
        return Combinators.combine(Arbitraries.integers().between(1, ConfigReader.MAX_CORES), Arbitraries.integers().between(1, 2))
                .as((cores, smt) -> new MachineConfig(cores, smt, hz, Location.NONE));
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
                Arbitraries.of(KernelSettings.Admission.class)).as(KernelSettings::new);
    }

    private static Arbitrary<List<String>> names(int min, int max) {
        Arbitrary<String> name = Arbitraries.strings().alpha().numeric().withChars("_-.").ofMinLength(1).ofMaxLength(6)
                .filter(s -> s.charAt(0) != '-' && s.charAt(0) != '.');
        return name.list().ofMinSize(min).ofMaxSize(max).uniqueElements();
    }

    private static Arbitrary<List<VcpuConfig>> vcpuLists(MachineConfig machine) {
        long hz = machine.frequencyHz();
        return names(1, 4).flatMap(names -> Combinators.combine(
                        positive(hz).list().ofSize(names.size()), positive(hz).list().ofSize(names.size()),
                        Arbitraries.integers().between(-1, machine.pcpus() - 1).list().ofSize(names.size()))
                .as((as, bs, cores) -> {
                    List<VcpuConfig> vcpus = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        long budget = Math.min(as.get(i), bs.get(i));
                        long period = Math.max(as.get(i), bs.get(i));
                        vcpus.add(new VcpuConfig(names.get(i), budget, period, cores.get(i), Location.NONE));
                    }
                    return vcpus;
                }));
    }

    private static Arbitrary<List<ThreadConfig>> threadLists(List<VcpuConfig> vcpus, long hz) {
        Arbitrary<String> vcpuName = Arbitraries.of(vcpus.stream().map(VcpuConfig::name).toList());
        return names(1, 5).flatMap(names -> Combinators.combine(
                        vcpuName.list().ofSize(names.size()), models(hz).list().ofSize(names.size()))
                .as((vs, models) -> {
                    List<ThreadConfig> threads = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        threads.add(new ThreadConfig(names.get(i), vs.get(i), models.get(i), Location.NONE));
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

    // ---- comparing without locations ----

    static SystemConfig withoutLocations(SystemConfig c) {
        MachineConfig m = c.machine();
        return new SystemConfig("", c.name(), c.seed(), c.durationCycles(),
                new MachineConfig(m.cores(), m.smt(), m.frequencyHz(), Location.NONE), c.overheads(), c.kernel(),
                c.vcpus().stream().map(v -> new VcpuConfig(v.name(), v.budgetCycles(), v.periodCycles(), v.core(), Location.NONE)).toList(),
                c.threads().stream().map(t -> new ThreadConfig(t.name(), t.vcpu(), t.model(), Location.NONE)).toList());
    }
}
