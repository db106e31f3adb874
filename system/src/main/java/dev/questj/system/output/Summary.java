package dev.questj.system.output;

import dev.questj.system.RunResult;
import java.util.Locale;

/** The readable summary of a run for stdout: the verdict first, then per-PCPU, per-VCPU and per-thread tables. */
public final class Summary {
    private Summary() {}

    /** What became of a fault, in a few words. */
    private static String faultOutcome(RunResult.FaultResult f, long hz) {
        if (f.detectedAt() < 0) {
            return f.outcome().toUpperCase(Locale.ROOT) + (f.note().isEmpty() ? "" : " (" + f.note() + ")");
        }
        String detected = "detected by " + f.detectedBy() + " after " + time(f.detectedAt() - f.injectedAt(), hz) + ", ";
        return detected + switch (f.outcome()) {
            case "recovered" -> "recovered in " + time(f.recoveryCycles(), hz) + " (" + f.pagesRestored() + " image pages, "
                    + f.threadsRestarted() + " threads restarted)";
            case "contained" -> "contained" + (f.note().isEmpty() ? "" : ": " + f.note());
            case "recovering" -> "still being recovered when the run ended";
            default -> f.outcome().toUpperCase(Locale.ROOT) + (f.note().isEmpty() ? "" : ": " + f.note());
        };
    }

