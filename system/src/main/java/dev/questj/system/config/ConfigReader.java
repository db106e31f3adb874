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
import java.util.Set;
import java.util.function.BiFunction;
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
 * is broken, 1 GHz stands in so that the rest of the file is still checked. Its devices are read with
 * it ({@link DeviceReader}, including packet traces, relative to the file); then the VCPUs, checked
 * against the devices (which I/O VCPU serves which device); then the threads ({@link ThreadReader}),
 * checked against both; last, that every I/O VCPU serves something.
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
    public static final String DEFAULT_MEMORY = "256MiB";
    public static final long MIN_MEMORY = Units.MIB;
    public static final long MEMORY_PAGE = 4 * Units.KIB;
    public static final String DEFAULT_IO_PERIOD = "10ms";

    static final List<String> MACHINE_FIELDS = List.of("cores", "smt", "frequency", "memory", "devices");
    static final List<String> OVERHEAD_FIELDS = List.of("contextSwitch", "schedule", "timerInterrupt", "ipi");
    static final List<String> KERNEL_FIELDS = List.of("quantum", "maxReplenishments", "admission", "ioVcpus");
    static final List<String> ADMISSIONS = List.of("enforce", "warn", "off");
    static final List<String> IO_VCPU_MODES = List.of("pibs", "sporadic");
    static final List<String> VCPU_KINDS = List.of("main", "io");
    static final List<String> VCPU_FIELDS =
            List.of("name", "kind", "budget", "period", "utilisation", "devices", "classes", "core");
    static final List<String> MAIN_VCPU_FIELDS = List.of("name", "kind", "budget", "period", "core");
    static final List<String> IO_VCPU_FIELDS = List.of("name", "kind", "utilisation", "period", "devices", "classes", "core");

    private static final String EXPECTED_TOP =
            "expected a mapping with at least machine, vcpus and threads";

    /**
     * What later parts of the file refer to by name, as far as it could be read: a VCPU's kind (null
     * when unknown) and, for an I/O VCPU, the devices and classes it lists with where each is written
     * ({@code listsGiven}: it lists something, even if that could not be read).
     */
    record VcpuRef(VcpuConfig.Kind kind, Location at, Location nameAt, Map<String, Location> devices,
            Map<String, Location> classes, boolean listsGiven) {}

    private final ReadContext ctx;
    /** The machine as read, or null while unknown or if a value in it is broken. */
    private MachineConfig machine;
    /** Device name to type (null: unknown); null when which devices exist is unknown (machine broken). */
    private Map<String, String> deviceTypes;

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
        machine = machine(top.required("machine"));
        String name = top.text("name", defaultName(ctx.file()), "a name");
        Long seed = top.integer("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        Long duration = top.positiveDuration("duration", DEFAULT_DURATION);
        OverheadsConfig overheads = top.has("overheads") ? overheads(top.value("overheads")) : OverheadsConfig.NONE;
        KernelSettings kernel = top.has("kernel") ? kernel(top.value("kernel")) : defaultKernel();
        Map<String, VcpuRef> vcpuRefs = new LinkedHashMap<>();
        List<VcpuConfig> vcpus = vcpus(top.required("vcpus"), vcpuRefs);
        checkDeviceClaims(vcpuRefs);
        ThreadReader threadReader = new ThreadReader(ctx, vcpuRefs, deviceTypes);
        List<ThreadConfig> threads = threadReader.threads(top.required("threads"));
        checkIoVcpusServe(vcpuRefs, threadReader.namedIoVcpus());
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
        Long memory = memory(m);
        Integer pcpus = anyNull(cores, smt) ? null : Integer.valueOf((int) (cores * smt));
        DeviceReader deviceReader = new DeviceReader(ctx, pcpus);
        List<DeviceConfig> devices = m.has("devices") ? deviceReader.devices(m.value("devices"), m.path("devices")) : List.of();
        deviceTypes = devices == null ? null : deviceReader.types();
        // Built despite unknown fields and broken devices so that VCPU cores can still be checked against it.
        if (anyNull(cores, smt, hz)) {
            return null;
        }
        return new MachineConfig(cores.intValue(), smt.intValue(), hz, memory == null ? MachineConfig.DEFAULT_MEMORY : memory,
                devices == null ? List.of() : devices, m.location());
    }

    /** Physical memory: at least 1 MiB, a whole number of 4 KiB pages. */
    private Long memory(Mapping m) {
        if (!m.has("memory")) {
            return Units.bytes(DEFAULT_MEMORY);
        }
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

    // ---- VCPUs ----

    /** Reads the VCPU list; {@code refs} receives every well-formed VCPU name with what it refers to. */
    private List<VcpuConfig> vcpus(Node node, Map<String, VcpuRef> refs) {
        SequenceNode list = node == null ? null : ctx.sequence(node, "vcpus", "a list of VCPUs");
        List<VcpuConfig> vcpus = new ArrayList<>();
        if (list == null) {
            return vcpus;
        }
        if (list.getValue().isEmpty()) {
            ctx.error(list, "vcpus", "expected at least one VCPU");
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            VcpuConfig vcpu = vcpu(list.getValue().get(i), "vcpus[" + i + "]", refs);
            if (vcpu != null) {
                vcpus.add(vcpu);
            }
        }
        return vcpus;
    }

    private VcpuConfig vcpu(Node node, String path, Map<String, VcpuRef> refs) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        int errorsBefore = ctx.errorCount();
        String kindText = m.choice("kind", "main", VCPU_KINDS);
        VcpuConfig.Kind kind = kindText == null ? null : VcpuConfig.Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
        checkVcpuFields(m, kind);
        String name = m.requiredName("name");
        Map<String, Location> devices = new LinkedHashMap<>();
        Map<String, Location> classes = new LinkedHashMap<>();
        if (name != null) {
            Location first = refs.containsKey(name) ? refs.get(name).nameAt() : null;
            if (first != null) {
                ctx.error(m.location("name"), "duplicate VCPU name " + Units.quote(name) + " (first given on line " + first.line() + ")");
            } else {
                refs.put(name, new VcpuRef(kind, m.location(), m.location("name"), devices, classes,
                        listsSomething(m, "devices") || listsSomething(m, "classes")));
            }
        }
        Integer core = m.has("core") ? core(m) : Integer.valueOf(-1);
        if (kind == null) {
            return null;
        }
        VcpuConfig vcpu = kind == VcpuConfig.Kind.MAIN ? mainVcpu(m, name, core) : ioVcpu(m, name, core, devices, classes);
        return ctx.errorCount() > errorsBefore ? null : vcpu;
    }

    private static boolean listsSomething(Mapping m, String field) {
        return m.has(field) && !(m.value(field) instanceof SequenceNode list && list.getValue().isEmpty());
    }

    /** A Main VCPU's fields are not an I/O VCPU's and the other way round; anything else is unknown. */
    private static void checkVcpuFields(Mapping m, VcpuConfig.Kind kind) {
        if (kind == null) {
            m.acceptOnly(VCPU_FIELDS);
            return;
        }
        List<String> accepted = kind == VcpuConfig.Kind.MAIN ? MAIN_VCPU_FIELDS : IO_VCPU_FIELDS;
        for (String field : m.fieldNames()) {
            if (accepted.contains(field)) {
                continue;
            }
            if (!VCPU_FIELDS.contains(field)) {
                m.reportUnknown(field, accepted);
            } else if (kind == VcpuConfig.Kind.IO) {
                m.reportAtKey(field, "field " + Units.quote(field) + " is not used by an I/O VCPU; it has a utilisation");
            } else {
                m.reportAtKey(field, "field " + Units.quote(field) + " is not used by a Main VCPU (kind: main); its fields are: "
                        + String.join(", ", accepted));
            }
        }
    }

    private VcpuConfig mainVcpu(Mapping m, String name, Integer core) {
        Long budget = m.requiredPositiveDuration("budget");
        Long period = m.requiredPositiveDuration("period");
        if (budget != null && period != null && budget > period) {
            ctx.error(m.location("budget"), "budget " + m.textOf("budget") + " exceeds period " + m.textOf("period"));
            return null;
        }
        if (anyNull(name, budget, period, core)) {
            return null;
        }
        return new VcpuConfig(name, budget, period, core, m.location());
    }

    private VcpuConfig ioVcpu(Mapping m, String name, Integer core, Map<String, Location> devices,
            Map<String, Location> classes) {
        Node utilisationNode = m.required("utilisation");
        Long ppm = utilisationNode == null ? null : ctx.utilisation(utilisationNode, m.path("utilisation"));
        Long period = m.positiveDuration("period", DEFAULT_IO_PERIOD);
        boolean listsOk = true;
        if (m.has("devices")) {
            listsOk &= nameList(m, "devices", "a list of device names", devices, this::deviceName);
        }
        if (m.has("classes")) {
            listsOk &= nameList(m, "classes", "a list of device types", classes,
                    (item, path) -> ctx.choice(item, path, DeviceReader.TYPES));
        }
        if (!listsOk || anyNull(name, ppm, period, core)) {
            return null;
        }
        return new VcpuConfig(name, VcpuConfig.Kind.IO, 0, period, ppm, List.copyOf(devices.keySet()),
                List.copyOf(classes.keySet()), core, m.location());
    }

    /** Reads a list of names into {@code into} (each with where it is written); false if any problem. */
    private boolean nameList(Mapping m, String field, String what, Map<String, Location> into,
            BiFunction<Node, String, String> item) {
        SequenceNode list = ctx.sequence(m.value(field), m.path(field), what);
        if (list == null) {
            return false;
        }
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            Node node = list.getValue().get(i);
            String path = m.path(field) + "[" + i + "]";
            String value = item.apply(node, path);
            if (value == null) {
                ok = false;
            } else if (into.putIfAbsent(value, ctx.at(node, path)) != null) {
                ctx.error(node, path, Units.quote(value) + " is listed twice");
                ok = false;
            }
        }
        return ok;
    }

    /** A device name that must be one of the machine's devices (when they are known). */
    private String deviceName(Node node, String path) {
        String name = ctx.name(node, path);
        if (name != null && deviceTypes != null && !deviceTypes.containsKey(name)) {
            ctx.error(node, path, unknownDevice(name, deviceTypes));
            return null;
        }
        return name;
    }

    static String unknownDevice(String name, Map<String, String> deviceTypes) {
        return "unknown device " + Units.quote(name) + (deviceTypes.isEmpty() ? ": the machine has no devices"
                : "; devices are: " + String.join(", ", deviceTypes.keySet()));
    }

    // ---- I/O VCPUs and the devices they serve ----

    /**
     * A device is served by one I/O VCPU: naming it in the devices of two is an error, and so is its
     * type in the classes of two unless one of them (or a third) names it explicitly.
     */
    private void checkDeviceClaims(Map<String, VcpuRef> refs) {
        Map<String, String> explicit = new LinkedHashMap<>();
        refs.forEach((vcpu, ref) -> ref.devices().forEach((device, at) -> {
            String first = explicit.putIfAbsent(device, vcpu);
            if (first != null) {
                ctx.error(at, "device " + device + " is already served by I/O VCPU " + first + " (line "
                        + refs.get(first).devices().get(device).line() + "): a device is named by one I/O VCPU at most");
            }
        }));
        if (deviceTypes == null) {
            return;
        }
        // The devices each class conflict concerns, keyed by the I/O VCPUs and the class.
        Map<List<String>, List<String>> conflicts = new LinkedHashMap<>();
        deviceTypes.forEach((device, type) -> {
            if (type == null || explicit.containsKey(device)) {
                return;
            }
            List<String> claimants = new ArrayList<>();
            refs.forEach((vcpu, ref) -> {
                if (ref.classes().containsKey(type)) {
                    claimants.add(vcpu);
                }
            });
            if (claimants.size() > 1) {
                List<String> key = new ArrayList<>(claimants);
                key.add(type);
                conflicts.computeIfAbsent(key, k -> new ArrayList<>()).add(device);
            }
        });
        conflicts.forEach((key, devices) -> {
            List<String> vcpus = key.subList(0, key.size() - 1);
            String type = key.get(key.size() - 1);
            Location at = refs.get(vcpus.get(1)).classes().get(type);
            ctx.error(at, (devices.size() == 1 ? "device " + devices.get(0) + " matches" : "devices "
                    + String.join(", ", devices) + " match") + " the classes of I/O VCPUs " + and(vcpus)
                    + ": name " + (devices.size() == 1 ? "it" : "each") + " in the devices of one of them");
        });
    }

    /** An I/O VCPU with no devices, no classes and no thread naming it as its ioVcpu would never run. */
    private void checkIoVcpusServe(Map<String, VcpuRef> refs, Set<String> namedByThreads) {
        refs.forEach((name, ref) -> {
            if (ref.kind() == VcpuConfig.Kind.IO && !ref.listsGiven() && !namedByThreads.contains(name)) {
                ctx.error(ref.at(), "I/O VCPU " + name + " serves no device: give it devices or classes");
            }
        });
    }

    static String and(List<String> items) {
        if (items.size() < 2) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** The PCPU a VCPU is bound to: 0 to PCPUs - 1 once the machine is known, else just not negative. */
    private Integer core(Mapping m) {
        Long core = ctx.integer(m.value("core"), m.path("core"), Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (core == null) {
            return null;
        }
        Integer pcpus = machine == null ? null : machine.pcpus();
        if (core < 0 || pcpus != null && core >= pcpus) {
            ctx.error(m.location("core"), "core " + core + " does not exist: " + coreRange(pcpus));
            return null;
        }
        return core.intValue();
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
