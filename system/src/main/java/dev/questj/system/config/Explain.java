package dev.questj.system.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Renders a {@link SystemConfig} back as a system description with every default filled in (what
 * {@code quest check --explain} prints). Durations are written exactly, in the largest unit that
 * divides them, and sizes, bandwidths, rates and utilisations exactly too, so reading the text back
 * gives an equal configuration (locations and source aside; a trace file is named as written, so it
 * is found again only next to the original description). Each device, VCPU and thread is one flow
 * mapping on one line; comments add what is derived (PCPUs, utilisation, placement, which I/O VCPU
 * serves which device, which sandbox has which device, the memory sandboxes use).
 *
 * <p>In SMP mode the output has the top-level {@code vcpus} and {@code threads} and nothing of
 * Quest-V. In Quest-V mode it has {@code overheads.vmExit}, {@code protection} (as a mapping),
 * {@code monitors}, each sandbox with its recovery policy, watchdog, VCPUs and threads (each with
 * {@code restartable}), {@code channels}, and the {@code faults} to inject when there are some.
 */
public final class Explain {
    /** Text that is safe as a plain scalar in flow context; anything else is double-quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+/-]*");
    private static final Resolver RESOLVER = new Resolver();

    private final SystemConfig config;
    private final long hz;
    private final StringBuilder out = new StringBuilder();

    private Explain(SystemConfig config) {
        this.config = config;
        this.hz = config.machine().frequencyHz();
    }

    public static String explain(SystemConfig config) {
        return new Explain(config).render();
    }

    private String render() {
        line("# " + oneLine(config.name()) + ": the system description with every default filled in");
        line("format: " + ConfigReader.FORMAT);
        line("name: " + scalar(config.name()));
        line("seed: " + config.seed());
        line("duration: " + duration(config.durationCycles()));
        machine();
        overheads();
        kernel();
        QuestVConfig questV = config.questV();
        if (questV.enabled()) {
            protection(questV.protection());
            line("monitors: {afterBoot: " + (questV.monitors().removeAfterBoot() ? "remove}   # gone once every sandbox has booted"
                    : "keep}"));
            sandboxes(questV);
            channels(questV.channels());
            migration(config.migration());
            mils(questV.mils());
            faults(questV.faults());
        } else {
            line("vcpus:");
            vcpus(config.vcpus(), IoBindings.byDevice(config), "  ");
            line("threads:");
            threads(config.threads(), "  ", false);
        }
        return out.toString();
    }

    private void machine() {
        MachineConfig m = config.machine();
        line("machine:");
        line("  cores: " + m.cores());
        line("  smt: " + m.smt() + "   # " + m.pcpus() + (m.pcpus() == 1 ? " PCPU" : " PCPUs"));
        line("  frequency: " + Units.frequency(m.frequencyHz()));
        line("  memory: " + Units.size(m.memoryBytes()));
        if (m.devices().isEmpty()) {
            line("  devices: []");
            return;
        }
        line("  devices:");
        Map<String, String> served = new HashMap<>(IoBindings.byDevice(config));
        Map<String, String> owners = new HashMap<>();
        for (SandboxConfig s : config.questV().sandboxes()) {
            s.devices().forEach(d -> owners.put(d, s.name()));
            served.putAll(IoBindings.byDevice(m, s));
        }
        for (DeviceConfig d : m.devices()) {
            List<String> fields = new ArrayList<>(List.of("name: " + scalar(d.name()), "type: " + d.type(),
                    "irq: {core: " + d.irqPcpu() + "}", "driver: " + driver(d.driver())));
            fields.addAll(deviceFields(d.model()));
            String io = served.get(d.name());
            String comment = d.model() instanceof DeviceModel.Rogue ? "a rogue device: it needs no I/O VCPU"
                    : io != null ? "served by I/O VCPU " + oneLine(io)
                    : "no I/O VCPU serves it: only threads with an ioVcpu can use it";
            if (config.questV().enabled()) {
                String owner = owners.get(d.name());
                comment = owner == null ? "given to no sandbox: its interrupts go nowhere"
                        : "sandbox " + oneLine(owner) + "; " + comment;
            }
            if (d.model() instanceof DeviceModel.Nic nic && nic.arrivals() instanceof DeviceModel.Arrivals.Trace t) {
                comment += "; trace of " + t.packets().size() + (t.packets().size() == 1 ? " packet" : " packets");
            }
            line("    - " + flow(fields) + "   # " + comment);
        }
    }

    private String driver(DeviceConfig.DriverCost c) {
        return flow(List.of("topHalf: " + duration(c.topHalfCycles()), "perRequest: " + duration(c.perRequestCycles()),
                "perKiB: " + duration(c.perKiBCycles())));
    }

    private List<String> deviceFields(DeviceModel model) {
        return switch (model) {
            case DeviceModel.Nic n -> List.of("arrivals: " + arrivals(n.arrivals()),
                    "bandwidth: " + Units.bandwidth(n.bandwidth()), "ring: " + n.ringSlots());
            case DeviceModel.Disk d -> List.of("seek: " + duration(d.seekCycles()), "bandwidth: " + Units.bandwidth(d.bandwidth()));
            case DeviceModel.Sensor s -> List.of("period: " + duration(s.periodCycles()), "sampleSize: " + Units.size(s.sampleBytes()));
            case DeviceModel.Actuator a -> List.of("latency: " + duration(a.latencyCycles()));
            case DeviceModel.Serial s -> List.of("baud: " + s.baud());
            case DeviceModel.Rogue r -> List.of("dmaRate: " + Units.rate(r.dmaRatePerSecond()), "msiRate: " + Units.rate(r.msiRatePerSecond()));
        };
    }

    private String arrivals(DeviceModel.Arrivals arrivals) {
        List<String> fields = switch (arrivals) {
            case DeviceModel.Arrivals.None n -> List.of("pattern: none");
            case DeviceModel.Arrivals.Periodic p -> List.of("pattern: periodic", "interval: " + duration(p.intervalCycles()),
                    "size: " + Units.size(p.size()), "port: " + p.port());
            case DeviceModel.Arrivals.Poisson p -> List.of("pattern: poisson", "rate: " + Units.rate(p.ratePerSecond()),
                    "size: " + Units.size(p.size()), "port: " + p.port());
            case DeviceModel.Arrivals.Bursty b -> List.of("pattern: bursty", "rate: " + Units.rate(b.ratePerSecond()),
                    "on: " + duration(b.onCycles()), "off: " + duration(b.offCycles()), "size: " + Units.size(b.size()),
                    "port: " + b.port());
            case DeviceModel.Arrivals.Trace t -> List.of("pattern: trace", "file: " + scalar(t.file()));
        };
        return flow(fields);
    }

    private void overheads() {
        OverheadsConfig o = config.overheads();
        line("overheads:");
        line("  contextSwitch: " + duration(o.contextSwitch()));
        line("  schedule: " + duration(o.schedule()));
        line("  timerInterrupt: " + duration(o.timerInterrupt()));
        line("  ipi: " + duration(o.ipi()));
        if (config.questV().enabled()) {
            line("  vmExit: " + duration(config.questV().vmExitCycles()) + "   # one VM exit and entry");
        }
    }

    private void kernel() {
        KernelSettings k = config.kernel();
        line("kernel:");
        line("  quantum: " + duration(k.quantumCycles()));
        line("  maxReplenishments: " + k.maxReplenishments());
        line("  admission: " + k.admission().name().toLowerCase(Locale.ROOT));
        line("  ioVcpus: " + k.ioVcpus().name().toLowerCase(Locale.ROOT) + (k.ioVcpus() == KernelSettings.IoVcpuMode.PIBS
                ? "   # I/O VCPUs are PIBS servers; their period is not used"
                : "   # I/O VCPUs are sporadic servers with budget utilisation x period"));
    }

    private void protection(ProtectionConfig p) {
        line("protection: " + flow(List.of("ept: " + p.ept(), "iommu: " + p.iommu(),
                "interruptRemapping: " + p.interruptRemapping()))
                + (p.isFull() ? "   # full" : p.equals(ProtectionConfig.MMU_ONLY)
                        ? "   # mmu: sandboxes are kept apart only by their kernels' page tables" : ""));
    }

    private void sandboxes(QuestVConfig questV) {
        long own = questV.sandboxes().stream().mapToLong(SandboxConfig::memoryBytes).sum();
        long channels = questV.channels().stream().mapToLong(c -> c.bidirectional() ? 2 * c.sizeBytes() : c.sizeBytes()).sum();
        long monitors = questV.sandboxes().size() * SandboxReader.MONITOR_MEMORY;
        long used = own + monitors + channels;
        line("sandboxes:   # memory used: " + Units.size(own) + " their own + " + Units.size(monitors)
                + " monitors and EPT tables" + (channels == 0 ? "" : " + " + Units.size(channels) + " channels")
                + " = " + Units.size(used) + " of " + Units.size(config.machine().memoryBytes()));
        for (SandboxConfig s : questV.sandboxes()) {
            line("  - name: " + scalar(s.name()));
            if (questV.mils().label(s.name()) != null) {
                line("    label: " + scalar(questV.mils().label(s.name())));
            }
            if (s.isLinux()) {
                linuxSandbox(s);
                continue;
            }
            line("    cores: " + Scope.coreList(s.cores()));
            line("    memory: " + Units.size(s.memoryBytes()));
            line("    devices: " + list(s.devices()));
            dependability(s, questV.monitors().removeAfterBoot());
            if (s.vcpus().isEmpty()) {
                line("    vcpus: []");
            } else {
                line("    vcpus:");
                vcpus(s.vcpus(), IoBindings.byDevice(config.machine(), s), "      ");
            }
            if (s.threads().isEmpty()) {
                line("    threads: []");
            } else {
                line("    threads:");
                threads(s.threads(), "      ", true);
            }
        }
    }

    /** A sandbox's recovery policy (always) and its watchdog (when it has one). */
    private void dependability(SandboxConfig s, boolean monitorsRemoved) {
        RecoveryConfig r = s.recovery();
        String what = monitorsRemoved ? "monitors removed after boot: a failed sandbox stays down"
                : !r.restart() ? "a failed sandbox stays down"
                : r.maxRestarts() < 0 ? "its monitor restores it after every failure"
                : "its monitor restores it at most " + r.maxRestarts() + (r.maxRestarts() == 1 ? " time" : " times");
        WatchdogConfig w = s.watchdog();
        line("    recovery: " + r.describe() + "   # " + what
                + (w == null ? "; no watchdog: a silent hang goes unnoticed" : ""));
        if (w != null) {
            line("    watchdog: " + flow(List.of("heartbeat: " + duration(w.heartbeatCycles()),
                    "timeout: " + duration(w.timeoutCycles())))
                    + "   # a heartbeat per PCPU; the monitor looks every timeout (a VM exit each time)");
        }
    }

