package dev.questj.system.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the Quest-V part of a description: {@code protection}, {@code monitors}, {@code sandboxes}
 * (each with its cores, memory, devices, VCPUs and threads) and the {@code channels} between them,
 * then checks what concerns them all: no PCPU or device in two sandboxes, the memory they need, and
 * static channels when the monitors are removed.
 *
 * <p>Sandboxes are read in two passes: first what channels and other sandboxes refer to (names,
 * cores, memory, devices), then, once the channels are known, each sandbox's VCPUs and threads
 * (producers and consumers name channels). Follows {@link ReadContext}'s convention: null means a
 * problem was reported.
 */
final class SandboxReader {
    static final List<String> SANDBOX_FIELDS =
            List.of("name", "label", "kind", "cores", "memory", "devices", "vcpus", "threads", "recovery", "watchdog");
    static final List<String> SANDBOX_KINDS = List.of("quest", "linux");
    static final List<String> CHANNEL_FIELDS =
            List.of("name", "from", "to", "kind", "direction", "size", "latency", "doorbell", "poll", "static", "host");
    /** The one host endpoint form: a Unix domain socket path. */
    static final String HOST_UNIX = "unix:";
    static final List<String> CHANNEL_KINDS = List.of("ring", "four-slot");
    static final List<String> DIRECTIONS = List.of("one-way", "both");
    static final List<String> PROTECTION_FIELDS = List.of("ept", "iommu", "interruptRemapping");
    static final List<String> PROTECTION_FORMS = List.of("full", "mmu");
    static final List<String> MONITORS_FIELDS = List.of("afterBoot");
    static final List<String> AFTER_BOOT = List.of("keep", "remove");
    static final String DEFAULT_CHANNEL_SIZE = "4KiB";
    static final long CHANNEL_PAGE = 4 * Units.KIB;
    static final long MAX_CHANNEL_SIZE = Units.MIB;
    static final String DEFAULT_CHANNEL_LATENCY = "1us";
    static final String DEFAULT_POLL = "1ms";
    /** Host-physical memory each sandbox's monitor takes besides the sandbox's own: its code, data and EPT tables. */
    static final long MONITOR_MEMORY = 2 * Units.MIB;

    /**
     * What a thread's {@code channel} may name, as far as it could be read (null: unknown): its ends,
     * kind, direction and whether it is static.
     */
    record ChannelRef(String from, String to, ChannelConfig.Kind kind, Boolean bidirectional, Boolean isStatic) {
        static final ChannelRef UNKNOWN = new ChannelRef(null, null, null, null, null);
    }

    /** A sandbox as far as the first pass read it; a null value is unknown (a problem was reported). */
    private record Head(Mapping m, String name, String label, List<Integer> cores, Long memory, Set<String> devices,
            boolean linux) {}

    /** Which sandbox holds a PCPU or a device, and where it says so. */
    private record Owner(String label, Location at) {}

    private final ReadContext ctx;
    /** PCPUs of the machine, or null while unknown. */
    private final Integer pcpus;
    /** The machine's memory, or null while unknown. */
    private final Long machineMemory;
    /** Device name to type and to the PCPU its interrupts reach (null: unknown); null when which devices exist is unknown. */
    private final Map<String, String> deviceTypes;
    private final Map<String, Integer> deviceIrqs;

    SandboxReader(ReadContext ctx, Integer pcpus, Long machineMemory, Map<String, String> deviceTypes,
            Map<String, Integer> deviceIrqs) {
        this.ctx = ctx;
        this.pcpus = pcpus;
        this.machineMemory = machineMemory;
        this.deviceTypes = deviceTypes;
        this.deviceIrqs = deviceIrqs;
    }

