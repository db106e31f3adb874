package dev.questj.system.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a system description (docs/CONFIG.md) into a {@link SystemConfig}.
 *
 * <p>Strict by design: an unknown or duplicate field, a missing required field, a value of the wrong
 * type or out of range, a duplicate or dangling name is an error that names file:line:column and the
 * field's path. All errors found are reported together in one {@link ConfigException}; nothing else
 * is ever thrown for bad input. The YAML is read with SnakeYAML's node API (not into Java objects) so
 * that every value keeps its position.
 *
 * <p>The machine is read first because every duration is converted to cycles at its frequency; if it
 * is broken, 1 GHz stands in so that the rest of the file is still checked.
 */
public final class ConfigReader {
    public static final int FORMAT = 1;
    public static final String DEFAULT_DURATION = "10s";
    public static final String DEFAULT_FREQUENCY = "1GHz";
    public static final long MIN_FREQUENCY_HZ = Units.MHZ;
    public static final long MAX_FREQUENCY_HZ = 100 * Units.GHZ;
    public static final int MAX_CORES = 1024;
    public static final String DEFAULT_QUANTUM = "1ms";
    public static final int DEFAULT_MAX_REPLENISHMENTS = 32;
    public static final int MIN_REPLENISHMENTS = 2;
    public static final int MAX_REPLENISHMENTS = 4096;
    public static final long DEFAULT_SEED = 1;

    static final List<String> TOP_FIELDS =
            List.of("format", "name", "seed", "duration", "machine", "overheads", "kernel", "vcpus", "threads");
    static final List<String> MACHINE_FIELDS = List.of("cores", "smt", "frequency");
    static final List<String> OVERHEAD_FIELDS = List.of("contextSwitch", "schedule", "timerInterrupt", "ipi");
    static final List<String> KERNEL_FIELDS = List.of("quantum", "maxReplenishments", "admission");
    static final List<String> ADMISSIONS = List.of("enforce", "warn", "off");
    static final List<String> VCPU_FIELDS = List.of("name", "budget", "period", "core");

    private static final String EXPECTED_TOP =
            "expected a mapping with at least machine, vcpus and threads";

    private final ReadContext ctx;
    /** The machine as read, or null while unknown or if a value in it is broken. */
    private MachineConfig machine;

    private ConfigReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    /** Reads {@code file} (UTF-8); its name as given appears in every message. */
    public static SystemConfig read(Path file) throws ConfigException {
        return parse(readText(file), file.toString());
    }

    /**
     * Reads a system description from text.
     *
     * @param fileName names the text in messages; its base name without extension is the default system name
     */
    public static SystemConfig parse(String yamlText, String fileName) throws ConfigException {
        ReadContext ctx = new ReadContext(fileName);
        Node root = compose(yamlText, ctx);
        SystemConfig config = new ConfigReader(ctx).system(root);
        if (ctx.hasErrors()) {
            throw ctx.exception();
        }
        return config;
    }