    /** The faults to inject, only when the description has some; each names its target. */
    private void faults(List<FaultConfig> faults) {
        if (faults.isEmpty()) {
            return;
        }
        line("faults:");
        for (FaultConfig f : faults) {
            List<String> fields = new ArrayList<>(List.of("at: " + duration(f.atCycles()), "sandbox: " + scalar(f.sandbox()),
                    "kind: " + f.kind()));
            String target = FaultReader.targetField(f.kind());
            if (target != null) {
                fields.add(target + ": " + scalar(f.target()));
            }
            line("  - " + flow(fields));
        }
    }

    /** A Quest-Linux sandbox: no devices, no VCPUs; each process with its nice value and the core it was placed on. */
    private void linuxSandbox(SandboxConfig s) {
        line("    kind: linux   # fair scheduler: latency " + duration(s.linux().latencyCycles()) + ", minimum slice "
                + duration(s.linux().minGranularityCycles()));
        line("    cores: " + Scope.coreList(s.cores()));
        line("    memory: " + Units.size(s.memoryBytes()));
        dependability(s, config.questV().monitors().removeAfterBoot());
        if (s.threads().isEmpty()) {
            line("    threads: []");
            return;
        }
        line("    threads:");
        for (ThreadConfig t : s.threads()) {
            List<String> fields = new ArrayList<>(List.of("name: " + scalar(t.name()), "model: " + modelName(t.model())));
            fields.addAll(modelFields(t.model()));
            fields.add("nice: " + s.linux().niceOf(t.name()));
            fields.add("restartable: " + t.restartable());
            line("      - " + flow(fields) + "   # on " + t.vcpu());
        }
    }

