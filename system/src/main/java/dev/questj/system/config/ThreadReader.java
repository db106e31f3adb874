package dev.questj.system.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code threads} lists, the top level's (SMP mode) or each sandbox's: each thread's name, VCPU
 * and task model, with the fields its model accepts. Thread names are unique across the system, and
 * so is each NIC port's receiver; VCPUs and devices are those of the list's {@link Scope}. Follows
 * {@link ReadContext}'s convention: null means a problem was reported.
 */
final class ThreadReader {
    static final List<String> COMMON_FIELDS = List.of("name", "vcpu", "model", "ioVcpu", "restartable");
    /** A process of a linux sandbox: no VCPU, a nice value ({@code vcpu} and {@code ioVcpu} are refused with their own message). */
    static final List<String> LINUX_FIELDS = List.of("name", "vcpu", "model", "ioVcpu", "nice", "restartable");
    /** Models a linux process cannot have: they need a device served by an I/O VCPU. */
    static final List<String> NOT_LINUX_MODELS = List.of("io-bound", "network-receiver");
    /** Each model's own fields, in the order the reference and {@link Explain} list them. */
    static final Map<String, List<String>> MODEL_FIELDS = modelFields();
    static final List<String> MODELS = List.copyOf(MODEL_FIELDS.keySet());

