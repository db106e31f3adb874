package dev.questj.system.experiments;

import dev.questj.system.QuestSystem;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import dev.questj.system.config.ChannelConfig;
import dev.questj.system.config.ConfigException;
import dev.questj.system.config.FaultConfig;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.Location;
import dev.questj.system.config.SandboxConfig;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.Units;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fault campaign: N seeded runs of one system, each with one fault of a random kind injected into
 * a random sandbox at a random time, and what became of it: detected, recovered (or contained),
 * how long recovery took, and whether anything outside the faulty sandbox suffered (a deadline
 * missed, a message lost).
 *
 * <p>Run i uses seed {@code firstSeed + i} for the system and draws its fault from a stream of the
 * same seed, so every run can be repeated alone: {@code quest run FILE --seed S --duration D
 * --no-file-faults --inject SPEC} with the seed and spec the campaign prints for it. The file's own faults are left out. Runs are
 * independent and may go in parallel; the report lists them in seed order, so it is the same
 * whatever the parallelism.
 */
public final class Campaign {
    /** What to draw from. */
    public record Plan(int runs, long firstSeed, long durationCycles, double windowFrom, double windowTo, List<String> kinds,
            List<String> sandboxes) {
        public Plan {
            if (runs <= 0) {
                throw new IllegalArgumentException("runs must be positive");
            }
            if (!(windowFrom >= 0 && windowFrom < windowTo && windowTo <= 1)) {
                throw new IllegalArgumentException("the fault window must satisfy 0 <= from < to <= 1");
            }
            kinds = List.copyOf(kinds);
            sandboxes = List.copyOf(sandboxes);
        }
    }

    /**
     * One run: its seed, the fault injected (as an --inject spec), what became of it, and what the
     * rest of the system saw: deadline misses outside the faulty sandbox and messages lost anywhere.
     */
    public record Run(long seed, String spec, String kind, String sandbox, RunResult.FaultResult fault, long missesOutside,
            List<String> missedBy, long messagesLost) {}

    private Campaign() {}