    /** The migration sections, only when the description has them (every default shown once it does). */
    private void migration(MigrationConfig m) {
        if (m == null || (m.settings() == null && m.requests().isEmpty())) {
            return;
        }
        if (m.settings() != null) {
            MigrationConfig.Settings s = m.settings();
            line("migration:");
            line("  pageCopy: " + duration(s.pageCopyCycles()) + "   # one 4 KiB page, a frame or a page table");
            line("  memory: " + Units.size(s.memoryBytes()) + "   # a thread's address space");
            line("  budget: " + duration(s.budgetCycles()) + "   # each destination's migration VCPU");
            line("  period: " + duration(s.periodCycles()));
            if (s.sandboxes().isEmpty()) {
                line("  sandboxes: []");
            } else {
                line("  sandboxes:");
                for (MigrationConfig.SandboxSettings ss : s.sandboxes()) {
                    List<String> f = new java.util.ArrayList<>(List.of("name: " + ss.name()));
                    if (ss.budgetCycles() != null) {
                        f.add("budget: " + duration(ss.budgetCycles()));
                    }
                    if (ss.periodCycles() != null) {
                        f.add("period: " + duration(ss.periodCycles()));
                    }
                    if (ss.core() >= 0) {
                        f.add("core: " + ss.core());
                    }
                    f.add("clockOffset: " + duration(ss.clockOffsetCycles()));
                    if (ss.receives()) {
                        f.add("receives: true");
                    }
                    line("    - " + flow(f));
                }
            }
            if (s.threads().isEmpty()) {
                line("  threads: []");
            } else {
                line("  threads:");
                for (MigrationConfig.ThreadMemory t : s.threads()) {
                    line("    - " + flow(List.of("name: " + t.name(), "memory: " + Units.size(t.bytes()))));
                }
            }
        }
        if (m.requests().isEmpty()) {
            line("migrations: []");
            return;
        }
        line("migrations:");
        for (MigrationConfig.Request r : m.requests()) {
            line("  - " + flow(List.of("at: " + duration(r.atCycles()), "thread: " + r.thread(), "to: " + r.to())));
        }
    }

