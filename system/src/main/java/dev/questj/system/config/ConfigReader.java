package dev.questj.system.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 * is broken, 1 GHz stands in so that the rest of the file is still checked. Its devices are read with
 * it ({@link DeviceReader}, including packet traces, relative to the file). Then, in SMP mode (no
 * {@code sandboxes}), the VCPUs ({@link VcpuReader}), checked against the devices (which I/O VCPU
 * serves which device); then the threads ({@link ThreadReader}), checked against both; last, that
 * every I/O VCPU serves something. In Quest-V mode ({@code sandboxes} present) {@link SandboxReader}
 * reads the sandboxes, each with its own VCPUs and threads read the same way, and the channels.
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

    static final List<String> TOP_FIELDS = List.of("format", "name", "seed", "duration", "machine", "overheads", "kernel",
            "vcpus", "threads", "protection", "monitors", "sandboxes", "channels", "policy", "severances", "faults", "migration",
            "migrations");
    /** Top-level fields of SMP mode only, and of Quest-V mode only. */
    static final List<String> SMP_FIELDS = List.of("vcpus", "threads");
    static final List<String> QUEST_V_FIELDS =
            List.of("protection", "monitors", "channels", "policy", "severances", "faults", "migration", "migrations");
    public static final String DEFAULT_MEMORY = "256MiB";
    public static final long MIN_MEMORY = Units.MIB;
    public static final long MEMORY_PAGE = 4 * Units.KIB;
    public static final String DEFAULT_IO_PERIOD = VcpuReader.DEFAULT_IO_PERIOD;
    public static final String DEFAULT_VM_EXIT = QuestVConfig.DEFAULT_VM_EXIT_CYCLES + " cycles";

    static final List<String> MACHINE_FIELDS = List.of("cores", "smt", "frequency", "memory", "devices");
    static final List<String> OVERHEAD_FIELDS = List.of("contextSwitch", "schedule", "timerInterrupt", "ipi", "vmExit");
    static final List<String> KERNEL_FIELDS = List.of("quantum", "maxReplenishments", "admission", "ioVcpus");
    static final List<String> ADMISSIONS = List.of("enforce", "warn", "off");
    static final List<String> IO_VCPU_MODES = List.of("pibs", "sporadic");

    private static final String EXPECTED_TOP =
            "expected a mapping with at least machine, vcpus and threads";

    private final ReadContext ctx;
    /** The machine as read, or null while unknown or if a value in it is broken. */
    private MachineConfig machine;
    /** The machine's memory as read, or null if it is broken. */
    private Long machineMemory;
    /** Device name to type (null: unknown); null when which devices exist is unknown (machine broken). */
    private Map<String, String> deviceTypes;
    /** Device name to the PCPU its interrupts reach (null: unknown); null when which devices exist is unknown. */
    private Map<String, Integer> deviceIrqs;
    /** overheads.vmExit as read (the default if not given), or null if it is broken. */
    private Long vmExit = QuestVConfig.DEFAULT_VM_EXIT_CYCLES;

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
        try {
            return Files.readString(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(new Location(file.toString(), 0, 0, ""), "cannot read the file: " + unreadable(file, e));
        }
    }

    /** Why {@code file} could not be read as UTF-8 text: "it does not exist", "permission denied", ... */
    static String unreadable(Path file, Exception e) {
        return switch (e) {
            case NoSuchFileException n -> "it does not exist";
            case AccessDeniedException a -> "permission denied";
            case CharacterCodingException c -> "it is not valid UTF-8 text";
            default -> Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage());
        };
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
        boolean questVMode = top.has("sandboxes");
        machine = machine(top.required("machine"));
        String name = top.text("name", defaultName(ctx.file()), "a name");
        Long seed = top.integer("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        Long duration = top.positiveDuration("duration", DEFAULT_DURATION);
        OverheadsConfig overheads = top.has("overheads") ? overheads(top.value("overheads"), questVMode) : OverheadsConfig.NONE;
        KernelSettings kernel = top.has("kernel") ? kernel(top.value("kernel")) : defaultKernel();
        Integer pcpus = machine == null ? null : machine.pcpus();
        if (questVMode) {
            for (String field : SMP_FIELDS) {
                if (top.has(field)) {
                    top.reportAtKey(field, "in Quest-V mode VCPUs and threads belong to sandboxes: move "
                            + field + " into each sandbox");
                }
            }
            QuestVConfig questV = new SandboxReader(ctx, pcpus, machineMemory, deviceTypes, deviceIrqs).questV(top, vmExit);
            MigrationConfig migration = new MigrationReader(ctx).read(top, questV);
            if (ctx.hasErrors()) {
                return null;
            }
            if (top.has("faults") && duration != null) {
                List<FaultConfig> faults = FaultReader.faults(ctx, top.value("faults"), questV, duration);
                if (faults == null) {
                    return null;
                }
                questV = questV.withFaults(faults);
            }
            return new SystemConfig(ctx.file(), name, seed, duration, machine, overheads, kernel, List.of(), List.of(), questV,
                    migration);
        }
        for (String field : QUEST_V_FIELDS) {
            if (top.has(field)) {
                top.reportAtKey(field, questVOnly(field));
            }
        }
        VcpuReader vcpuReader = new VcpuReader(ctx, pcpus, deviceTypes);
        Map<String, VcpuReader.VcpuRef> vcpuRefs = new LinkedHashMap<>();
        Node vcpusNode = top.required("vcpus");
        List<VcpuConfig> vcpus = vcpuReader.vcpus(vcpusNode, Scope.SMP, true, vcpuRefs);
        vcpuReader.checkDeviceClaims(vcpuRefs, Scope.SMP);
        ThreadReader threadReader = new ThreadReader(ctx, deviceTypes, Map.of());
        // Threads are checked against the VCPUs only when there are some to check against.
        List<ThreadConfig> threads = threadReader.threads(top.required("threads"), Scope.SMP,
                vcpuRefs.isEmpty() ? null : vcpuRefs, true);
        vcpuReader.checkIoVcpusServe(vcpuRefs, threadReader.namedIoVcpus());
        if (ctx.hasErrors()) {
            return null;
        }
        return new SystemConfig(ctx.file(), name, seed, duration, machine, overheads, kernel, vcpus, threads);
    }

    /** Why a field of Quest-V mode is refused in SMP mode. */
    static String questVOnly(String field) {
        return "field " + Units.quote(field) + " is used only in Quest-V mode: give sandboxes, or leave it out (SMP mode)";
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
        Long memory = m.has("memory") ? memory(ctx, m) : Long.valueOf(Units.bytes(DEFAULT_MEMORY));
        machineMemory = memory;
        Integer pcpus = anyNull(cores, smt) ? null : Integer.valueOf((int) (cores * smt));
        DeviceReader deviceReader = new DeviceReader(ctx, pcpus);
        List<DeviceConfig> devices = m.has("devices") ? deviceReader.devices(m.value("devices"), m.path("devices")) : List.of();
        deviceTypes = devices == null ? null : deviceReader.types();
        deviceIrqs = devices == null ? null : deviceReader.irqs();
        // Built despite unknown fields and broken devices so that VCPU cores can still be checked against it.
        if (anyNull(cores, smt, hz)) {
            return null;
        }
        return new MachineConfig(cores.intValue(), smt.intValue(), hz, memory == null ? MachineConfig.DEFAULT_MEMORY : memory,
                devices == null ? List.of() : devices, m.location());
    }

    /** {@code memory} of {@code m} (the machine's or a sandbox's, given): at least 1 MiB, a whole number of 4 KiB pages. */
    static Long memory(ReadContext ctx, Mapping m) {
        Long memory = ctx.size(m.value("memory"), m.path("memory"), false);
        if (memory == null) {
            return null;
        }
        if (memory < MIN_MEMORY || memory % MEMORY_PAGE != 0) {
            ctx.error(m.location("memory"), "memory " + m.textOf("memory") + " must be at least "
                    + Units.size(MIN_MEMORY) + " and a multiple of " + Units.size(MEMORY_PAGE) + " (one page)");
            return null;
        }
        return memory;
    }

    /** The kernel's overheads; {@code vmExit}, read into {@link #vmExit}, only in Quest-V mode. */
    private OverheadsConfig overheads(Node node, boolean questVMode) {
        Mapping m = Mapping.of(ctx, node, "overheads");
        if (m == null) {
            return null;
        }
        m.acceptOnly(OVERHEAD_FIELDS);
        Long contextSwitch = m.duration("contextSwitch", "0 cycles");
        Long schedule = m.duration("schedule", "0 cycles");
        Long timerInterrupt = m.duration("timerInterrupt", "0 cycles");
        Long ipi = m.duration("ipi", "0 cycles");
        if (m.has("vmExit") && !questVMode) {
            m.reportAtKey("vmExit", questVOnly("vmExit") + "; there are no VM exits in SMP mode");
        } else {
            vmExit = m.positiveDuration("vmExit", DEFAULT_VM_EXIT);
        }
        if (anyNull(contextSwitch, schedule, timerInterrupt, ipi)) {
            return null;
        }
        return new OverheadsConfig(contextSwitch, schedule, timerInterrupt, ipi);
    }

    private KernelSettings defaultKernel() {
        return new KernelSettings(Units.cycles(DEFAULT_QUANTUM, ctx.frequencyHz()), DEFAULT_MAX_REPLENISHMENTS,
                KernelSettings.Admission.ENFORCE, KernelSettings.IoVcpuMode.PIBS);
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
        String ioVcpus = m.choice("ioVcpus", "pibs", IO_VCPU_MODES);
        if (anyNull(quantum, replenishments, admission, ioVcpus)) {
            return null;
        }
        return new KernelSettings(quantum, replenishments.intValue(),
                KernelSettings.Admission.valueOf(admission.toUpperCase(Locale.ROOT)),
                KernelSettings.IoVcpuMode.valueOf(ioVcpus.toUpperCase(Locale.ROOT)));
    }

    // ---- helpers shared by the readers ----

    static String unknownDevice(String name, Map<String, String> deviceTypes) {
        return "unknown device " + Units.quote(name) + (deviceTypes.isEmpty() ? ": the machine has no devices"
                : "; devices are: " + String.join(", ", deviceTypes.keySet()));
    }

    static String and(List<String> items) {
        if (items.size() < 2) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** What cores exist, for a message; {@code pcpus} null while the machine is unknown. */
    static String coreRange(Integer pcpus) {
        if (pcpus == null) {
            return "cores are numbered from 0";
        }
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