    private static String readText(Path file) throws ConfigException {
        Location at = new Location(file.toString(), 0, 0, "");
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(at, "cannot read the file: it does not exist");
        } catch (AccessDeniedException e) {
            throw new ConfigException(at, "cannot read the file: permission denied");
        } catch (CharacterCodingException e) {
            throw new ConfigException(at, "cannot read the file: it is not valid UTF-8 text");
        } catch (IOException | SecurityException e) {
            String reason = Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage());
            throw new ConfigException(at, "cannot read the file: " + reason);
        }
    }

    private static Node compose(String yamlText, ReadContext ctx) throws ConfigException {
        String fileName = ctx.file();
        try {
            Node root = new Yaml(loaderOptions()).compose(new StringReader(yamlText));
            if (root == null || root instanceof ScalarNode s && ReadContext.isEmpty(s)) {
                throw new ConfigException(new Location(fileName, 1, 1, ""), "the file is empty: " + EXPECTED_TOP);
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ConfigException(ctx.at(mark, ""), "YAML syntax error: " + syntaxProblem(e));
        } catch (YAMLException e) {
            throw new ConfigException(new Location(fileName, 0, 0, ""), "cannot read the YAML: " + e.getMessage());
        }
    }

    /** SnakeYAML's problem, with its context ("while parsing a flow mapping") and where that began. */
    private static String syntaxProblem(MarkedYAMLException e) {
        String problem = e.getProblem();
        String context = e.getContext();
        if (problem == null || context == null) {
            return problem != null ? problem : String.valueOf(context);
        }
        if (problem.startsWith("but ")) {
            return context + ", " + problem;
        }
        Mark contextMark = e.getContextMark();
        return problem + " (" + context + (contextMark == null ? "" : " at line " + (contextMark.getLine() + 1)) + ")";
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setProcessComments(false);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    // ---- the top level ----

    private SystemConfig system(Node root) {
        if (!(root instanceof MappingNode)) {
            ctx.error(root, "", EXPECTED_TOP + ", got " + ReadContext.describe(root));
            return null;
        }
        Mapping top = Mapping.of(ctx, root, "");
        top.acceptOnly(TOP_FIELDS);
        checkFormat(top);
        machine = machine(top.required("machine"));
        String name = top.text("name", defaultName(ctx.file()), "a name");
        Long seed = top.integer("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        Long duration = top.positiveDuration("duration", DEFAULT_DURATION);
        OverheadsConfig overheads = top.has("overheads") ? overheads(top.value("overheads")) : OverheadsConfig.NONE;
        KernelSettings kernel = top.has("kernel") ? kernel(top.value("kernel")) : defaultKernel();
        Map<String, Location> vcpuNames = new LinkedHashMap<>();
        List<VcpuConfig> vcpus = vcpus(top.required("vcpus"), vcpuNames);
        List<ThreadConfig> threads = new ThreadReader(ctx, vcpuNames).threads(top.required("threads"));
        if (ctx.hasErrors()) {
            return null;
        }
        return new SystemConfig(ctx.file(), name, seed, duration, machine, overheads, kernel, vcpus, threads);
    }

    private void checkFormat(Mapping top) {
        if (top.has("format")) {
            Long format = top.integer("format", FORMAT, Long.MIN_VALUE, Long.MAX_VALUE);
            if (format != null && format != FORMAT) {
                ctx.error(top.location("format"), "unsupported format " + format + ": this version reads format " + FORMAT);
            }
        }
    }

    /** The base name without its last extension: "configs/rover.yaml" gives "rover". */
    static String defaultName(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        String name = dot > 0 ? base.substring(0, dot) : base;
        return name.isEmpty() ? "system" : name;
    }

    // ---- machine, overheads, kernel ----

    private MachineConfig machine(Node node) {
        Mapping m = node == null ? null : Mapping.of(ctx, node, "machine");
        if (m == null) {
            return null;
        }
        m.acceptOnly(MACHINE_FIELDS);
        Long cores = m.requiredInteger("cores", 1, MAX_CORES);
        Long smt = m.integer("smt", 1, 1, 2);
        Long hz = m.frequency("frequency", DEFAULT_FREQUENCY, MIN_FREQUENCY_HZ, MAX_FREQUENCY_HZ);
        if (hz != null) {
            ctx.useFrequency(hz);
        }
        // Built despite unknown fields so that VCPU cores can still be checked against it.
        if (anyNull(cores, smt, hz)) {
            return null;
        }
        return new MachineConfig(cores.intValue(), smt.intValue(), hz, m.location());
    }

    private OverheadsConfig overheads(Node node) {
        Mapping m = Mapping.of(ctx, node, "overheads");
        if (m == null) {
            return null;
        }
        m.acceptOnly(OVERHEAD_FIELDS);
        Long contextSwitch = m.duration("contextSwitch", "0 cycles");
        Long schedule = m.duration("schedule", "0 cycles");
        Long timerInterrupt = m.duration("timerInterrupt", "0 cycles");
        Long ipi = m.duration("ipi", "0 cycles");
        if (anyNull(contextSwitch, schedule, timerInterrupt, ipi)) {
            return null;
        }
        return new OverheadsConfig(contextSwitch, schedule, timerInterrupt, ipi);
    }

    private KernelSettings defaultKernel() {
        return new KernelSettings(Units.cycles(DEFAULT_QUANTUM, ctx.frequencyHz()), DEFAULT_MAX_REPLENISHMENTS,
                KernelSettings.Admission.ENFORCE);
    }

    private KernelSettings kernel(Node node) {
        Mapping m = Mapping.of(ctx, node, "kernel");
        if (m == null) {
            return null;
        }
        m.acceptOnly(KERNEL_FIELDS);
        Long quantum = m.positiveDuration("quantum", DEFAULT_QUANTUM);
        Long replenishments = m.integer("maxReplenishments", DEFAULT_MAX_REPLENISHMENTS,
                MIN_REPLENISHMENTS, MAX_REPLENISHMENTS);
        String admission = m.choice("admission", "enforce", ADMISSIONS);
        if (anyNull(quantum, replenishments, admission)) {
            return null;
        }
        return new KernelSettings(quantum, replenishments.intValue(),
                KernelSettings.Admission.valueOf(admission.toUpperCase(Locale.ROOT)));
    }

    // ---- VCPUs ----

    /** Reads the VCPU list; {@code names} receives every well-formed VCPU name with its location. */
    private List<VcpuConfig> vcpus(Node node, Map<String, Location> names) {
        SequenceNode list = node == null ? null : ctx.sequence(node, "vcpus", "a list of VCPUs");
        List<VcpuConfig> vcpus = new ArrayList<>();
        if (list == null) {
            return vcpus;
        }
        if (list.getValue().isEmpty()) {
            ctx.error(list, "vcpus", "expected at least one VCPU");
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            VcpuConfig vcpu = vcpu(list.getValue().get(i), "vcpus[" + i + "]", names);
            if (vcpu != null) {
                vcpus.add(vcpu);
            }
        }
        return vcpus;
    }

    private VcpuConfig vcpu(Node node, String path, Map<String, Location> names) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        int errorsBefore = ctx.errorCount();
        m.acceptOnly(VCPU_FIELDS);
        String name = m.requiredName("name");
        if (name != null) {
            checkUnique(name, m.location("name"), names, "VCPU");
        }
        Long budget = m.requiredPositiveDuration("budget");
        Long period = m.requiredPositiveDuration("period");
        if (budget != null && period != null && budget > period) {
            ctx.error(m.location("budget"), "budget " + m.textOf("budget") + " exceeds period " + m.textOf("period"));
        }
        Integer core = m.has("core") ? core(m) : Integer.valueOf(-1);
        if (ctx.errorCount() > errorsBefore) {
            return null;
        }
        return new VcpuConfig(name, budget, period, core, m.location());
    }

    /** Records a name; a second use is an error that points back at the first. */
    private void checkUnique(String name, Location at, Map<String, Location> names, String what) {
        Location first = names.putIfAbsent(name, at);
        if (first != null) {
            ctx.error(at, "duplicate " + what + " name " + Units.quote(name) + " (first given on line " + first.line() + ")");
        }
    }

    /** The PCPU a VCPU is bound to: 0 to PCPUs - 1 once the machine is known, else just not negative. */
    private Integer core(Mapping m) {
        Long core = ctx.integer(m.value("core"), m.path("core"), Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (core == null) {
            return null;
        }
        if (core < 0 || machine != null && core >= machine.pcpus()) {
            ctx.error(m.location("core"), "core " + core + " does not exist: " + coreRange());
            return null;
        }
        return core.intValue();
    }

    private String coreRange() {
        if (machine == null) {
            return "cores are numbered from 0";
        }
        int pcpus = machine.pcpus();
        return "the machine has " + pcpus + (pcpus == 1 ? " PCPU (core 0)" : " PCPUs (cores 0 to " + (pcpus - 1) + ")");
    }

    static boolean anyNull(Object... values) {
        for (Object value : values) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }
}