    private void channels(List<ChannelConfig> channels) {
        if (channels.isEmpty()) {
            line("channels: []");
            return;
        }
        line("channels:");
        for (ChannelConfig c : channels) {
            List<String> fields = new ArrayList<>(List.of("name: " + scalar(c.name()), "from: " + scalar(c.from()),
                    "to: " + scalar(c.to()), "kind: " + (c.kind() == ChannelConfig.Kind.RING ? "ring" : "four-slot"),
                    "direction: " + (c.bidirectional() ? "both" : "one-way"), "size: " + Units.size(c.sizeBytes()),
                    "latency: " + duration(c.latencyCycles()), "doorbell: " + c.doorbell(),
                    "poll: " + duration(c.pollCycles()), "static: " + c.isStatic()));
            if (c.hostPath() != null) {
                fields.add("host: " + scalar("unix:" + c.hostPath()));
            }
            line("  - " + flow(fields)
                    + (c.doorbell() ? "   # poll is used only without a doorbell" : ""));
        }
    }

    /** The policy and the severances, only when the description has them. */
    private void mils(MilsConfig mils) {
        if (mils.policy() != null) {
            line("policy:   # every channel direction is allowed by one of these flows");
            if (mils.policy().flows().isEmpty()) {
                line("  flows: []");
            } else {
                line("  flows:");
                for (MilsConfig.FlowRule f : mils.policy().flows()) {
                    List<String> fields = new ArrayList<>(List.of("from: " + scalar(f.from()), "to: " + scalar(f.to())));
                    if (f.via() != null) {
                        fields.add("via: " + scalar(f.via()));
                    }
                    line("    - " + flow(fields));
                }
            }
        }
        if (!mils.severances().isEmpty()) {
            line("severances:");
            for (MilsConfig.SeveranceConfig s : mils.severances()) {
                line("  - " + flow(List.of("at: " + duration(s.atCycles()), "channel: " + scalar(s.channel()))));
            }
        }
    }