    public static String render(RunResult r) {
        long hz = r.config().machine().frequencyHz();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %.3f s simulated on %d PCPU%s at %s, seed %d, %,d events in %.2f s wall%n",
                r.config().name(), r.simulatedCycles() / (double) hz, r.cores().size(), r.cores().size() == 1 ? "" : "s",
                hzText(hz), r.config().seed(), r.events(), r.wallSeconds()));
        long misses = r.deadlineMisses();
        sb.append(misses == 0
                ? String.format(Locale.ROOT, "verdict: every deadline met (%,d jobs)%n", r.jobsCompleted())
                : String.format(Locale.ROOT, "verdict: %,d DEADLINE MISS%s in %d thread%s%n", misses, misses == 1 ? "" : "ES",
                        r.threads().stream().filter(t -> t.deadlineMisses() > 0).count(),
                        r.threads().stream().filter(t -> t.deadlineMisses() > 0).count() == 1 ? "" : "s"));
        if (r.config().questV().enabled()) {
            var i = r.isolation();
            if (!(i.ept() && i.iommu() && i.interruptRemapping())) {
                sb.append(String.format(Locale.ROOT, "INSECURE: protections off:%s%s%s; sandboxes are not isolated%n",
                        i.ept() ? "" : " EPT", i.iommu() ? "" : " IOMMU", i.interruptRemapping() ? "" : " interrupt-remapping"));
            }
            sb.append(String.format(Locale.ROOT, "isolation: %,d attempts, %,d blocked, %,d BREACHES%s%n", i.attempts(),
                    i.blocked(), i.breaches(), i.breaches() == 0 ? " (none)" : ""));
            var v = r.vmExits();
            sb.append(String.format(Locale.ROOT, "VM exits: %,d in all, %,d after boot%s%n", v.total(), v.afterBoot(),
                    v.monitorsRemoved() ? " (monitors removed after boot)" : ""));
            for (var m : r.migrations()) {
                sb.append(String.format(Locale.ROOT, "migration: %s %s -> %s at %s: %s%n", m.thread(), m.from(), m.to(),
                        time(m.requested(), hz), m.done() ? "done in " + time(m.durationCycles(), hz) + " (" + m.pages()
                                + " pages), " + m.deadlineMissesDuring() + " deadline misses during it"
                                : m.outcome().toUpperCase(Locale.ROOT) + (m.reason().isEmpty() ? "" : ": " + m.reason())));
            }
            for (var f : r.faults()) {
                sb.append(String.format(Locale.ROOT, "fault: %s in %s%s at %s: %s%n", f.kind(), f.sandbox(),
                        f.target() == null ? "" : " (" + f.target() + ")", time(f.injectedAt(), hz), faultOutcome(f, hz)));
            }
        }
        if (r.guestFaults() > 0) {
            sb.append(String.format(Locale.ROOT, "guest faults: %d%n", r.guestFaults()));
        }
        if (r.config().questV().enabled()) {
            sb.append('\n');
            boolean faults = !r.faults().isEmpty();
            sb.append(String.format(Locale.ROOT, "%-12s %-10s %10s %12s %7s%s%n", "sandbox", "PCPUs", "memory", "booted at", "misses",
                    faults ? String.format(Locale.ROOT, " %-8s %10s %12s", "state", "recoveries", "down for") : ""));
            for (RunResult.SandboxResult sb2 : r.sandboxes()) {
                sb.append(String.format(Locale.ROOT, "%-12s %-10s %8dMiB %12s %7d%s%n", sb2.name(), sb2.cores(),
                        sb2.memoryBytes() >> 20, time(sb2.bootCycles(), hz), sb2.deadlineMisses(),
                        faults ? String.format(Locale.ROOT, " %-8s %10d %12s", sb2.state(), sb2.recoveries(),
                                time(sb2.downtimeCycles(), hz)) : ""));
            }
            if (!r.channels().isEmpty()) {
                sb.append('\n');
                sb.append(String.format(Locale.ROOT, "%-12s %-9s %-22s %9s %9s %8s %5s %10s %10s%n", "channel", "kind", "from -> to",
                        "sent", "delivered", "refused", "lost", "lat p50", "lat max"));
                for (RunResult.ChannelResult c : r.channels()) {
                    sb.append(String.format(Locale.ROOT, "%-12s %-9s %-22s %9d %9d %8d %5d %10s %10s%n", c.name(), c.kind(),
                            c.from() + " -> " + c.to(), c.sent(), c.delivered(), c.refused(), c.lost(),
                            time(c.latencyP50(), hz), time(c.latencyMax(), hz)));
                }
                for (RunResult.ChannelResult c : r.channels()) {
                    if (c.severedAt() != null) {
                        sb.append(String.format(Locale.ROOT, "severed: %s at %s; %d queued message(s) discarded, %d send(s)"
                                + " and receive(s) answered \"severed\"%n", c.name(), time(c.severedAt(), hz),
                                c.discardedAtSeverance(), c.refusedAfterSeverance()));
                    }
                }
                if (r.channels().stream().anyMatch(c -> c.severedAt() != null)) {
                    var audit = dev.questj.system.Audit.of(r);
                    sb.append(audit.equalsDeclared()
                            ? "audit: the frames shared at the end are exactly the live channels' " + audit.sharedFrames() + "\n"
                            : "audit: MISMATCH: shared " + audit.sharedFrames() + ", declared " + audit.declaredFrames() + "\n");
                }
            }
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-5s %6s %12s %8s %6s%n", "PCPU", "VCPUs", "utilisation", "bound", "busy"));
        for (RunResult.CoreResult c : r.cores()) {
            sb.append(String.format(Locale.ROOT, "%-5d %6d %12.4f %8.4f %5.1f%%%s%n", c.pcpu(), c.mainVcpus(), c.utilisation(),
                    c.bound(), 100.0 * c.busyCycles() / Math.max(1, r.simulatedCycles()), c.admitted() ? "" : "  OVER BOUND"));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-16s %4s %10s %10s %7s %8s %10s%n", "VCPU", "PCPU", "budget", "period",
                "share", "used", "maxWindow"));
        for (RunResult.VcpuResult v : r.vcpus()) {
            boolean io = v.kind().equals("io");
            sb.append(String.format(Locale.ROOT, "%-16s %4d %10s %10s %6.1f%% %7.1f%% %10s%s%n", v.name(), v.core(),
                    io ? "I/O" : time(v.budget(), hz), io ? "inherited" : time(v.period(), hz), 100 * v.utilisation(),
                    100.0 * v.consumed() / Math.max(1, r.simulatedCycles()), time(v.maxWindowUsage(), hz),
                    io ? "  periods " + v.inheritedPeriods().stream().map(p -> time(p, hz)).toList() : ""));
        }
        if (!r.devices().isEmpty()) {
            sb.append('\n');
            sb.append(String.format(Locale.ROOT, "%-12s %-8s %-12s %9s %10s %9s %9s %10s %10s %10s%n", "device", "type",
                    "I/O VCPU", "requests", "interrupts", "done", "dropped", "lat p50", "lat p99", "lat max"));
            for (RunResult.DeviceResult d : r.devices()) {
                sb.append(String.format(Locale.ROOT, "%-12s %-8s %-12s %9d %10d %9d %9d %10s %10s %10s%n", d.name(), d.type(),
                        d.ioVcpu() == null ? "-" : d.ioVcpu(), d.requests(), d.interrupts(), d.completions(),
                        d.dropped() + d.unclaimed(), time(d.latencyP50(), hz), time(d.latencyP99(), hz),
                        time(d.latencyMax(), hz)));
            }
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-16s %-12s %-11s %9s %7s %10s %10s %10s%n", "thread", "VCPU", "model", "jobs",
                "misses", "resp p50", "resp p99", "resp max"));
        for (RunResult.ThreadResult t : r.threads()) {
            sb.append(String.format(Locale.ROOT, "%-16s %-12s %-11s %9d %7d %10s %10s %10s%s%n", t.name(), t.vcpu(), t.model(),
                    t.completed(), t.deadlineMisses(), time(t.responseP50(), hz), time(t.responseP99(), hz),
                    time(t.responseMax(), hz), t.fault() == null ? "" : "  FAULT: " + t.fault()));
        }
        return sb.toString();
    }

    /** Cycles as a short human time: 1.250ms, 800us, 12ns. */
    public static String time(Long cycles, long hz) {
        if (cycles == null) {
            return "-";
        }
        double s = cycles / (double) hz;
        if (s >= 1) {
            return String.format(Locale.ROOT, "%.3fs", s);
        }
        if (s >= 1e-3) {
            return String.format(Locale.ROOT, "%.3fms", s * 1e3);
        }
        if (s >= 1e-6) {
            return String.format(Locale.ROOT, "%.3fus", s * 1e6);
        }
        return String.format(Locale.ROOT, "%.0fns", s * 1e9);
    }

    static String hzText(long hz) {
        if (hz % 1_000_000_000L == 0) {
            return hz / 1_000_000_000L + " GHz";
        }
        if (hz % 1_000_000L == 0) {
            return hz / 1_000_000L + " MHz";
        }
        return hz + " Hz";
    }
}
