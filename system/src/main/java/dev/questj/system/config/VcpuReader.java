package dev.questj.system.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a {@code vcpus} list, the top level's (SMP mode) or a sandbox's: Main and I/O VCPUs, checked
 * against the cores and devices of their {@link Scope}; then which I/O VCPU serves which device.
 * Follows {@link ReadContext}'s convention: null means a problem was reported.
 */
final class VcpuReader {
    static final List<String> VCPU_KINDS = List.of("main", "io");
    static final List<String> VCPU_FIELDS =
            List.of("name", "kind", "budget", "period", "utilisation", "devices", "classes", "core");
    static final List<String> MAIN_VCPU_FIELDS = List.of("name", "kind", "budget", "period", "core");
    static final List<String> IO_VCPU_FIELDS = List.of("name", "kind", "utilisation", "period", "devices", "classes", "core");
    static final String DEFAULT_IO_PERIOD = "10ms";

    /**
     * What later parts of the file refer to by name, as far as it could be read: a VCPU's kind (null
     * when unknown) and, for an I/O VCPU, the devices and classes it lists with where each is written
     * ({@code listsGiven}: it lists something, even if that could not be read).
     */
    record VcpuRef(VcpuConfig.Kind kind, Location at, Location nameAt, Map<String, Location> devices,
            Map<String, Location> classes, boolean listsGiven) {}

    private final ReadContext ctx;
    /** PCPUs of the machine, or null while unknown. */
    private final Integer pcpus;
    /** Device name to type (null: unknown); null when which devices exist is unknown (machine broken). */
    private final Map<String, String> deviceTypes;

    VcpuReader(ReadContext ctx, Integer pcpus, Map<String, String> deviceTypes) {
        this.ctx = ctx;
        this.pcpus = pcpus;
        this.deviceTypes = deviceTypes;
    }

    /**
     * Reads the VCPU list of {@code scope}; {@code refs} receives every well-formed VCPU name with what
     * it refers to.
     *
     * @param atLeastOne whether an empty list is an error (the top level's) or allowed (a sandbox's)
     */
    List<VcpuConfig> vcpus(Node node, Scope scope, boolean atLeastOne, Map<String, VcpuRef> refs) {
        String path = scope.path("vcpus");
        SequenceNode list = node == null ? null : ctx.sequence(node, path, "a list of VCPUs");
        List<VcpuConfig> vcpus = new ArrayList<>();
        if (list == null) {
            return vcpus;
        }
        if (list.getValue().isEmpty() && atLeastOne) {
            ctx.error(list, path, "expected at least one VCPU");
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            VcpuConfig vcpu = vcpu(list.getValue().get(i), path + "[" + i + "]", scope, refs);
            if (vcpu != null) {
                vcpus.add(vcpu);
            }
        }
        return vcpus;
    }

    private VcpuConfig vcpu(Node node, String path, Scope scope, Map<String, VcpuRef> refs) {
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
                ctx.error(m.location("name"), "duplicate VCPU name " + Units.quote(name) + " (first given on line "
                        + first.line() + ")" + (scope.isSandbox() ? " in " + scope.label() : ""));
            } else {
                refs.put(name, new VcpuRef(kind, m.location(), m.location("name"), devices, classes,
                        listsSomething(m, "devices") || listsSomething(m, "classes")));
            }
        }
        Integer core = m.has("core") ? core(m, scope) : Integer.valueOf(-1);
        if (kind == null) {
            return null;
        }
        VcpuConfig vcpu = kind == VcpuConfig.Kind.MAIN ? mainVcpu(m, name, core)
                : ioVcpu(m, name, core, scope, devices, classes);
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
        if (ConfigReader.anyNull(name, budget, period, core)) {
            return null;
        }
        return new VcpuConfig(name, budget, period, core, m.location());
    }

    private VcpuConfig ioVcpu(Mapping m, String name, Integer core, Scope scope, Map<String, Location> devices,
            Map<String, Location> classes) {
        Node utilisationNode = m.required("utilisation");
        Long ppm = utilisationNode == null ? null : ctx.utilisation(utilisationNode, m.path("utilisation"));
        Long period = m.positiveDuration("period", DEFAULT_IO_PERIOD);
        boolean listsOk = true;
        if (m.has("devices")) {
            listsOk &= nameList(m, "devices", "a list of device names", devices, (item, path) -> servedDevice(item, path, scope));
        }
        if (m.has("classes")) {
            listsOk &= nameList(m, "classes", "a list of device types", classes,
                    (item, path) -> ctx.choice(item, path, DeviceReader.IO_CLASSES));
        }
        if (!listsOk || ConfigReader.anyNull(name, ppm, period, core)) {
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

    /**
     * A device an I/O VCPU serves: one of the machine's devices (when they are known), of the scope's
     * own, and not a rogue device.
     */
    private String servedDevice(Node node, String path, Scope scope) {
        String name = ctx.name(node, path);
        if (name == null || deviceTypes == null) {
            return name;
        }
        if (!deviceTypes.containsKey(name)) {
            ctx.error(node, path, ConfigReader.unknownDevice(name, deviceTypes));
            return null;
        }
        if (!scope.owns(name)) {
            ctx.error(node, path, scope.notOwnDevice(name));
            return null;
        }
        if (DeviceReader.ROGUE.equals(deviceTypes.get(name))) {
            ctx.error(node, path, "device " + name + " is a rogue device: it takes no requests and needs no I/O VCPU");
            return null;
        }
        return name;
    }

    // ---- I/O VCPUs and the devices they serve ----

    /**
     * A device is served by one I/O VCPU of its scope: naming it in the devices of two is an error, and
     * so is its type in the classes of two unless one of them (or a third) names it explicitly. Only
     * the scope's own devices count (a sandbox's classes match only the sandbox's devices).
     */
    void checkDeviceClaims(Map<String, VcpuRef> refs, Scope scope) {
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
            if (type == null || explicit.containsKey(device) || !scope.owns(device)) {
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
                    + String.join(", ", devices) + " match") + " the classes of I/O VCPUs " + ConfigReader.and(vcpus)
                    + ": name " + (devices.size() == 1 ? "it" : "each") + " in the devices of one of them");
        });
    }

    /** An I/O VCPU with no devices, no classes and no thread naming it as its ioVcpu would never run. */
    void checkIoVcpusServe(Map<String, VcpuRef> refs, Set<String> namedByThreads) {
        refs.forEach((name, ref) -> {
            if (ref.kind() == VcpuConfig.Kind.IO && !ref.listsGiven() && !namedByThreads.contains(name)) {
                ctx.error(ref.at(), "I/O VCPU " + name + " serves no device: give it devices or classes");
            }
        });
    }

    /**
     * The PCPU a VCPU is bound to: 0 to PCPUs - 1 once the machine is known, else just not negative;
     * in a sandbox, one of the sandbox's cores.
     */
    private Integer core(Mapping m, Scope scope) {
        Long core = ctx.integer(m.value("core"), m.path("core"), Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (core == null) {
            return null;
        }
        if (core < 0 || pcpus != null && core >= pcpus) {
            ctx.error(m.location("core"), "core " + core + " does not exist: " + ConfigReader.coreRange(pcpus));
            return null;
        }
        if (!scope.hasCore(core.intValue())) {
            ctx.error(m.location("core"), scope.notOwnCore(core.intValue()));
            return null;
        }
        return core.intValue();
    }
}