    private void vcpus(List<VcpuConfig> vcpus, Map<String, String> served, String indent) {
        for (VcpuConfig v : vcpus) {
            List<String> fields = new ArrayList<>(List.of("name: " + scalar(v.name())));
            String comment;
            if (v.isIo()) {
                fields.addAll(List.of("kind: io", "utilisation: " + Units.percent(v.utilisationPpm()),
                        "period: " + duration(v.periodCycles()), "devices: " + list(v.devices()),
                        "classes: " + list(v.deviceClasses())));
                List<String> devices = served.entrySet().stream().filter(e -> e.getValue().equals(v.name()))
                        .map(e -> oneLine(e.getKey())).toList();
                comment = devices.isEmpty() ? "serves only the threads naming it as their ioVcpu"
                        : "serves " + String.join(", ", devices);
            } else {
                fields.addAll(List.of("kind: main", "budget: " + duration(v.budgetCycles()),
                        "period: " + duration(v.periodCycles())));
                comment = "utilisation " + percent(v.utilisation());
            }
            if (v.core() >= 0) {
                fields.add("core: " + v.core());
            }
            String placement = v.core() >= 0 ? "" : "; core chosen by first fit";
            line(indent + "- " + flow(fields) + "   # " + comment + placement);
        }
    }

    private static String list(List<String> names) {
        return "[" + String.join(", ", names.stream().map(Explain::scalar).toList()) + "]";
    }

    /** Each thread on one line; in a sandbox with {@code restartable} (in SMP mode only when false: nothing restarts there). */
    private void threads(List<ThreadConfig> threads, String indent, boolean inSandbox) {
        for (ThreadConfig t : threads) {
            List<String> fields = new ArrayList<>(List.of(
                    "name: " + scalar(t.name()), "vcpu: " + scalar(t.vcpu()), "model: " + modelName(t.model())));
            fields.addAll(modelFields(t.model()));
            if (t.ioVcpu() != null) {
                fields.add("ioVcpu: " + scalar(t.ioVcpu()));
            }
            if (inSandbox || !t.restartable()) {
                fields.add("restartable: " + t.restartable());
            }
            line(indent + "- " + flow(fields));
        }
    }

    private static String modelName(TaskModel model) {
        return switch (model) {
            case TaskModel.Periodic p -> "periodic";
            case TaskModel.Sporadic s -> "sporadic";
            case TaskModel.CpuHog c -> "cpu-hog";
            case TaskModel.BestEffort b -> "best-effort";
            case TaskModel.Program p -> "program";
            case TaskModel.IoBound io -> "io-bound";
            case TaskModel.NetworkReceiver n -> "network-receiver";
            case TaskModel.Producer p -> "producer";
            case TaskModel.Consumer c -> "consumer";
            case TaskModel.WildWriter w -> "wild-writer";
        };
    }

