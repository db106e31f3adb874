package dev.questj.system.config;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code machine.devices}: each device's name, type, interrupt routing, driver costs and the
 * fields of its type, with a NIC's packet arrivals (a trace file is read here too, relative to the
 * description). Follows {@link ReadContext}'s convention: null means a problem was reported.
 */
final class DeviceReader {
    static final List<String> COMMON_FIELDS = List.of("name", "type", "irq", "driver");
    /** Each type's own fields, in the order the reference and {@link Explain} list them. */
    static final Map<String, List<String>> TYPE_FIELDS = typeFields();
    static final List<String> TYPES = List.copyOf(TYPE_FIELDS.keySet());
    /** A rogue device: it attacks (DMA, forged interrupts), takes no requests and needs no I/O VCPU. */
    static final String ROGUE = "rogue";
    /** The device classes an I/O VCPU's {@code classes} may name: every type but rogue. */
    static final List<String> IO_CLASSES = TYPES.stream().filter(t -> !t.equals(ROGUE)).toList();
    /** The requests each type of device takes (TaskModel.IoBound.op). */
    static final Map<String, List<String>> REQUESTS_BY_TYPE = requestsByType();
    static final List<String> REQUESTS = List.of("read", "write", "transmit");
    static final List<String> DRIVER_FIELDS = List.of("topHalf", "perRequest", "perKiB");

    /** A driver's default costs, as durations (converted at the machine's frequency). */
    record DriverDefaults(String topHalf, String perRequest, String perKiB) {}

    static final DriverDefaults NIC_DRIVER = new DriverDefaults("2us", "10us", "1us");
    static final DriverDefaults DISK_DRIVER = new DriverDefaults("2us", "20us", "2us");
    static final DriverDefaults SENSOR_DRIVER = new DriverDefaults("1us", "5us", "0us");
    static final DriverDefaults ACTUATOR_DRIVER = new DriverDefaults("1us", "5us", "0us");
    static final DriverDefaults SERIAL_DRIVER = new DriverDefaults("1us", "5us", "1us");
    static final DriverDefaults ROGUE_DRIVER = ACTUATOR_DRIVER;
    static final Map<String, DriverDefaults> DEFAULT_DRIVERS = Map.of("nic", NIC_DRIVER, "disk", DISK_DRIVER,
            "sensor", SENSOR_DRIVER, "actuator", ACTUATOR_DRIVER, "serial", SERIAL_DRIVER, ROGUE, ROGUE_DRIVER);

    static final String DEFAULT_NIC_BANDWIDTH = "125MB/s";
    static final long DEFAULT_RING_SLOTS = 256;
    static final long MAX_RING_SLOTS = 65536;
    static final String DEFAULT_DISK_BANDWIDTH = "200MB/s";
    static final String DEFAULT_SEEK = "4ms";
    static final String DEFAULT_SAMPLE_SIZE = "64B";
    static final String DEFAULT_ACTUATOR_LATENCY = "50us";
    static final long DEFAULT_BAUD = 115_200;
    static final String DEFAULT_ROGUE_RATE = "0/s";