    /** The kinds a sandbox can take: those whose target (thread, device, ring channel it sends on) it has. */
    public static List<String> applicableKinds(SystemConfig cfg, SandboxConfig s) {
        List<String> kinds = new ArrayList<>();
        for (String k : FaultReader.KINDS) {
            String field = FaultReader.targetField(k);
            if (field == null || !targets(cfg, s, field).isEmpty()) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    private static List<String> targets(SystemConfig cfg, SandboxConfig s, String field) {
        return switch (field) {
            case "thread" -> s.threads().stream().map(t -> t.name()).toList();
            case "device" -> s.devices();
            default -> cfg.questV().channels().stream()
                    .filter(c -> c.kind() == ChannelConfig.Kind.RING
                            && (c.from().equals(s.name()) || c.bidirectional() && c.to().equals(s.name())))
                    .map(ChannelConfig::name).toList();
        };
    }

    /** The fault of run {@code seed}: a sandbox, then a kind it can take, a target, a time in the window. */
    static FaultConfig draw(SystemConfig cfg, Plan plan, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        List<SandboxConfig> candidates = new ArrayList<>();
        for (SandboxConfig s : cfg.questV().sandboxes()) {
            if ((plan.sandboxes().isEmpty() || plan.sandboxes().contains(s.name()))
                    && applicableKinds(cfg, s).stream().anyMatch(k -> plan.kinds().isEmpty() || plan.kinds().contains(k))) {
                candidates.add(s);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no sandbox can take any of the kinds asked for");
        }
        SandboxConfig s = candidates.get(r.nextInt(candidates.size()));
        List<String> kinds = applicableKinds(cfg, s).stream().filter(k -> plan.kinds().isEmpty() || plan.kinds().contains(k))
                .toList();
        String kind = kinds.get(r.nextInt(kinds.size()));
        String field = FaultReader.targetField(kind);
        String target = null;
        if (field != null) {
            List<String> t = targets(cfg, s, field);
            target = t.get(r.nextInt(t.size()));
        }
        long from = (long) (plan.durationCycles() * plan.windowFrom());
        long to = Math.max(from + 1, (long) (plan.durationCycles() * plan.windowTo()));
        long at = from + r.nextLong(to - from);
        return new FaultConfig(at, s.name(), kind, target, Location.NONE.child("campaign"));
    }

    /** The --inject spec that repeats {@code f}. */
    static String spec(FaultConfig f, long hz) {
        String field = FaultReader.targetField(f.kind());
        return "at=" + f.atCycles() + "cycles sandbox=" + f.sandbox() + " kind=" + f.kind()
                + (field == null ? "" : " " + field + "=" + f.target());
    }

    /** Runs the campaign on {@code parallelism} threads; the runs come back in seed order. */
    public static List<Run> run(SystemConfig base, Plan plan, int parallelism) throws ConfigException, IOException {
        if (!base.questV().enabled()) {
            throw new IllegalArgumentException(base.source() + " has no sandboxes: a fault campaign needs Quest-V mode");
        }
        for (String k : plan.kinds()) {
            if (!FaultReader.KINDS.contains(k)) {
                throw new IllegalArgumentException("unknown fault kind \"" + k + "\" (expected one of "
                        + String.join(", ", FaultReader.KINDS) + ")");
            }
        }
        for (String s : plan.sandboxes()) {
            if (base.questV().sandboxes().stream().noneMatch(x -> x.name().equals(s))) {
                throw new IllegalArgumentException("no sandbox \"" + s + "\"");
            }
        }
        SystemConfig clean = base.withQuestV(base.questV().withOnlyFaults(List.of())).withDuration(plan.durationCycles());
        List<FaultConfig> faults = new ArrayList<>();
        for (int i = 0; i < plan.runs(); i++) {
            faults.add(draw(clean, plan, plan.firstSeed() + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism));
        try {
            List<Future<Run>> futures = new ArrayList<>();
            for (int i = 0; i < plan.runs(); i++) {
                long seed = plan.firstSeed() + i;
                FaultConfig f = faults.get(i);
                futures.add(pool.submit(() -> one(clean, seed, f)));
            }
            List<Run> runs = new ArrayList<>();
            for (Future<Run> fu : futures) {
                runs.add(fu.get());
            }
            return runs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("campaign interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException ce) {
                throw ce;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Run one(SystemConfig clean, long seed, FaultConfig f) throws ConfigException, IOException {
        SystemConfig cfg = clean.withSeed(seed).withFaults(List.of(f));
        RunResult r = QuestSystem.of(cfg).run(RunOptions.inMemory());
        long outside = 0;
        List<String> missedBy = new ArrayList<>();
        for (RunResult.ThreadResult t : r.threads()) {
            if (!t.sandbox().equals(f.sandbox()) && t.deadlineMisses() > 0) {
                outside += t.deadlineMisses();
                missedBy.add(t.sandbox() + "/" + t.name());
            }
        }
        long lost = r.channels().stream().mapToLong(RunResult.ChannelResult::lost).sum();
        RunResult.FaultResult fault = r.faults().isEmpty() ? null : r.faults().getFirst();
        return new Run(seed, spec(f, cfg.machine().frequencyHz()), f.kind(), f.sandbox(), fault, outside, missedBy, lost);
    }

    // ---- the report ----

    /** The summary a person reads: counts, recovery times, the two numbers that must be 0, per kind. */
    public static String report(String source, Plan plan, List<Run> runs, long hz) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "fault campaign: %s, %d runs of %s, seeds %d..%d, faults in [%.0f%%, %.0f%%) of each run%n",
                source, runs.size(), Units.duration(plan.durationCycles(), hz), plan.firstSeed(),
                plan.firstSeed() + runs.size() - 1, plan.windowFrom() * 100, plan.windowTo() * 100));
        long injected = runs.stream().filter(r -> r.fault() != null && !r.fault().outcome().equals("not-injected")).count();
        long detected = runs.stream().filter(r -> r.fault() != null && r.fault().detectedAt() >= 0).count();
        long recovered = count(runs, "recovered");
        long contained = count(runs, "contained");
        List<Long> recoveries = times(runs, "recovered");
        List<Long> containments = times(runs, "contained");
        List<Long> detection = runs.stream().filter(r -> r.fault() != null && r.fault().detectedAt() >= 0)
                .map(r -> r.fault().detectedAt() - r.fault().injectedAt()).sorted().toList();
        long outside = runs.stream().mapToLong(Run::missesOutside).sum();
        long lost = runs.stream().mapToLong(Run::messagesLost).sum();
        sb.append(String.format(Locale.ROOT, "  faults injected                          %6d%s%n", injected,
                injected == runs.size() ? "" : " (of " + runs.size() + " runs: the others' faults came after the end)"));
        sb.append(String.format(Locale.ROOT, "  detected                                 %6d%n", detected));
        sb.append(String.format(Locale.ROOT, "  recovered (sandbox restored)             %6d%n", recovered));
        sb.append(String.format(Locale.ROOT, "  contained (no restore needed)            %6d%n", contained));
        sb.append(String.format(Locale.ROOT, "  down (policy, restarts used up, no monitor) %3d%n", count(runs, "down")));
        if (count(runs, "recovering") > 0) {
            sb.append(String.format(Locale.ROOT, "  still recovering at the end of the run   %6d%n", count(runs, "recovering")));
        }
        if (count(runs, "skipped") > 0) {
            sb.append(String.format(Locale.ROOT, "  skipped (nothing to act on)              %6d%n", count(runs, "skipped")));
        }
        sb.append(String.format(Locale.ROOT, "  undetected                               %6d%n", count(runs, "undetected")));
        sb.append(String.format(Locale.ROOT, "  recovery time, detection to running      median %s, worst %s (%d recoveries)%n",
                median(recoveries, hz), worst(recoveries, hz), recoveries.size()));
        sb.append(String.format(Locale.ROOT, "  containment time, detection to contained median %s, worst %s (%d)%n",
                median(containments, hz), worst(containments, hz), containments.size()));
        sb.append(String.format(Locale.ROOT, "  detection latency, injection to detected median %s, worst %s%n",
                median(detection, hz), worst(detection, hz)));
        sb.append(String.format(Locale.ROOT, "  deadline misses outside the faulty sandbox %4d%s%n", outside, outside == 0 ? "" : "   MUST BE 0"));
        sb.append(String.format(Locale.ROOT, "  messages lost                            %6d%s%n", lost, lost == 0 ? "" : "   MUST BE 0"));
        sb.append(String.format(Locale.ROOT, "%n  %-18s %5s %8s %9s %9s %12s %12s%n", "kind", "runs", "detected", "recovered",
                "contained", "median rec.", "worst rec."));
        for (String kind : FaultReader.KINDS) {
            List<Run> of = runs.stream().filter(r -> r.kind().equals(kind)).toList();
            if (of.isEmpty()) {
                continue;
            }
            List<Long> rec = new ArrayList<>(times(of, "recovered"));
            rec.addAll(times(of, "contained"));
            rec.sort(null);
            sb.append(String.format(Locale.ROOT, "  %-18s %5d %8d %9d %9d %12s %12s%n", kind, of.size(),
                    of.stream().filter(r -> r.fault() != null && r.fault().detectedAt() >= 0).count(), count(of, "recovered"),
                    count(of, "contained"), median(rec, hz), worst(rec, hz)));
        }
        List<Run> bad = runs.stream().filter(r -> r.missesOutside() > 0 || r.messagesLost() > 0
                || r.fault() == null || r.fault().detectedAt() < 0 && !r.fault().outcome().equals("not-injected")).toList();
        if (!bad.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nruns to look at (repeat one with: quest run %s --seed SEED --duration %s"
                    + " --no-file-faults --inject \"SPEC\"):%n", source, Units.duration(plan.durationCycles(), hz)));
            for (Run r : bad) {
                sb.append(String.format(Locale.ROOT, "  seed %d  --inject \"%s\": %s%n", r.seed(), r.spec(), problem(r)));
            }
        }
        return sb.toString();
    }

    /** Whether the campaign kept both promises: nothing missed outside the faulty sandbox, nothing lost. */
    public static boolean clean(List<Run> runs) {
        return runs.stream().allMatch(r -> r.missesOutside() == 0 && r.messagesLost() == 0);
    }

    private static String problem(Run r) {
        List<String> p = new ArrayList<>();
        if (r.fault() == null || r.fault().detectedAt() < 0) {
            p.add("not detected" + (r.fault() == null || r.fault().note().isEmpty() ? "" : " (" + r.fault().note() + ")"));
        }
        if (r.missesOutside() > 0) {
            p.add(r.missesOutside() + " deadline misses outside " + r.sandbox() + " (" + String.join(", ", r.missedBy()) + ")");
        }
        if (r.messagesLost() > 0) {
            p.add(r.messagesLost() + " messages lost");
        }
        return String.join("; ", p);
    }

    private static long count(List<Run> runs, String outcome) {
        return runs.stream().filter(r -> r.fault() != null && r.fault().outcome().equals(outcome)).count();
    }

    private static List<Long> times(List<Run> runs, String outcome) {
        return runs.stream().filter(r -> r.fault() != null && r.fault().outcome().equals(outcome))
                .map(r -> r.fault().recoveryCycles()).sorted().toList();
    }

    private static String median(List<Long> sorted, long hz) {
        return sorted.isEmpty() ? "-" : time(sorted.get((sorted.size() - 1) / 2), hz);
    }

    private static String worst(List<Long> sorted, long hz) {
        return sorted.isEmpty() ? "-" : time(sorted.getLast(), hz);
    }

    /** Cycles as milliseconds or microseconds with three decimals, for a table read by people. */
    static String time(long cycles, long hz) {
        double us = cycles * 1e6 / hz;
        return us >= 1000 ? String.format(Locale.ROOT, "%.3f ms", us / 1000) : String.format(Locale.ROOT, "%.3f us", us);
    }
}