    /** Reads the Quest-V sections of {@code top} (which has {@code sandboxes}); {@code vmExit} as read from the overheads. */
    QuestVConfig questV(Mapping top, Long vmExit) {
        ProtectionConfig protection = top.has("protection") ? protection(top.value("protection")) : ProtectionConfig.FULL;
        Mapping monitorsMapping = top.has("monitors") ? Mapping.of(ctx, top.value("monitors"), "monitors") : null;
        Boolean remove = monitorsMapping == null ? (top.has("monitors") ? null : Boolean.FALSE) : removeAfterBoot(monitorsMapping);

        Node sandboxesNode = top.value("sandboxes");
        List<Head> heads = heads(sandboxesNode);
        Set<String> sandboxNames = heads == null ? null : new LinkedHashSet<>();
        Set<String> linuxNames = new LinkedHashSet<>();
        if (heads != null) {
            heads.stream().filter(h -> h != null && h.name() != null).forEach(h -> sandboxNames.add(h.name()));
            heads.stream().filter(h -> h != null && h.name() != null && h.linux()).forEach(h -> linuxNames.add(h.name()));
        }

        Map<String, ChannelRef> channelRefs = new LinkedHashMap<>();
        List<Long> channelMemory = new ArrayList<>();
        List<ChannelConfig> channels = List.of();
        if (top.has("channels")) {
            channels = channels(top.value("channels"), sandboxNames, linuxNames, channelRefs, channelMemory);
            if (channels == null) {
                channelRefs = null;
                channelMemory = null;
            }
        }

        VcpuReader vcpuReader = new VcpuReader(ctx, pcpus, deviceTypes);
        ThreadReader threadReader = new ThreadReader(ctx, deviceTypes, channelRefs);
        List<SandboxConfig> sandboxes = new ArrayList<>();
        if (heads != null) {
            for (Head head : heads) {
                SandboxConfig sandbox = head == null ? null : body(head, vcpuReader, threadReader);
                if (sandbox != null) {
                    sandboxes.add(sandbox);
                }
            }
            checkMemory(sandboxesNode, heads, channelMemory);
        }
        if (Boolean.TRUE.equals(remove) && channelRefs != null) {
            checkStatic(monitorsMapping.location("afterBoot"), channelRefs);
        }
        for (SandboxConfig s : sandboxes) {
            long tenExits = vmExit == null ? 0 : vmExit > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : 10 * vmExit;
            if (s.watchdog() != null && s.watchdog().timeoutCycles() < tenExits) {
                ctx.error(s.watchdog().location(), "the watchdog's timeout (" + s.watchdog().timeoutCycles() + " cycles) must be at"
                        + " least 10 VM exits (" + tenExits + " cycles): each look is one exit, charged to the sandbox's"
                        + " first PCPU and not counted by admission");
            }
        }
        if (Boolean.TRUE.equals(remove)) {
            for (SandboxConfig s : sandboxes) {
                if (s.watchdog() != null) {
                    ctx.error(s.watchdog().location(), "a watchdog needs its monitor, but monitors: {afterBoot: remove} removes them");
                }
            }
        }
        MilsConfig mils = new MilsReader(ctx).read(top,
                heads == null ? null : heads.stream().map(h -> h == null ? null : new MilsReader.SandboxEntry(h.name(), h.m())).toList(),
                channels, channelRefs == null ? null : channelRefs.keySet(), remove,
                monitorsMapping != null && monitorsMapping.has("afterBoot") ? monitorsMapping.location("afterBoot") : null);
        if (ConfigReader.anyNull(protection, remove, vmExit, channels, mils) || ctx.hasErrors()) {
            return null;
        }
        return new QuestVConfig(sandboxes, channels, protection, new MonitorsConfig(remove), vmExit, mils, List.of());
    }

    // ---- protection, monitors ----

    /** {@code full}, {@code mmu}, or a mapping of the three protections, each true by default. */
    private ProtectionConfig protection(Node node) {
        String expected = "expected full, mmu or a mapping {ept, iommu, interruptRemapping}";
        if (node instanceof ScalarNode s && !ReadContext.isEmpty(s)) {
            return switch (s.getValue()) {
                case "full" -> ProtectionConfig.FULL;
                case "mmu" -> ProtectionConfig.MMU_ONLY;
                default -> {
                    ctx.error(node, "protection", expected + ", got " + Units.quote(s.getValue()));
                    yield null;
                }
            };
        }
        if (!(node instanceof MappingNode)) {
            ctx.error(node, "protection", expected + ", got " + ReadContext.describe(node));
            return null;
        }
        Mapping m = Mapping.of(ctx, node, "protection");
        m.acceptOnly(PROTECTION_FIELDS);
        Boolean ept = m.bool("ept", true);
        Boolean iommu = m.bool("iommu", true);
        Boolean remapping = m.bool("interruptRemapping", true);
        if (ConfigReader.anyNull(ept, iommu, remapping)) {
            return null;
        }
        return new ProtectionConfig(ept, iommu, remapping);
    }

