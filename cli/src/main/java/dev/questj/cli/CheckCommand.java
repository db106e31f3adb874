package dev.questj.cli;

import dev.questj.kernel.Admission.CoreLoad;
import dev.questj.system.Placement;
import dev.questj.system.QuestSystem;
import dev.questj.system.config.Explain;
import dev.questj.system.config.VcpuConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a system description and run placement and admission analysis, without simulating.",
                "Exit status 0 when the system is admitted, 2 with located messages when it is not."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SYSTEM.yaml", description = "The system description (default: examples/smp-basic.yaml).")
    Path file;

    @Option(names = "--explain", description = {"Print the system with every default filled in, as YAML that loads",
            "(the analysis follows as comments)."})
    boolean explain;

    @Override
    public Integer call() throws Exception {
        Path system = file != null ? file : Paths.defaultSystem();
        QuestSystem q = QuestSystem.load(system);
        Placement p = q.check();
        PrintWriter out = spec.commandLine().getOut();
        if (explain) {
            out.print(Explain.explain(q.config()));
            out.println();
        }
        // With --explain the analysis is commented out, so that the whole output is a system description.
        String prefix = explain ? "# " : "";
        for (String line : analysis(q, p)) {
            out.println(prefix + line);
        }
        for (String w : q.warnings()) {
            spec.commandLine().getErr().println("WARNING: " + w);
        }
        for (String w : p.warnings()) {
            spec.commandLine().getErr().println("warning: " + w);
        }
        out.flush();
        return 0;
    }

    private static List<String> analysis(QuestSystem q, Placement p) {
        List<String> lines = new ArrayList<>();
        List<VcpuConfig> vcpus = q.vcpus();
        lines.add(String.format(Locale.ROOT, "%s: %d VCPUs, %d threads on %d PCPU(s)%s", q.config().name(),
                vcpus.size(), q.threads().size(), q.config().machine().pcpus(),
                q.config().questV().enabled() ? " in " + q.config().questV().sandboxes().size() + " sandboxes" : ""));
        lines.add("admission (RTAS 2011 bound, per PCPU):");
        for (CoreLoad l : p.loads()) {
            lines.add(String.format(Locale.ROOT, "  %s  %s", l.describe(), l.admitted() ? "ok" : "OVER"));
            for (int i = 0; i < vcpus.size(); i++) {
                if (p.pcpuOf(i) == l.pcpu()) {
                    VcpuConfig v = vcpus.get(i);
                    lines.add(String.format(Locale.ROOT, "    %-16s %s", v.name(), v.core() < 0 ? "(placed by first fit)" : "").stripTrailing());
                }
            }
        }
        var questV = q.config().questV();
        if (questV.enabled()) {
            lines.add("dependability (per sandbox):");
            long hz = q.config().machine().frequencyHz();
            for (var s : questV.sandboxes()) {
                var w = s.watchdog();
                long restartable = s.threads().stream().filter(t -> t.restartable()).count();
                lines.add(String.format(Locale.ROOT, "  %-12s recovery %s; %s; %d of %d threads restartable", s.name(),
                        questV.monitors().removeAfterBoot() ? "none (monitors removed after boot)" : s.recovery().describe(),
                        w == null ? "no watchdog" : "watchdog every " + dev.questj.system.config.Units.duration(w.timeoutCycles(), hz),
                        restartable, s.threads().size()));
            }
            for (var f : questV.faults()) {
                lines.add("  fault: " + dev.questj.system.config.FaultReader.describe(f, hz));
            }
        }
        lines.add("ok");
        return lines;
    }
}