    private List<String> modelFields(TaskModel model) {
        return switch (model) {
            case TaskModel.Periodic p -> List.of("period: " + duration(p.period()), "deadline: " + duration(p.deadline()),
                    "exec: " + exec(p.exec()), "offset: " + duration(p.offset()));
            case TaskModel.Sporadic s -> List.of("minInterarrival: " + duration(s.minInterarrival()),
                    "maxExtra: " + duration(s.maxExtra()), "deadline: " + duration(s.deadline()),
                    "exec: " + exec(s.exec()), "offset: " + duration(s.offset()));
            case TaskModel.CpuHog c -> List.of();
            case TaskModel.BestEffort b -> List.of("exec: " + exec(b.exec()));
            case TaskModel.Program p -> List.of("class: " + scalar(p.className()), "period: " + duration(p.period()),
                    "args: " + args(p.args()));
            case TaskModel.IoBound io -> List.of("device: " + scalar(io.device()), "request: " + scalar(io.op()),
                    "size: " + Units.size(io.size()), "exec: " + exec(io.exec()), "period: " + duration(io.period()),
                    "deadline: " + duration(io.deadline()));
            case TaskModel.NetworkReceiver n -> List.of("device: " + scalar(n.device()), "port: " + n.port(),
                    "exec: " + exec(n.exec()), "deadline: " + duration(n.deadline()));
            case TaskModel.Producer p -> List.of("channel: " + scalar(p.channel()), "size: " + Units.size(p.size()),
                    "exec: " + exec(p.exec()), "period: " + duration(p.period()));
            case TaskModel.Consumer c -> List.of("channel: " + scalar(c.channel()), "exec: " + exec(c.exec()));
            case TaskModel.WildWriter w -> List.of("rate: " + Units.rate(w.ratePerSecond()),
                    "privilege: " + (w.kernelPrivilege() ? "kernel" : "user"), "targets: " + list(w.targets()));
        };
    }

    private String exec(ExecTime exec) {
        return switch (exec) {
            case ExecTime.Constant c -> duration(c.cycles());
            case ExecTime.Uniform u -> "{uniform: [" + duration(u.min()) + ", " + duration(u.max()) + "]}";
            case ExecTime.Normal n -> "{normal: " + flow(List.of("mean: " + duration(n.mean()), "sd: " + duration(n.sd()),
                    "min: " + duration(n.min()), "max: " + duration(n.max()))) + "}";
        };
    }

    private static String args(Map<String, String> args) {
        List<String> fields = new ArrayList<>();
        args.forEach((k, v) -> fields.add(scalar(k) + ": " + scalar(v)));
        return flow(fields);
    }

    private String duration(long cycles) {
        return Units.duration(cycles, hz);
    }

    private static String flow(List<String> fields) {
        return "{" + String.join(", ", fields) + "}";
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    /** Text safe inside a comment: line breaks and what YAML cannot hold become blanks. */
    private static String oneLine(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(cp -> sb.appendCodePoint(isYamlPrintable(cp) ? cp : ' '));
        return sb.toString();
    }

    /** Plain when that reads back as the same text, double-quoted otherwise. */
    static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !Tag.NULL.equals(RESOLVER.resolve(NodeId.scalar, text, true))) {
            return text;
        }
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().forEach(cp -> appendQuoted(sb, cp));
        return sb.append('"').toString();
    }

    private static void appendQuoted(StringBuilder sb, int cp) {
        switch (cp) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\t' -> sb.append("\\t");
            case '\r' -> sb.append("\\r");
            default -> {
                if (isYamlPrintable(cp)) {
                    sb.appendCodePoint(cp);
                } else if (cp <= 0xFFFF) {
                    sb.append(String.format(Locale.ROOT, "\\u%04X", cp));
                } else {
                    sb.append(String.format(Locale.ROOT, "\\U%08X", cp));
                }
            }
        }
    }

    /** YAML's printable set, minus the line breaks it would fold inside quotes. */
    private static boolean isYamlPrintable(int cp) {
        return cp >= 0x20 && cp <= 0x7E
                || cp >= 0xA0 && cp <= 0xD7FF && cp != 0x2028 && cp != 0x2029
                || cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF
                || cp >= 0x10000 && cp <= 0x10FFFF;
    }
}