    private Boolean removeAfterBoot(Mapping m) {
        m.acceptOnly(MONITORS_FIELDS);
        String afterBoot = m.choice("afterBoot", "keep", AFTER_BOOT);
        return afterBoot == null ? null : afterBoot.equals("remove");
    }

    /** Without monitors nothing can change a channel after boot: every channel must be static. */
    private void checkStatic(Location at, Map<String, ChannelRef> channels) {
        List<String> dynamic = channels.entrySet().stream().filter(e -> Boolean.FALSE.equals(e.getValue().isStatic()))
                .map(Map.Entry::getKey).toList();
        if (!dynamic.isEmpty()) {
            ctx.error(at, "monitors can be removed only when every channel is static: "
                    + (dynamic.size() == 1 ? "channel " + dynamic.get(0) + " is not" : "channels " + ConfigReader.and(dynamic) + " are not"));
        }
    }

    // ---- sandboxes, first pass: names, cores, memory, devices ----

    /** The sandboxes' heads, in file order (null where one is not a mapping); null when the list is not a list. */
    private List<Head> heads(Node node) {
        SequenceNode list = ctx.sequence(node, "sandboxes", "a list of sandboxes");
        if (list == null) {
            return null;
        }
        if (list.getValue().isEmpty()) {
            ctx.error(list, "sandboxes", "expected at least one sandbox (leave sandboxes out for SMP mode)");
        }
        Map<String, Location> names = new LinkedHashMap<>();
        Map<Integer, Owner> coreOwners = new LinkedHashMap<>();
        Map<String, Owner> deviceOwners = new LinkedHashMap<>();
        List<Head> heads = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            heads.add(head(list.getValue().get(i), "sandboxes[" + i + "]", names, coreOwners, deviceOwners));
        }
        return heads;
    }

    private Head head(Node node, String path, Map<String, Location> names, Map<Integer, Owner> coreOwners,
            Map<String, Owner> deviceOwners) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        m.acceptOnly(SANDBOX_FIELDS);
        String name = m.requiredName("name");
        if (name != null) {
            Location first = names.putIfAbsent(name, m.location("name"));
            if (first != null) {
                ctx.error(m.location("name"), "duplicate sandbox name " + Units.quote(name) + " (first given on line "
                        + first.line() + ")");
            }
        }
        String label = name != null ? "sandbox " + name : path;
        boolean linux = "linux".equals(m.choice("kind", "quest", SANDBOX_KINDS));
        List<Integer> cores = cores(m, label, coreOwners);
        Node memoryNode = m.required("memory");
        Long memory = memoryNode == null ? null : ConfigReader.memory(ctx, m);
        Set<String> devices = m.has("devices") ? devices(m, label, cores, deviceOwners) : Set.of();
        return new Head(m, name, label, cores, memory, devices, linux);
    }

    /** A non-empty list of the machine's PCPUs, none of them another sandbox's; null after a problem. */
    private List<Integer> cores(Mapping m, String label, Map<Integer, Owner> owners) {
        Node node = m.required("cores");
        SequenceNode list = node == null ? null : ctx.sequence(node, m.path("cores"), "a list of PCPUs such as [0, 1]");
        if (list == null) {
            return null;
        }
        if (list.getValue().isEmpty()) {
            ctx.error(list, m.path("cores"), "expected at least one core");
            return null;
        }
        List<Integer> cores = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String path = m.path("cores") + "[" + i + "]";
            Long core = ctx.integer(item, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (core == null) {
                ok = false;
            } else if (core < 0 || pcpus != null && core >= pcpus) {
                ctx.error(item, path, "core " + core + " does not exist: " + ConfigReader.coreRange(pcpus));
                ok = false;
            } else if (cores.contains(core.intValue())) {
                ctx.error(item, path, "core " + core + " is listed twice");
                ok = false;
            } else {
                Owner first = owners.putIfAbsent(core.intValue(), new Owner(label, ctx.at(item, path)));
                if (first != null) {
                    ctx.error(item, path, "core " + core + " already belongs to " + first.label() + " (line "
                            + first.at().line() + "): a PCPU belongs to one sandbox at most");
                    ok = false;
                } else {
                    cores.add(core.intValue());
                }
            }
        }
        return ok ? cores : null;
    }

    /**
     * The machine's devices given to the sandbox, none of them another sandbox's, each interrupting
     * one of the sandbox's cores; null after a problem that leaves which devices it has unknown.
     */
    private Set<String> devices(Mapping m, String label, List<Integer> cores, Map<String, Owner> owners) {
        SequenceNode list = ctx.sequence(m.value("devices"), m.path("devices"), "a list of device names");
        if (list == null) {
            return null;
        }
        Set<String> devices = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String path = m.path("devices") + "[" + i + "]";
            String device = ctx.name(item, path);
            if (device == null) {
                ok = false;
                continue;
            }
            if (deviceTypes != null && !deviceTypes.containsKey(device)) {
                ctx.error(item, path, ConfigReader.unknownDevice(device, deviceTypes));
                ok = false;
                continue;
            }
            if (devices.contains(device)) {
                ctx.error(item, path, Units.quote(device) + " is listed twice");
                ok = false;
                continue;
            }
            Owner first = owners.putIfAbsent(device, new Owner(label, ctx.at(item, path)));
            if (first != null) {
                ctx.error(item, path, "device " + device + " already belongs to " + first.label() + " (line "
                        + first.at().line() + "): a device belongs to one sandbox at most");
                ok = false;
                continue;
            }
            Integer irq = deviceIrqs == null ? null : deviceIrqs.get(device);
            if (irq != null && cores != null && !cores.contains(irq)) {
                ctx.error(item, path, "device " + device + " interrupts PCPU " + irq + ", which is not one of " + label
                        + "'s cores " + Scope.coreList(cores));
            }
            devices.add(device);
        }
        return ok ? devices : null;
    }

    // ---- sandboxes, second pass: VCPUs and threads ----

    private SandboxConfig body(Head head, VcpuReader vcpuReader, ThreadReader threadReader) {
        if (head.linux()) {
            return linuxBody(head, threadReader);
        }
        Scope scope = new Scope(head.name(), head.label(), head.m().path(), head.cores(), head.devices());
        Map<String, VcpuReader.VcpuRef> refs = new LinkedHashMap<>();
        Node vcpusNode = head.m().value("vcpus");
        List<VcpuConfig> vcpus = vcpusNode == null ? List.of() : vcpuReader.vcpus(vcpusNode, scope, false, refs);
        vcpuReader.checkDeviceClaims(refs, scope);
        Node threadsNode = head.m().value("threads");
        boolean vcpusKnown = vcpusNode == null || vcpusNode instanceof SequenceNode;
        List<ThreadConfig> threads = threadsNode == null ? List.of()
                : threadReader.threads(threadsNode, scope, vcpusKnown ? refs : null, false);
        vcpuReader.checkIoVcpusServe(refs, threadsNode == null ? Set.of() : threadReader.namedIoVcpus());
        RecoveryConfig recovery = FaultReader.recovery(ctx, head.m());
        WatchdogConfig watchdog = FaultReader.watchdog(ctx, head.m());
        if (ConfigReader.anyNull(head.name(), head.cores(), head.memory(), head.devices(), recovery)
                || head.m().has("watchdog") && watchdog == null) {
            return null;
        }
        return new SandboxConfig(head.name(), head.cores(), head.memory(), List.copyOf(head.devices()), vcpus, threads,
                head.m().location(), null, recovery, watchdog);
    }

    /**
     * A linux sandbox: no VCPUs and no devices (nothing would serve them); its threads are processes,
     * each placed on one of its cores in file order, round robin, as that core's fair VCPU's thread.
     */
    private SandboxConfig linuxBody(Head head, ThreadReader threadReader) {
        Mapping m = head.m();
        String why = " is not used by a linux sandbox: its processes share its cores by the fair scheduler,"
                + " with no VCPUs or budgets";
        if (m.has("vcpus")) {
            m.reportAtKey("vcpus", "field \"vcpus\"" + why);
        }
        if (m.has("devices") && head.devices() != null && !head.devices().isEmpty()) {
            m.reportAtKey("devices", "field \"devices\" is not used by a linux sandbox: it has no I/O VCPUs to serve"
                    + " them (give devices to a Quest sandbox and reach them over a channel)");
        }
        Scope scope = new Scope(head.name(), head.label(), m.path(), head.cores(), Set.of());
        Map<String, Integer> nice = new LinkedHashMap<>();
        Node threadsNode = m.value("threads");
        List<ThreadConfig> processes = threadsNode == null ? List.of() : threadReader.linuxProcesses(threadsNode, scope, nice);
        RecoveryConfig recovery = FaultReader.recovery(ctx, m);
        WatchdogConfig watchdog = FaultReader.watchdog(ctx, m);
        if (ConfigReader.anyNull(head.name(), head.cores(), head.memory(), head.devices(), recovery)
                || m.has("watchdog") && watchdog == null) {
            return null;
        }
        List<ThreadConfig> placed = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            ThreadConfig t = processes.get(i);
            int core = head.cores().get(i % head.cores().size());
            placed.add(new ThreadConfig(t.name(), LinuxConfig.vcpuName(core), t.model(), null, t.location(), t.restartable()));
        }
        LinuxConfig linux = new LinuxConfig(nice, Units.cycles(LinuxConfig.LATENCY, ctx.frequencyHz()),
                Units.cycles(LinuxConfig.MIN_GRANULARITY, ctx.frequencyHz()));
        return new SandboxConfig(head.name(), head.cores(), head.memory(), List.of(), List.of(), placed, m.location(), linux,
                recovery, watchdog);
    }

    /**
     * The sandboxes' own memory, {@link #MONITOR_MEMORY} for each one's monitor and EPT tables, and the
     * channels' shared memory must fit in the machine's; checked once all of it is known.
     */
    private void checkMemory(Node at, List<Head> heads, List<Long> channelMemory) {
        if (machineMemory == null || channelMemory == null || channelMemory.contains(null) || heads.isEmpty()
                || heads.stream().anyMatch(h -> h == null || h.memory() == null)) {
            return;
        }
        BigInteger own = heads.stream().map(h -> BigInteger.valueOf(h.memory())).reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger monitors = BigInteger.valueOf(MONITOR_MEMORY).multiply(BigInteger.valueOf(heads.size()));
        BigInteger channels = channelMemory.stream().map(BigInteger::valueOf).reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger total = own.add(monitors).add(channels);
        if (total.compareTo(BigInteger.valueOf(machineMemory)) > 0) {
            ctx.error(at, "sandboxes", "sandboxes need " + size(total) + " but the machine has " + Units.size(machineMemory)
                    + ": " + size(own) + " of their own, " + size(monitors) + " for their monitors and EPT tables ("
                    + Units.size(MONITOR_MEMORY) + " a sandbox)"
                    + (channels.signum() == 0 ? "" : ", " + size(channels) + " shared by channels"));
        }
    }

    private static String size(BigInteger bytes) {
        return bytes.bitLength() < Long.SIZE ? Units.size(bytes.longValueExact()) : bytes + "B";
    }

    // ---- channels ----

    /**
     * Reads the channel list; {@code refs} receives each well-named channel, {@code memory} the shared
     * memory of each channel (null where unknown). Null when it is not a list.
     */
    private List<ChannelConfig> channels(Node node, Set<String> sandboxes, Set<String> linux, Map<String, ChannelRef> refs,
            List<Long> memory) {
        SequenceNode list = ctx.sequence(node, "channels", "a list of channels");
        if (list == null) {
            return null;
        }
        Map<String, Location> names = new LinkedHashMap<>();
        List<ChannelConfig> channels = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            ChannelConfig channel = channel(list.getValue().get(i), "channels[" + i + "]", sandboxes, linux, names, refs, memory);
            if (channel != null) {
                channels.add(channel);
            }
        }
        return channels;
    }

    private ChannelConfig channel(Node node, String path, Set<String> sandboxes, Set<String> linux, Map<String, Location> names,
            Map<String, ChannelRef> refs, List<Long> memory) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            memory.add(null);
            return null;
        }
        int errorsBefore = ctx.errorCount();
        m.acceptOnly(CHANNEL_FIELDS);
        String name = m.requiredName("name");
        boolean first = false;
        if (name != null) {
            Location firstAt = names.putIfAbsent(name, m.location("name"));
            if (firstAt != null) {
                ctx.error(m.location("name"), "duplicate channel name " + Units.quote(name) + " (first given on line "
                        + firstAt.line() + ")");
            }
            first = firstAt == null;
        }
        String from = sandboxReference(m, "from", sandboxes);
        String to = sandboxReference(m, "to", sandboxes);
        if (from != null && from.equals(to)) {
            ctx.error(m.location("to"), "a channel joins two different sandboxes: from and to are both " + from);
            to = null;
        }
        String kindText = m.choice("kind", "ring", CHANNEL_KINDS);
        ChannelConfig.Kind kind = kindText == null ? null
                : ChannelConfig.Kind.valueOf(kindText.toUpperCase(Locale.ROOT).replace('-', '_'));
        String direction = m.choice("direction", "one-way", DIRECTIONS);
        Boolean bidirectional = direction == null ? null : direction.equals("both");
        Long size = channelSize(m);
        Long latency = m.duration("latency", DEFAULT_CHANNEL_LATENCY);
        Boolean doorbell = m.bool("doorbell", true);
        Long poll = m.positiveDuration("poll", DEFAULT_POLL);
        Boolean isStatic = m.bool("static", true);
        String host = m.has("host") ? host(m, from, to, linux) : null;
        if (first) {
            refs.put(name, new ChannelRef(from, to, kind, bidirectional, isStatic));
        }
        memory.add(size == null || bidirectional == null ? null : bidirectional ? 2 * size : size);
        if (ctx.errorCount() > errorsBefore) {
            return null;
        }
        return new ChannelConfig(name, from, to, kind, bidirectional, size, latency, doorbell, poll, isStatic, m.location(),
                host);
    }

    /**
     * {@code host: unix:PATH}: the channel's linux end is bridged to a Unix domain socket on the host.
     * Allowed only where exactly one end is a linux sandbox.
     */
    private String host(Mapping m, String from, String to, Set<String> linux) {
        String text = m.text("host", null, "unix:PATH (a Unix domain socket on the host)");
        if (text == null) {
            return null;
        }
        if (!text.startsWith(HOST_UNIX) || text.length() == HOST_UNIX.length()) {
            ctx.error(m.location("host"), "expected unix:PATH (a Unix domain socket on the host), got " + Units.quote(text));
            return null;
        }
        if (from != null && to != null && linux.contains(from) == linux.contains(to)) {
            ctx.error(m.location("host"), linux.contains(from)
                    ? "a host endpoint needs exactly one linux end: " + from + " and " + to + " are both linux sandboxes"
                    : "a host endpoint is allowed only on a channel with a linux sandbox (kind: linux) at one end: "
                            + from + " and " + to + " are Quest sandboxes");
            return null;
        }
        String path = text.substring(HOST_UNIX.length());
        java.nio.file.Path parent = java.nio.file.Path.of(ctx.file()).getParent();
        return java.nio.file.Path.of(path).isAbsolute() || parent == null ? path : parent.resolve(path).toString();
    }

    /** One of the sandboxes (when they are known). */
    private String sandboxReference(Mapping m, String field, Set<String> sandboxes) {
        Node node = m.required(field);
        String name = node == null ? null : ctx.name(node, m.path(field));
        if (name != null && sandboxes != null && !sandboxes.contains(name)) {
            ctx.error(node, m.path(field), "unknown sandbox " + Units.quote(name) + (sandboxes.isEmpty() ? ""
                    : "; sandboxes are: " + String.join(", ", sandboxes)));
            return null;
        }
        return name;
    }

    /** Shared memory per direction: greater than zero, at most 1 MiB, rounded up to whole 4 KiB pages. */
    private Long channelSize(Mapping m) {
        Long size = m.positiveSize("size", DEFAULT_CHANNEL_SIZE);
        if (size == null) {
            return null;
        }
        if (size > MAX_CHANNEL_SIZE) {
            ctx.error(m.location("size"), "size " + m.textOf("size").strip() + " is more than a channel's largest, "
                    + Units.size(MAX_CHANNEL_SIZE));
            return null;
        }
        return (size + CHANNEL_PAGE - 1) / CHANNEL_PAGE * CHANNEL_PAGE;
    }
}
