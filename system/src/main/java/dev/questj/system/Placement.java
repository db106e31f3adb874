package dev.questj.system;

import dev.questj.kernel.Admission.CoreLoad;
import dev.questj.system.config.ConfigError;
import dev.questj.system.config.ConfigException;
import dev.questj.system.config.KernelSettings;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.VcpuConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds every Main VCPU to a PCPU and runs the admission test (section 4) on each PCPU.
 *
 * <p>VCPUs that name a core go there first, in file order; then the others, in file order, go to
 * the first PCPU (lowest id) that still passes the admission bound with them (first fit). With
 * admission {@code off}, first fit only keeps each PCPU's utilisation at or below 1.
 */
public final class Placement {
    private final int[] pcpuOf;
    private final List<CoreLoad> loads;
    private final List<String> warnings;

    private Placement(int[] pcpuOf, List<CoreLoad> loads, List<String> warnings) {
        this.pcpuOf = pcpuOf;
        this.loads = List.copyOf(loads);
        this.warnings = List.copyOf(warnings);
    }

    /** The PCPU of the i-th VCPU of the system (numbered sandbox by sandbox in Quest-V mode). */
    public int pcpuOf(int vcpuIndex) {
        return pcpuOf[vcpuIndex];
    }

    /** Every PCPU's load against its bound, in PCPU order. */
    public List<CoreLoad> loads() {
        return loads;
    }

    /** Admission failures let through because admission is {@code warn}. */
    public List<String> warnings() {
        return warnings;
    }

    public static Placement of(SystemConfig cfg) throws ConfigException {
        int n = cfg.machine().pcpus();
        KernelSettings.Admission mode = cfg.kernel().admission();
        CoreLoad[] load = new CoreLoad[n];
        for (int p = 0; p < n; p++) {
            load[p] = new CoreLoad(p, 0, 0, 0);
        }
        List<ConfigError> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<VcpuConfig> all = Part.allVcpus(cfg);
        int[] pcpuOf = new int[all.size()];
        int first = 0;
        for (Part part : Part.of(cfg)) {
            placePinned(cfg, part, first, load, pcpuOf, errors, warnings);
            placeByFirstFit(cfg, part, first, load, pcpuOf, errors);
            first += part.vcpus().size();
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new Placement(pcpuOf, List.of(load), warnings);
    }

    /** VCPUs naming a core go there first, in file order. */
    private static void placePinned(SystemConfig cfg, Part part, int first, CoreLoad[] load, int[] pcpuOf,
            List<ConfigError> errors, List<String> warnings) {
        KernelSettings.Admission mode = cfg.kernel().admission();
        for (int i = 0; i < part.vcpus().size(); i++) {
            VcpuConfig v = part.vcpus().get(i);
            if (v.core() < 0) {
                continue;
            }
            CoreLoad next = plus(load[v.core()], v, cfg);
            if (!next.admitted() && load[v.core()].admitted()) {
                String msg = "PCPU " + v.core() + " is overloaded with VCPU \"" + v.name() + "\": " + next.describe();
                if (mode == KernelSettings.Admission.ENFORCE) {
                    errors.add(new ConfigError(v.location().child("core"), msg
                            + " (move a VCPU, shrink a budget, or set kernel.admission: warn)"));
                } else if (mode == KernelSettings.Admission.WARN) {
                    warnings.add(v.location().child("core").prefix() + msg);
                }
            }
            load[v.core()] = next;
            pcpuOf[first + i] = v.core();
        }
    }

    /** The others, in file order, on the first of the part's PCPUs that still passes the bound. */
    private static void placeByFirstFit(SystemConfig cfg, Part part, int first, CoreLoad[] load, int[] pcpuOf,
            List<ConfigError> errors) {
        for (int i = 0; i < part.vcpus().size(); i++) {
            VcpuConfig v = part.vcpus().get(i);
            if (v.core() >= 0) {
                continue;
            }
            int chosen = firstFit(load, part.cores(), v, cfg);
            if (chosen < 0) {
                int n = part.cores().size();
                errors.add(new ConfigError(v.location(), String.format(java.util.Locale.ROOT,
                        "no PCPU can take VCPU \"%s\" (utilisation %.4f): on %s%s it would exceed %s",
                        v.name(), v.utilisation(), n == 1 ? "the only PCPU" : "each of the " + n + " PCPUs",
                        part.name().equals(QuestSystem.SMP) ? "" : " of sandbox " + part.name(),
                        cfg.kernel().admission() == KernelSettings.Admission.OFF ? "a utilisation of 1" : "the admission bound")));
                continue;
            }
            load[chosen] = plus(load[chosen], v, cfg);
            pcpuOf[first + i] = chosen;
        }
    }

    /**
     * The load with VCPU {@code v} added: a Main VCPU adds C/T and one to n; a PIBS I/O VCPU adds
     * (2 - U) U; an I/O VCPU run as a sporadic server counts as a Main VCPU of budget floor(U T).
     */
    static CoreLoad plus(CoreLoad load, VcpuConfig v, SystemConfig cfg) {
        if (!v.isIo()) {
            return load.plusMain(v.budgetCycles(), v.periodCycles());
        }
        if (cfg.kernel().ioVcpus() == KernelSettings.IoVcpuMode.SPORADIC) {
            return load.plusMain(Math.max(1, Math.multiplyExact(v.periodCycles(), v.utilisationPpm()) / VcpuConfig.PPM), v.periodCycles());
        }
        return load.plusIo(v.utilisation());
    }

    private static int firstFit(CoreLoad[] load, List<Integer> cores, VcpuConfig v, SystemConfig cfg) {
        KernelSettings.Admission mode = cfg.kernel().admission();
        for (int p : cores) {
            CoreLoad next = plus(load[p], v, cfg);
            boolean fits = mode == KernelSettings.Admission.OFF ? next.total() <= 1.0 + 1e-12 : next.admitted();
            if (fits) {
                return p;
            }
        }
        return -1;
    }

}
