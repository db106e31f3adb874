package dev.questj.cli;

import dev.questj.system.QuestSystem;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import dev.questj.system.config.KernelSettings;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.Units;
import dev.questj.system.workload.Generator;
import dev.questj.system.workload.WorkloadSpec;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"The macro benchmark: simulate generated systems and print jobs and events per wall second,",
                "simulated seconds per wall second and peak heap; then a scaling table over cores, VCPUs per core",
                "and threads per VCPU. The reference workload is described in docs/BENCHMARKS.md."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", defaultValue = "1000s", description = "Simulated time of the reference workload (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--scaling-duration", defaultValue = "20s", description = "Simulated time of each scaling point (default: ${DEFAULT-VALUE}).")
    String scalingDuration;

    @Option(names = "--no-scaling", description = "Only the reference workload.")
    boolean noScaling;

    @Option(names = "--max-scale", defaultValue = "64", description = "Largest cores / VCPUs-per-core point (default: ${DEFAULT-VALUE}).")
    int maxScale;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        WorkloadSpec ref = WorkloadSpec.reference();
        long hz = ref.frequencyHz();
        long refDuration = cycles(duration, hz);
        long scaleDuration = cycles(scalingDuration, hz);
        out.printf(Locale.ROOT, "Quest/J bench on %s %s, %d CPUs, Java %s%n", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.println("reference workload: 4 cores x 10 periodic threads, U 0.7 per core, periods 10-100 ms on a 1 ms grid,");
        out.printf(Locale.ROOT, "  2 Main VCPUs per core, inflation 1.15, zero overheads, seed 42, %s simulated%n%n", duration);
        SystemConfig cfg = Generator.generate(ref.withDuration(refDuration));
        run(cfg, RunOptions.inMemory(), true); // warm-up of the JIT on the same shape
        out.printf(Locale.ROOT, "%-22s %12s %14s %14s %12s %10s %9s%n", "recording", "jobs", "jobs/s", "events/s",
                "sim s/wall s", "wall s", "peak heap");
        print(out, "off", run(cfg, RunOptions.inMemory(), false));
        Path dir = Files.createTempDirectory("quest-bench");
        try {
            print(out, "schedule.jsonl on", run(cfg, RunOptions.inMemory().withOut(dir), false));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (!noScaling) {
            out.printf(Locale.ROOT, "%nscaling (recording off, %s simulated per point; ns/event is wall time per event)%n", scalingDuration);
            out.printf(Locale.ROOT, "%-7s %-12s %-13s %10s %14s %14s %10s%n", "cores", "VCPUs/core", "threads/VCPU",
                    "jobs", "jobs/s", "events/s", "ns/event");
            for (int c = 1; c <= maxScale; c *= 2) {
                scale(out, ref, c, 2, 5, scaleDuration);
            }
            for (int v = 1; v <= maxScale; v *= 2) {
                scale(out, ref, 1, v, 2, scaleDuration);
            }
            for (int t = 1; t <= 16; t *= 2) {
                scale(out, ref, 1, 4, t, scaleDuration);
            }
        }
        out.flush();
        return 0;
    }

    private void scale(PrintWriter out, WorkloadSpec ref, int cores, int vcpusPerCore, int threadsPerVcpu, long duration) throws Exception {
        WorkloadSpec s = ref.withShape(cores, vcpusPerCore * threadsPerVcpu, vcpusPerCore).withDuration(duration);
        // Scaling points measure speed, not schedulability: with many VCPUs per PCPU the generated
        // budgets exceed the bound, so admission is off for them.
        SystemConfig cfg = Generator.generate(s);
        var k = cfg.kernel();
        cfg = cfg.withKernel(new KernelSettings(k.quantumCycles(), k.maxReplenishments(), KernelSettings.Admission.OFF, k.ioVcpus()));
        run(cfg.withDuration(Math.max(1, duration / 4)), RunOptions.inMemory(), false); // warm the JIT on this shape
        Measured m = run(cfg, RunOptions.inMemory(), false);
        out.printf(Locale.ROOT, "%-7d %-12d %-13d %,10d %,14.0f %,14.0f %10.1f%n", cores, vcpusPerCore, threadsPerVcpu,
                m.result.jobsCompleted(), m.result.jobsCompleted() / m.result.wallSeconds(),
                m.result.events() / m.result.wallSeconds(), m.result.wallSeconds() * 1e9 / m.result.events());
        out.flush();
    }

    private record Measured(RunResult result, long peakHeapBytes) {}

    private static Measured run(SystemConfig cfg, RunOptions options, boolean warmUp) throws Exception {
        SystemConfig c = warmUp ? cfg.withDuration(Math.min(cfg.durationCycles(), 50 * cfg.machine().frequencyHz())) : cfg;
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        RunResult r = QuestSystem.of(c).run(options);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return new Measured(r, peak);
    }

    private static void print(PrintWriter out, String label, Measured m) {
        RunResult r = m.result;
        double simSeconds = r.simulatedCycles() / (double) r.config().machine().frequencyHz();
        out.printf(Locale.ROOT, "%-22s %,12d %,14.0f %,14.0f %,12.0f %10.2f %6d MiB%n", label, r.jobsCompleted(),
                r.jobsCompleted() / r.wallSeconds(), r.events() / r.wallSeconds(), simSeconds / r.wallSeconds(),
                r.wallSeconds(), m.peakHeapBytes >> 20);
        out.flush();
    }

    private static long cycles(String text, long hz) {
        try {
            return Units.cycles(text, hz);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }
}