    private static Map<String, List<String>> modelFields() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("periodic", List.of("period", "deadline", "exec", "offset"));
        fields.put("sporadic", List.of("minInterarrival", "maxExtra", "deadline", "exec", "offset"));
        fields.put("cpu-hog", List.of());
        fields.put("best-effort", List.of("exec"));
        fields.put("program", List.of("class", "period", "args"));
        fields.put("io-bound", List.of("device", "request", "size", "exec", "period", "deadline"));
        fields.put("network-receiver", List.of("device", "port", "exec", "deadline"));
        fields.put("producer", List.of("channel", "size", "exec", "period"));
        fields.put("consumer", List.of("channel", "exec"));
        fields.put("wild-writer", List.of("rate", "privilege", "targets"));
        return Collections.unmodifiableMap(fields);
    }

    static final String DEFAULT_BEST_EFFORT_EXEC = "1ms";
    static final String DEFAULT_REQUEST = "read";
    static final String DEFAULT_IO_SIZE = "64B";
    static final String DEFAULT_MESSAGE_SIZE = "64B";
    /** The bytes a ring channel's slot carries (a 256-byte slot less its header). */
    static final long RING_SLOT_BYTES = 240;
    /** The largest message of a four-slot channel. */
    static final long FOUR_SLOT_BYTES = 4096;
    static final List<String> PRIVILEGES = List.of("user", "kernel");
    static final List<String> TARGETS = List.of("own", "other-sandboxes", "monitor", "ept", "kernel-text");
    /** A wild writer's default targets: everything but its own memory. */
    static final List<String> DEFAULT_TARGETS = TARGETS.subList(1, TARGETS.size());
    static final String EXEC_FORMS =
            "a duration (such as 800us), {uniform: [min, max]} or {normal: {mean, sd, min, max}}";

    private final ReadContext ctx;
    /** Device name to type (null: unknown); null when which devices exist is unknown. */
    private final Map<String, String> deviceTypes;
    /** The channels by name, as far as they could be read; null when which channels exist is unknown. */
    private final Map<String, SandboxReader.ChannelRef> channels;
    /** Every thread name of the system, with where it is written. */
    private final Map<String, Location> threadNames = new LinkedHashMap<>();
    /** The list being read: its scope, and its VCPUs (null while unknown) with their kinds and what they serve. */
    private Scope scope = Scope.SMP;
    private Map<String, VcpuReader.VcpuRef> vcpus;
    /** Every I/O VCPU some thread of the list being read names as its ioVcpu. */
    private Set<String> namedIoVcpus = new LinkedHashSet<>();
    /** "device:port" to the thread receiving on it and where that port is written. */
    private final Map<String, Location> receivers = new LinkedHashMap<>();
    private final Map<String, String> receiverThreads = new LinkedHashMap<>();
    /** Reading a linux sandbox's processes: their nice values by name (else null). */
    private Map<String, Integer> nices;

    ThreadReader(ReadContext ctx, Map<String, String> deviceTypes, Map<String, SandboxReader.ChannelRef> channels) {
        this.ctx = ctx;
        this.deviceTypes = deviceTypes;
        this.channels = channels;
    }

    /** The I/O VCPUs named by some thread's ioVcpu in the list {@link #threads} read last. */
    Set<String> namedIoVcpus() {
        return namedIoVcpus;
    }

    /**
     * Reads the threads of {@code listScope}.
     *
     * @param listVcpus  the scope's well-formed VCPU names, in file order; null when they are unknown
     *                   (then what a thread names is not checked)
     * @param atLeastOne whether an empty list is an error (the top level's) or allowed (a sandbox's)
     */
    /**
     * Reads the processes of linux sandbox {@code listScope}: threads without a VCPU (their {@code vcpu} is
     * null) with an optional {@code nice}, which goes into {@code niceOut} by thread name.
     */
    List<ThreadConfig> linuxProcesses(Node node, Scope listScope, Map<String, Integer> niceOut) {
        nices = niceOut;
        try {
            return threads(node, listScope, null, false);
        } finally {
            nices = null;
        }
    }

    List<ThreadConfig> threads(Node node, Scope listScope, Map<String, VcpuReader.VcpuRef> listVcpus, boolean atLeastOne) {
        scope = listScope;
        vcpus = listVcpus;
        namedIoVcpus = new LinkedHashSet<>();
        String path = scope.path("threads");
        SequenceNode list = node == null ? null : ctx.sequence(node, path, "a list of threads");
        List<ThreadConfig> threads = new ArrayList<>();
        if (list == null) {
            return threads;
        }
        if (list.getValue().isEmpty() && atLeastOne) {
            ctx.error(list, path, "expected at least one thread");
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            ThreadConfig thread = thread(list.getValue().get(i), path + "[" + i + "]");
            if (thread != null) {
                threads.add(thread);
            }
        }
        return threads;
    }

    private ThreadConfig thread(Node node, String path) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        int errorsBefore = ctx.errorCount();
        String name = m.requiredName("name");
        if (name != null) {
            checkUnique(name, m.location("name"));
        }
        boolean linux = nices != null;
        String vcpu = linux ? null : vcpuReference(m, name);
        String ioVcpu = !linux && m.has("ioVcpu") ? ioVcpuReference(m) : null;
        if (linux) {
            for (String field : List.of("vcpu", "ioVcpu")) {
                if (m.has(field)) {
                    m.reportAtKey(field, "field " + Units.quote(field) + " is not used in a linux sandbox: its processes have no"
                            + " VCPUs; the fair scheduler runs them on " + scope.label() + "'s cores");
                }
            }
            Long nice = m.integer("nice", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (nice != null && (nice < -20 || nice > 19)) {
                ctx.error(m.location("nice"), "nice " + nice + " is outside Linux's range, -20 (most CPU) to 19 (least)");
            } else if (nice != null && name != null) {
                nices.put(name, nice.intValue());
            }
        }
        Node modelNode = m.required("model");
        String model = modelNode == null ? null : ctx.choice(modelNode, m.path("model"), MODELS);
        if (linux && model != null && NOT_LINUX_MODELS.contains(model)) {
            ctx.error(modelNode, m.path("model"), "model " + model + " needs a device served by an I/O VCPU; a linux"
                    + " sandbox has neither (give the device to a Quest sandbox and talk to it over a channel)");
            model = null;
        }
        m.acceptVariant(linux ? LINUX_FIELDS : COMMON_FIELDS, MODEL_FIELDS, model, "model " + model);
        TaskModel task = model == null ? null : model(m, model, name);
        if (ctx.errorCount() > errorsBefore) {
            return null;
        }
        Boolean restartable = m.bool("restartable", true);
        if (restartable == null) {
            return null;
        }
        return new ThreadConfig(name, vcpu, task, ioVcpu, m.location(), restartable);
    }

    private void checkUnique(String name, Location at) {
        Location first = threadNames.putIfAbsent(name, at);
        if (first != null) {
            ctx.error(at, "duplicate thread name " + Units.quote(name) + " (first given on line " + first.line() + ")");
        }
    }

    /** The VCPU a thread runs on: one of the VCPUs, and a Main VCPU. */
    private String vcpuReference(Mapping m, String thread) {
        Node node = m.required("vcpu");
        String vcpu = node == null ? null : ctx.name(node, m.path("vcpu"));
        if (vcpu == null || vcpus == null) {
            return vcpu;
        }
        VcpuReader.VcpuRef ref = vcpus.get(vcpu);
        if (ref == null) {
            ctx.error(node, m.path("vcpu"), "unknown VCPU " + Units.quote(vcpu) + "; " + (!scope.isSandbox()
                    ? "VCPUs are: " + String.join(", ", vcpus.keySet())
                    : vcpus.isEmpty() ? scope.label() + " has no VCPUs"
                    : scope.label() + "'s VCPUs are: " + String.join(", ", vcpus.keySet())));
            return null;
        }
        if (ref.kind() == VcpuConfig.Kind.IO) {
            ctx.error(node, m.path("vcpu"), (thread == null ? "this thread" : "thread " + thread) + " runs on I/O VCPU " + vcpu
                    + "; threads run on Main VCPUs");
            return null;
        }
        return vcpu;
    }

    /** The I/O VCPU that serves a thread's I/O: one of the VCPUs, of kind io. */
    private String ioVcpuReference(Mapping m) {
        Node node = m.value("ioVcpu");
        String io = ctx.name(node, m.path("ioVcpu"));
        if (io == null || vcpus == null) {
            return io;
        }
        VcpuReader.VcpuRef ref = vcpus.get(io);
        if (ref != null && ref.kind() == VcpuConfig.Kind.IO) {
            namedIoVcpus.add(io);
            return io;
        }
        if (ref == null || ref.kind() == VcpuConfig.Kind.MAIN) {
            List<String> ios = vcpus.entrySet().stream().filter(e -> e.getValue().kind() == VcpuConfig.Kind.IO)
                    .map(Map.Entry::getKey).toList();
            String which = (ios.isEmpty() ? "there are none" : "I/O VCPUs are: " + String.join(", ", ios))
                    + (scope.isSandbox() ? " in " + scope.label() : "");
            ctx.error(node, m.path("ioVcpu"), (ref == null ? "unknown VCPU " + Units.quote(io) : io + " is a Main VCPU")
                    + "; ioVcpu names an I/O VCPU (kind: io): " + which);
        }
        return null;
    }

    // ---- task models ----

    private TaskModel model(Mapping m, String model, String thread) {
        return switch (model) {
            case "periodic" -> periodic(m);
            case "sporadic" -> sporadic(m);
            case "cpu-hog" -> new TaskModel.CpuHog();
            case "best-effort" -> bestEffort(m);
            case "program" -> program(m);
            case "io-bound" -> ioBound(m, thread);
            case "network-receiver" -> networkReceiver(m, thread);
            case "producer" -> producer(m);
            case "consumer" -> consumer(m);
            case "wild-writer" -> wildWriter(m);
            default -> throw new IllegalStateException("model not in MODEL_FIELDS: " + model);
        };
    }

    private TaskModel periodic(Mapping m) {
        Long period = m.requiredPositiveDuration("period");
        Long deadline = deadline(m, period);
        ExecTime exec = requiredExec(m);
        Long offset = m.duration("offset", "0 cycles");
        if (ConfigReader.anyNull(period, deadline, exec, offset)) {
            return null;
        }
        return new TaskModel.Periodic(period, deadline, exec, offset);
    }

    private TaskModel sporadic(Mapping m) {
        Long minInterarrival = m.requiredPositiveDuration("minInterarrival");
        Long maxExtra = m.duration("maxExtra", "0 cycles");
        Long deadline = deadline(m, minInterarrival);
        ExecTime exec = requiredExec(m);
        Long offset = m.duration("offset", "0 cycles");
        if (ConfigReader.anyNull(minInterarrival, maxExtra, deadline, exec, offset)) {
            return null;
        }
        return new TaskModel.Sporadic(minInterarrival, maxExtra, deadline, exec, offset);
    }

    /** The deadline as given, else {@code byDefault} (the period or minimum inter-arrival time). */
    private Long deadline(Mapping m, Long byDefault) {
        return m.has("deadline") ? ctx.duration(m.value("deadline"), m.path("deadline"), true) : byDefault;
    }

    private TaskModel bestEffort(Mapping m) {
        ExecTime exec = m.has("exec") ? exec(m.value("exec"), m.path("exec"))
                : new ExecTime.Constant(Units.cycles(DEFAULT_BEST_EFFORT_EXEC, ctx.frequencyHz()));
        return exec == null ? null : new TaskModel.BestEffort(exec);
    }

    private TaskModel program(Mapping m) {
        Node classNode = m.required("class");
        String className = classNode == null ? null : className(classNode, m.path("class"));
        Long period = m.duration("period", "0 cycles");
        Map<String, String> args = m.has("args") ? args(m.value("args"), m.path("args")) : Map.of();
        if (ConfigReader.anyNull(className, period, args)) {
            return null;
        }
        return new TaskModel.Program(className, period, args);
    }

    private String className(Node node, String path) {
        String text = ctx.text(node, path, "a Java class name");
        if (text != null && !isQualifiedIdentifier(text)) {
            ctx.error(node, path, "expected a Java class name such as com.example.Estimator, got " + Units.quote(text));
            return null;
        }
        return text;
    }

    static boolean isQualifiedIdentifier(String text) {
        for (String part : text.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))
                    || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
                return false;
            }
        }
        return true;
    }

    /** String keys to scalar values, kept as written (an empty value is the empty string), in file order. */
    private Map<String, String> args(Node node, String path) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        Map<String, String> args = new LinkedHashMap<>();
        boolean ok = true;
        for (String key : m.fieldNames()) {
            if (m.value(key) instanceof ScalarNode s) {
                args.put(key, ReadContext.isEmpty(s) ? "" : s.getValue());
            } else {
                ctx.error(m.value(key), m.path(key), "expected a single value, got " + ReadContext.describe(m.value(key)));
                ok = false;
            }
        }
        return ok ? args : null;
    }

    private TaskModel ioBound(Mapping m, String thread) {
        String device = deviceReference(m, thread, null);
        String request = m.choice("request", DEFAULT_REQUEST, DeviceReader.REQUESTS);
        checkRequest(m, device, request);
        Long size = m.positiveSize("size", DEFAULT_IO_SIZE);
        ExecTime exec = requiredExec(m);
        Long period = m.duration("period", "0 cycles");
        Long deadline = m.has("deadline") ? ctx.duration(m.value("deadline"), m.path("deadline"), false) : period;
        if (ConfigReader.anyNull(device, request, size, exec, period, deadline)) {
            return null;
        }
        return new TaskModel.IoBound(device, request, size, exec, period, deadline);
    }

    /** The request must be one the device's type takes. */
    private void checkRequest(Mapping m, String device, String request) {
        String type = device == null || deviceTypes == null ? null : deviceTypes.get(device);
        if (type == null || request == null) {
            return;
        }
        List<String> takes = DeviceReader.REQUESTS_BY_TYPE.get(type);
        if (takes.isEmpty()) {
            ctx.error(m.location("device"), "device " + device + " is a rogue device: it takes no requests");
        } else if (!takes.contains(request)) {
            boolean given = m.has("request");
            ctx.error(m.location(given ? "request" : "device"), "device " + device + " (" + type + ") cannot " + request
                    + (given ? "" : " (the default request)") + "; " + article(type) + " " + type + " takes request: "
                    + String.join(" or ", takes));
        }
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private TaskModel networkReceiver(Mapping m, String thread) {
        String device = deviceReference(m, thread, "nic");
        Long port = m.requiredInteger("port", 0, DeviceReader.MAX_PORT);
        if (device != null && port != null && thread != null) {
            String key = device + ":" + port;
            Location first = receivers.putIfAbsent(key, m.location("port"));
            if (first != null) {
                ctx.error(m.location("port"), "port " + port + " of " + device + " is already received by thread "
                        + receiverThreads.get(key) + " (line " + first.line() + "); a port has one receiver");
            } else {
                receiverThreads.put(key, thread);
            }
        }
        ExecTime exec = requiredExec(m);
        Long deadline = m.duration("deadline", "0 cycles");
        if (ConfigReader.anyNull(device, port, exec, deadline)) {
            return null;
        }
        return new TaskModel.NetworkReceiver(device, port.intValue(), exec, deadline);
    }

    /**
     * The device an I/O model uses: one of the machine's, of type {@code nicOnly} when that is not null,
     * and served by an I/O VCPU: the thread's own ioVcpu (if given), else one naming the device or its type.
     */
    private String deviceReference(Mapping m, String thread, String nicOnly) {
        Node node = m.required("device");
        String device = node == null ? null : ctx.name(node, m.path("device"));
        if (device == null || deviceTypes == null) {
            return device;
        }
        if (!deviceTypes.containsKey(device)) {
            ctx.error(node, m.path("device"), ConfigReader.unknownDevice(device, deviceTypes));
            return null;
        }
        if (!scope.owns(device)) {
            ctx.error(node, m.path("device"), scope.notOwnDevice(device));
            return null;
        }
        String type = deviceTypes.get(device);
        if (type != null && nicOnly != null && !type.equals(nicOnly)) {
            ctx.error(node, m.path("device"), "device " + device + " is "
                    + (type.equals(DeviceReader.ROGUE) ? "a rogue device" : article(type) + " " + type)
                    + "; network-receiver receives from a nic");
            return null;
        }
        if (!m.has("ioVcpu") && type != null && !type.equals(DeviceReader.ROGUE) && !served(device, type)) {
            ctx.error(node, m.path("device"), "no I/O VCPU serves device " + device + " for "
                    + (thread == null ? "this thread" : "thread " + thread) + ": add devices: [" + device + "] or classes: ["
                    + type + "] to an I/O VCPU, or give the thread an ioVcpu");
        }
        return device;
    }

    private boolean served(String device, String type) {
        return vcpus == null || vcpus.values().stream().anyMatch(v -> v.devices().containsKey(device) || v.classes().containsKey(type));
    }

    // ---- Quest-V models: channels and attacks ----

    /** Sends messages of {@code size} on a channel its sandbox can send on; the size must fit the channel's slot. */
    private TaskModel producer(Mapping m) {
        SandboxReader.ChannelRef channel = channelReference(m, true);
        String name = channel == null ? null : m.textOf("channel");
        Long size = m.positiveSize("size", DEFAULT_MESSAGE_SIZE);
        if (size != null && channel != null && channel.kind() != null) {
            boolean ring = channel.kind() == ChannelConfig.Kind.RING;
            long slot = ring ? RING_SLOT_BYTES : FOUR_SLOT_BYTES;
            if (size > slot) {
                ctx.error(m.has("size") ? m.location("size") : m.location("channel"), "a message of "
                        + (m.has("size") ? m.textOf("size").strip() : Units.size(size) + " (the default size)")
                        + " does not fit " + (ring ? "a ring slot of " : "a four-slot channel's slot of ")
                        + Units.size(slot));
                size = null;
            }
        }
        ExecTime exec = requiredExec(m);
        Long period = m.requiredPositiveDuration("period");
        if (ConfigReader.anyNull(name, size, exec, period)) {
            return null;
        }
        return new TaskModel.Producer(name, size, exec, period);
    }

    private TaskModel consumer(Mapping m) {
        SandboxReader.ChannelRef channel = channelReference(m, false);
        String name = channel == null ? null : m.textOf("channel");
        ExecTime exec = requiredExec(m);
        if (ConfigReader.anyNull(name, exec)) {
            return null;
        }
        return new TaskModel.Consumer(name, exec);
    }

    /**
     * The channel a producer ({@code send}) or consumer uses: one of the channels, with the thread's
     * sandbox at the end that sends (from, or either end of a two-way channel) or receives (to, or
     * either end). Null after a problem; a stand-in reference with nothing known while the channels are.
     */
    private SandboxReader.ChannelRef channelReference(Mapping m, boolean send) {
        Node node = m.required("channel");
        String name = node == null ? null : ctx.name(node, m.path("channel"));
        if (name == null) {
            return null;
        }
        if (channels == null) {
            return SandboxReader.ChannelRef.UNKNOWN;
        }
        SandboxReader.ChannelRef ref = channels.get(name);
        if (ref == null) {
            ctx.error(node, m.path("channel"), "unknown channel " + Units.quote(name) + "; " + (channels.isEmpty()
                    ? "there are no channels" + (scope.isSandbox() ? "" : " (they join sandboxes: Quest-V mode)")
                    : "channels are: " + String.join(", ", channels.keySet())));
            return null;
        }
        String sandbox = scope.sandbox();
        if (sandbox == null || ref.from() == null || ref.to() == null || ref.bidirectional() == null) {
            return ref;
        }
        String verb = send ? "send" : "receive";
        if (ref.bidirectional()) {
            if (!sandbox.equals(ref.from()) && !sandbox.equals(ref.to())) {
                ctx.error(node, m.path("channel"), "sandbox " + sandbox + " cannot " + verb + " on channel " + name
                        + ", which joins sandboxes " + ref.from() + " and " + ref.to());
                return null;
            }
        } else if (!sandbox.equals(send ? ref.from() : ref.to())) {
            ctx.error(node, m.path("channel"), "sandbox " + sandbox + " cannot " + verb + " on channel " + name
                    + ", which goes one way from " + ref.from() + " to " + ref.to());
            return null;
        }
        return ref;
    }

    private TaskModel wildWriter(Mapping m) {
        Node rateNode = m.required("rate");
        BigDecimal rate = rateNode == null ? null : ctx.rate(rateNode, m.path("rate"));
        String privilege = m.choice("privilege", "user", PRIVILEGES);
        List<String> targets = m.has("targets") ? targets(m) : DEFAULT_TARGETS;
        if (ConfigReader.anyNull(rate, privilege, targets)) {
            return null;
        }
        return new TaskModel.WildWriter(rate.doubleValue(), privilege.equals("kernel"), targets);
    }

    /** A non-empty list of distinct targets, in the order written. */
    private List<String> targets(Mapping m) {
        SequenceNode list = ctx.sequence(m.value("targets"), m.path("targets"),
                "a list of targets (" + String.join(", ", TARGETS) + ")");
        if (list == null) {
            return null;
        }
        if (list.getValue().isEmpty()) {
            ctx.error(list, m.path("targets"), "expected at least one target: " + String.join(", ", TARGETS));
            return null;
        }
        List<String> targets = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String path = m.path("targets") + "[" + i + "]";
            String target = ctx.choice(item, path, TARGETS);
            if (target == null) {
                ok = false;
            } else if (targets.contains(target)) {
                ctx.error(item, path, Units.quote(target) + " is listed twice");
                ok = false;
            } else {
                targets.add(target);
            }
        }
        return ok ? targets : null;
    }

    // ---- execution times ----

    private ExecTime requiredExec(Mapping m) {
        Node node = m.required("exec");
        return node == null ? null : exec(node, m.path("exec"));
    }

    private ExecTime exec(Node node, String path) {
        if (node instanceof ScalarNode) {
            Long cycles = ctx.duration(node, path, true);
            return cycles == null ? null : new ExecTime.Constant(cycles);
        }
        Mapping m = node instanceof SequenceNode ? null : Mapping.of(ctx, node, path);
        if (m == null || m.fieldNames().size() != 1) {
            ctx.error(node, path, "expected " + EXEC_FORMS + ", got " + ReadContext.describe(node));
            return null;
        }
        m.acceptOnly(List.of("uniform", "normal"));
        if (m.has("uniform")) {
            return uniform(m.value("uniform"), m.path("uniform"));
        }
        return m.has("normal") ? normal(m.value("normal"), m.path("normal")) : null;
    }

    private ExecTime uniform(Node node, String path) {
        if (!(node instanceof SequenceNode seq) || seq.getValue().size() != 2) {
            ctx.error(node, path, "expected a list of two durations [min, max], got " + describeList(node));
            return null;
        }
        Node minNode = seq.getValue().get(0);
        Node maxNode = seq.getValue().get(1);
        Long min = ctx.duration(minNode, path + "[0]", true);
        Long max = ctx.duration(maxNode, path + "[1]", true);
        if (min == null || max == null) {
            return null;
        }
        if (min > max) {
            ctx.error(node, path, "min " + text(minNode) + " exceeds max " + text(maxNode));
            return null;
        }
        return new ExecTime.Uniform(min, max);
    }

    private static String describeList(Node node) {
        return node instanceof SequenceNode seq ? "a list of " + seq.getValue().size() : ReadContext.describe(node);
    }

    private ExecTime normal(Node node, String path) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        m.acceptOnly(List.of("mean", "sd", "min", "max"));
        Long mean = m.requiredPositiveDuration("mean");
        Node sdNode = m.required("sd");
        Long sd = sdNode == null ? null : ctx.duration(sdNode, m.path("sd"), false);
        Long min = m.positiveDuration("min", "1 cycle");
        Long max = m.has("max") ? ctx.duration(m.value("max"), m.path("max"), true) : defaultMax(mean, sd);
        if (ConfigReader.anyNull(mean, sd, min, max)) {
            return null;
        }
        return checkNormalBounds(m, mean, min, max) ? new ExecTime.Normal(mean, sd, min, max) : null;
    }

    /** mean + 4 sd, saturating at the largest long. */
    private static Long defaultMax(Long mean, Long sd) {
        if (mean == null || sd == null) {
            return null;
        }
        return sd > (Long.MAX_VALUE - mean) / 4 ? Long.MAX_VALUE : mean + 4 * sd;
    }

    private boolean checkNormalBounds(Mapping m, long mean, long min, long max) {
        String shownMin = m.has("min") ? m.textOf("min") : Units.duration(min, ctx.frequencyHz());
        String shownMax = m.has("max") ? m.textOf("max") : Units.duration(max, ctx.frequencyHz()) + " (mean + 4 sd)";
        if (min > mean) {
            ctx.error(m.location(m.has("min") ? "min" : "mean"), "min " + shownMin + " exceeds mean " + m.textOf("mean"));
            return false;
        }
        if (mean > max) {
            ctx.error(m.location(m.has("max") ? "max" : "mean"), "mean " + m.textOf("mean") + " exceeds max " + shownMax);
            return false;
        }
        return true;
    }

    private static String text(Node node) {
        return ((ScalarNode) node).getValue();
    }
}