    /** Each arrival pattern's fields (besides {@code pattern}). */
    static final Map<String, List<String>> PATTERN_FIELDS = patternFields();
    static final List<String> PATTERNS = List.copyOf(PATTERN_FIELDS.keySet());
    static final String DEFAULT_PACKET_SIZE = "1500B";
    static final long DEFAULT_PORT = 0;
    static final long MAX_PORT = 65535;
    static final String TRACE_LINE = "time,size[,port] such as 1.5ms,1500B,7";

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private static Map<String, List<String>> typeFields() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("nic", List.of("arrivals", "bandwidth", "ring"));
        fields.put("disk", List.of("seek", "bandwidth"));
        fields.put("sensor", List.of("period", "sampleSize"));
        fields.put("actuator", List.of("latency"));
        fields.put("serial", List.of("baud"));
        fields.put(ROGUE, List.of("dmaRate", "msiRate"));
        return Collections.unmodifiableMap(fields);
    }

    private static Map<String, List<String>> requestsByType() {
        Map<String, List<String>> requests = new LinkedHashMap<>();
        requests.put("nic", List.of("transmit", "write"));
        requests.put("disk", List.of("read", "write"));
        requests.put("sensor", List.of("read"));
        requests.put("actuator", List.of("write"));
        requests.put("serial", List.of("write"));
        requests.put(ROGUE, List.of());
        return Collections.unmodifiableMap(requests);
    }

    private static Map<String, List<String>> patternFields() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("none", List.of());
        fields.put("periodic", List.of("rate", "interval", "size", "port"));
        fields.put("poisson", List.of("rate", "size", "port"));
        fields.put("bursty", List.of("rate", "on", "off", "size", "port"));
        fields.put("trace", List.of("file"));
        return Collections.unmodifiableMap(fields);
    }

    private final ReadContext ctx;
    /** PCPUs of the machine, or null while unknown (cores or smt broken). */
    private final Integer pcpus;
    private final Map<String, Location> names = new LinkedHashMap<>();
    /** Every well-formed device name with its type, or null where the type could not be read. */
    private final Map<String, String> types = new LinkedHashMap<>();
    /** Every well-formed device name with the PCPU its interrupts reach, or null where that could not be read. */
    private final Map<String, Integer> irqs = new LinkedHashMap<>();

    DeviceReader(ReadContext ctx, Integer pcpus) {
        this.ctx = ctx;
        this.pcpus = pcpus;
    }

    /** Device name to type (null: unknown), in file order; devices with other errors included. */
    Map<String, String> types() {
        return types;
    }

    /** Device name to its interrupt's PCPU (null: unknown), in file order, like {@link #types()}. */
    Map<String, Integer> irqs() {
        return irqs;
    }

    /** Reads the list; null when it is not a list (then which devices exist is unknown). */
    List<DeviceConfig> devices(Node node, String path) {
        SequenceNode list = ctx.sequence(node, path, "a list of devices");
        if (list == null) {
            return null;
        }
        List<DeviceConfig> devices = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            DeviceConfig device = device(list.getValue().get(i), path + "[" + i + "]");
            if (device != null) {
                devices.add(device);
            }
        }
        return devices;
    }

    private DeviceConfig device(Node node, String path) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        int errorsBefore = ctx.errorCount();
        String name = m.requiredName("name");
        Node typeNode = m.required("type");
        String type = typeNode == null ? null : ctx.choice(typeNode, m.path("type"), TYPES);
        if (name != null) {
            Location first = names.putIfAbsent(name, m.location("name"));
            if (first != null) {
                ctx.error(m.location("name"), "duplicate device name " + Units.quote(name)
                        + " (first given on line " + first.line() + ")");
            } else {
                types.put(name, type);
            }
        }
        m.acceptVariant(COMMON_FIELDS, TYPE_FIELDS, type, "type " + type);
        Node irqNode = m.required("irq");
        Integer irq = irqNode == null ? null : irq(irqNode, m.path("irq"));
        if (name != null && types.containsKey(name) && !irqs.containsKey(name)) {
            irqs.put(name, irq);
        }
        DeviceConfig.DriverCost driver = type == null ? null : driver(m, DEFAULT_DRIVERS.get(type));
        DeviceModel model = type == null ? null : model(m, type);
        if (ctx.errorCount() > errorsBefore) {
            return null;
        }
        return new DeviceConfig(name, irq, driver, model, m.location());
    }

    /** {@code irq: {core: N}}: the PCPU the interrupt is routed to. */
    private Integer irq(Node node, String path) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        m.acceptOnly(List.of("core"));
        Node coreNode = m.required("core");
        Long core = coreNode == null ? null : ctx.integer(coreNode, m.path("core"), Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (core == null) {
            return null;
        }
        if (core < 0 || pcpus != null && core >= pcpus) {
            ctx.error(m.location("core"), "core " + core + " does not exist: " + ConfigReader.coreRange(pcpus));
            return null;
        }
        return core.intValue();
    }

    private DeviceConfig.DriverCost driver(Mapping device, DriverDefaults defaults) {
        if (!device.has("driver")) {
            return new DeviceConfig.DriverCost(cycles(defaults.topHalf()), cycles(defaults.perRequest()),
                    cycles(defaults.perKiB()));
        }
        Mapping m = Mapping.of(ctx, device.value("driver"), device.path("driver"));
        if (m == null) {
            return null;
        }
        m.acceptOnly(DRIVER_FIELDS);
        Long topHalf = m.duration("topHalf", defaults.topHalf());
        Long perRequest = m.duration("perRequest", defaults.perRequest());
        Long perKiB = m.duration("perKiB", defaults.perKiB());
        if (ConfigReader.anyNull(topHalf, perRequest, perKiB)) {
            return null;
        }
        return new DeviceConfig.DriverCost(topHalf, perRequest, perKiB);
    }

    private long cycles(String duration) {
        return Units.cycles(duration, ctx.frequencyHz());
    }

    // ---- the types ----

    private DeviceModel model(Mapping m, String type) {
        return switch (type) {
            case "nic" -> nic(m);
            case "disk" -> disk(m);
            case "sensor" -> sensor(m);
            case "actuator" -> {
                Long latency = m.duration("latency", DEFAULT_ACTUATOR_LATENCY);
                yield latency == null ? null : new DeviceModel.Actuator(latency);
            }
            case "serial" -> {
                Long baud = m.integer("baud", DEFAULT_BAUD, 1, Long.MAX_VALUE);
                yield baud == null ? null : new DeviceModel.Serial(baud);
            }
            case ROGUE -> rogue(m);
            default -> throw new IllegalStateException("type not in TYPE_FIELDS: " + type);
        };
    }

    /** Rates of zero or more, at least one of them greater than zero. */
    private DeviceModel rogue(Mapping m) {
        BigDecimal dma = rogueRate(m, "dmaRate");
        BigDecimal msi = rogueRate(m, "msiRate");
        if (ConfigReader.anyNull(dma, msi)) {
            return null;
        }
        if (dma.signum() == 0 && msi.signum() == 0) {
            ctx.error(m.location(), "a rogue device needs a dmaRate or an msiRate greater than 0/s");
            return null;
        }
        return new DeviceModel.Rogue(dma.doubleValue(), msi.doubleValue());
    }

    private BigDecimal rogueRate(Mapping m, String field) {
        return m.has(field) ? ctx.rate(m.value(field), m.path(field), true) : BigDecimal.ZERO;
    }

    private DeviceModel nic(Mapping m) {
        DeviceModel.Arrivals arrivals = m.has("arrivals") ? arrivals(m.value("arrivals"), m.path("arrivals"))
                : new DeviceModel.Arrivals.None();
        Long bandwidth = m.bandwidth("bandwidth", DEFAULT_NIC_BANDWIDTH);
        Long ring = m.integer("ring", DEFAULT_RING_SLOTS, 1, MAX_RING_SLOTS);
        if (ConfigReader.anyNull(arrivals, bandwidth, ring)) {
            return null;
        }
        return new DeviceModel.Nic(arrivals, bandwidth, ring.intValue());
    }

    private DeviceModel disk(Mapping m) {
        Long seek = m.duration("seek", DEFAULT_SEEK);
        Long bandwidth = m.bandwidth("bandwidth", DEFAULT_DISK_BANDWIDTH);
        if (ConfigReader.anyNull(seek, bandwidth)) {
            return null;
        }
        return new DeviceModel.Disk(seek, bandwidth);
    }

    private DeviceModel sensor(Mapping m) {
        Long period = m.requiredPositiveDuration("period");
        Long sampleSize = m.positiveSize("sampleSize", DEFAULT_SAMPLE_SIZE);
        if (ConfigReader.anyNull(period, sampleSize)) {
            return null;
        }
        return new DeviceModel.Sensor(period, sampleSize);
    }

    // ---- NIC arrivals ----

    private DeviceModel.Arrivals arrivals(Node node, String path) {
        Mapping m = Mapping.of(ctx, node, path);
        if (m == null) {
            return null;
        }
        Node patternNode = m.required("pattern");
        String pattern = patternNode == null ? null : ctx.choice(patternNode, m.path("pattern"), PATTERNS);
        m.acceptVariant(List.of("pattern"), PATTERN_FIELDS, pattern, "pattern " + pattern);
        if (pattern == null) {
            return null;
        }
        if (pattern.equals("none")) {
            return new DeviceModel.Arrivals.None();
        }
        if (pattern.equals("trace")) {
            return trace(m);
        }
        Long interval = pattern.equals("periodic") ? interval(m) : null;
        BigDecimal rate = pattern.equals("periodic") ? null : requiredRate(m);
        Long on = pattern.equals("bursty") ? m.requiredPositiveDuration("on") : null;
        Long off = pattern.equals("bursty") ? m.requiredDuration("off") : null;
        Long size = m.positiveSize("size", DEFAULT_PACKET_SIZE);
        Long port = m.integer("port", DEFAULT_PORT, 0, MAX_PORT);
        if (ConfigReader.anyNull(size, port)) {
            return null;
        }
        return switch (pattern) {
            case "periodic" -> interval == null ? null
                    : new DeviceModel.Arrivals.Periodic(interval, size, port.intValue());
            case "poisson" -> rate == null ? null
                    : new DeviceModel.Arrivals.Poisson(rate.doubleValue(), size, port.intValue());
            case "bursty" -> ConfigReader.anyNull(rate, on, off) ? null
                    : new DeviceModel.Arrivals.Bursty(rate.doubleValue(), on, off, size, port.intValue());
            default -> throw new IllegalStateException("pattern not in PATTERN_FIELDS: " + pattern);
        };
    }

    private BigDecimal requiredRate(Mapping m) {
        Node node = m.required("rate");
        return node == null ? null : ctx.rate(node, m.path("rate"));
    }

    /** A periodic pattern's interval: given, or 1 / rate rounded to the nearest cycle. */
    private Long interval(Mapping m) {
        if (m.has("rate") && m.has("interval")) {
            m.reportAtKey("interval", "give rate or interval, not both");
            return null;
        }
        if (m.has("interval")) {
            return ctx.duration(m.value("interval"), m.path("interval"), true);
        }
        if (!m.has("rate")) {
            ctx.error(m.location(), "missing required field \"rate\" or \"interval\"");
            return null;
        }
        BigDecimal rate = ctx.rate(m.value("rate"), m.path("rate"));
        return rate == null ? null
                : BigDecimal.valueOf(ctx.frequencyHz()).divide(rate, 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Reads a trace file, relative to the description's own directory. */
    private DeviceModel.Arrivals trace(Mapping m) {
        Node fileNode = m.required("file");
        String file = fileNode == null ? null : ctx.text(fileNode, m.path("file"), "a file name");
        if (file == null) {
            return null;
        }
        Path resolved;
        try {
            Path parent = Path.of(ctx.file()).getParent();
            resolved = parent == null ? Path.of(file) : parent.resolve(file);
        } catch (InvalidPathException e) {
            ctx.error(fileNode, m.path("file"), "invalid file name " + Units.quote(file) + ": " + e.getReason());
            return null;
        }
        String text;
        try {
            text = Files.readString(resolved);
        } catch (IOException | SecurityException e) {
            ctx.error(fileNode, m.path("file"), "cannot read the trace file " + Units.quote(resolved.toString())
                    + ": " + ConfigReader.unreadable(resolved, e));
            return null;
        }
        List<DeviceModel.Arrivals.Packet> packets = packets(text, resolved.toString(), m.path("file"));
        return packets == null ? null : new DeviceModel.Arrivals.Trace(file, packets);
    }

    /** The packets of a trace's text, or null after reporting each bad line at the trace's own file:line:column. */
    private List<DeviceModel.Arrivals.Packet> packets(String text, String traceFile, String path) {
        List<DeviceModel.Arrivals.Packet> packets = new ArrayList<>();
        int errorsBefore = ctx.errorCount();
        String[] lines = text.split("\r\n|\r|\n", -1);
        long previous = -1;
        String previousTime = null;
        int previousLine = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            String content = hash >= 0 ? line.substring(0, hash) : line;
            if (content.isBlank()) {
                continue;
            }
            String[] fields = content.split(",", -1);
            int[] columns = new int[fields.length];
            for (int f = 0, offset = 0; f < fields.length; offset += fields[f].length() + 1, f++) {
                int lead = fields[f].length() - fields[f].stripLeading().length();
                columns[f] = offset + lead + 1;
            }
            if (fields.length < 2 || fields.length > 3) {
                ctx.error(new Location(traceFile, lineNumber, columns[0], path),
                        "expected " + TRACE_LINE + ", got " + Units.quote(content.strip()));
                continue;
            }
            Long time = traceField(traceFile, lineNumber, columns[0], path, () -> Units.cycles(fields[0], ctx.frequencyHz()));
            Long size = traceField(traceFile, lineNumber, columns[1], path, () -> Units.bytes(fields[1]));
            if (size != null && size == 0) {
                ctx.error(new Location(traceFile, lineNumber, columns[1], path),
                        "expected a size greater than 0, got " + Units.quote(fields[1].strip()));
                size = null;
            }
            Long port = fields.length == 3 ? port(fields[2], new Location(traceFile, lineNumber, columns[2], path))
                    : Long.valueOf(DEFAULT_PORT);
            if (time != null && time < previous) {
                ctx.error(new Location(traceFile, lineNumber, columns[0], path), "packet at " + fields[0].strip()
                        + " comes before the one at " + previousTime + " on line " + previousLine
                        + ": a trace must be sorted by time");
                time = null;
            }
            if (time != null) {
                previous = time;
                previousTime = fields[0].strip();
                previousLine = lineNumber;
            }
            if (!ConfigReader.anyNull(time, size, port)) {
                packets.add(new DeviceModel.Arrivals.Packet(time, size, port.intValue()));
            }
        }
        return ctx.errorCount() > errorsBefore ? null : packets;
    }

    private interface Quantity {
        long read();
    }

    private Long traceField(String traceFile, int line, int column, String path, Quantity quantity) {
        try {
            return quantity.read();
        } catch (Units.InvalidQuantityException e) {
            ctx.error(new Location(traceFile, line, column, path), e.getMessage());
            return null;
        }
    }

    private Long port(String text, Location at) {
        String port = text.strip();
        if (!DIGITS.matcher(port).matches() || new BigInteger(port).compareTo(BigInteger.valueOf(MAX_PORT)) > 0) {
            ctx.error(at, "expected a port from 0 to " + MAX_PORT + ", got " + Units.quote(port));
            return null;
        }
        return Long.parseLong(port);
    }
}
