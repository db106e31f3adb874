package dev.questj.kernel;

import dev.questj.guest.CpuHog;
import dev.questj.guest.ExecDistribution;
import dev.questj.guest.Guest;
import dev.questj.guest.Periodic;
import dev.questj.guest.Sporadic;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random systems for the property tests: 1-3 PCPUs, each with 1-6 Main VCPUs, each VCPU with 1-3
 * threads of random behaviour. Everything is a plain record, so jqwik shrinks a failing system
 * towards a small one and prints it in full; {@link #build} turns a spec into a running kernel.
 *
 * <p>Budgets are derived from a per-PCPU load factor (percent of the admission bound) and per-VCPU
 * weights, so admitted sets are generated directly rather than filtered (filtering random sets of
 * six VCPUs would reject most of them).
 */
final class SystemGen {
    private SystemGen() {}

    // ---- specs ----

    /** What a thread does. */
    sealed interface ThreadSpec {
        Guest guest();
    }

    /** Random computations and sleeps ({@link BurstyGuest}). */
    record Bursty(int maxCompute, int maxSleep, int sleepPercent, int exitPermille) implements ThreadSpec {
        @Override
        public Guest guest() {
            return new BurstyGuest(maxCompute, maxSleep, sleepPercent, exitPermille);
        }
    }

    /** A periodic task with uniform execution time in [1, maxExec], deadline = period. */
    record PeriodicTask(long period, long maxExec, long offset) implements ThreadSpec {
        @Override
        public Guest guest() {
            return new Periodic(period, period, ExecDistribution.uniform(1, maxExec), offset);
        }
    }

    /** A sporadic task: releases at least minInterarrival apart plus up to maxExtra. */
    record SporadicTask(long minInterarrival, long maxExtra, long maxExec, long offset) implements ThreadSpec {
        @Override
        public Guest guest() {
            return new Sporadic(minInterarrival, maxExtra, minInterarrival, ExecDistribution.uniform(1, maxExec), offset);
        }
    }

    /** Never blocks: uses every cycle its VCPU is given. */
    record Hog() implements ThreadSpec {
        @Override
        public Guest guest() {
            return new CpuHog();
        }
    }

    /** A thread: its behaviour and the seed of its random stream. */
    record ThreadDef(ThreadSpec behaviour, long seed) {}

    /** A Main VCPU before its budget is set: its period, its share of the PCPU's load, its threads. */
    record VcpuDraft(long period, int weight, List<ThreadDef> threads) {}

    /** A Main VCPU (budget C, period T, in cycles) and its threads. */
    record VcpuSpec(long budget, long period, List<ThreadDef> threads) {
        double utilisation() {
            return budget / (double) period;
        }
    }

    /** The VCPUs of one PCPU, in creation order. */
    record PcpuSpec(List<VcpuSpec> vcpus) {
        Admission.CoreLoad load(int pcpu) {
            return Admission.load(pcpu, vcpus.stream().map(v -> new long[] {v.budget(), v.period()}).toList());
        }
    }

    /**
     * A whole system and how to run it.
     *
     * @param quantum           the round-robin quantum (small, so round robin happens)
     * @param maxReplenishments the replenishment list size (small ones exercise the full-list path)
     * @param horizon           simulated cycles to run
     */
    record SystemSpec(List<PcpuSpec> pcpus, long quantum, int maxReplenishments, long horizon) {
        boolean admitted() {
            for (int p = 0; p < pcpus.size(); p++) {
                if (!pcpus.get(p).load(p).admitted()) {
                    return false;
                }
            }
            return true;
        }

        long maxPeriod() {
            return pcpus.stream().flatMap(p -> p.vcpus().stream()).mapToLong(VcpuSpec::period).max().orElse(1);
        }
    }

    // ---- budgets from load factors ----

    /**
     * Sets the budgets of the drafts so that the PCPU's utilisation is about {@code loadPercent}% of
     * the admission bound, shared by weight: C = max(1, floor(U * w / W * T)), at most T. When
     * {@code mustAdmit} and rounding up to one cycle pushed the set over the bound, the last VCPUs are
     * dropped until it passes (a single VCPU always does: C <= T and the bound for n = 1 is 1).
     */
    static PcpuSpec budgets(List<VcpuDraft> drafts, int loadPercent, boolean mustAdmit) {
        List<VcpuDraft> ds = new ArrayList<>(drafts);
        while (true) {
            int n = ds.size();
            double target = Admission.bound(n) * loadPercent / 100.0;
            long weights = ds.stream().mapToLong(VcpuDraft::weight).sum();
            List<VcpuSpec> vs = new ArrayList<>();
            for (VcpuDraft d : ds) {
                long c = (long) Math.floor(target * d.weight() / weights * d.period());
                vs.add(new VcpuSpec(Math.clamp(c, 1, d.period()), d.period(), d.threads()));
            }
            PcpuSpec spec = new PcpuSpec(vs);
            if (!mustAdmit || n == 1 || spec.load(0).admitted()) {
                return spec;
            }
            ds.removeLast();
        }
    }

    // ---- arbitraries ----

    /** Periods 5..200, with a fair chance of a few round values so that equal periods (ties) occur. */
    static Arbitrary<Long> periods() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(5, 200)),
                Tuple.of(1, Arbitraries.of(10L, 20L, 40L)));
    }

    static Arbitrary<ThreadSpec> threadSpecs() {
        Arbitrary<ThreadSpec> bursty = Combinators.combine(
                        Arbitraries.integers().between(1, 60),
                        Arbitraries.integers().between(1, 300),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.frequency(Tuple.of(4, 0), Tuple.of(1, 2)))
                .as(Bursty::new);
        Arbitrary<ThreadSpec> periodic = periods().flatMap(t -> Combinators.combine(
                        Arbitraries.longs().between(1, t), Arbitraries.longs().between(0, t))
                .as((e, o) -> new PeriodicTask(t, e, o)));
        Arbitrary<ThreadSpec> sporadic = periods().flatMap(t -> Combinators.combine(
                        Arbitraries.longs().between(0, t), Arbitraries.longs().between(1, t), Arbitraries.longs().between(0, t))
                .as((x, e, o) -> new SporadicTask(t, x, e, o)));
        return Arbitraries.frequencyOf(
                Tuple.of(5, bursty),
                Tuple.of(2, periodic),
                Tuple.of(2, sporadic),
                Tuple.of(1, Arbitraries.just(new Hog())));
    }

    static Arbitrary<ThreadDef> threads() {
        return Combinators.combine(threadSpecs(), Arbitraries.longs()).as(ThreadDef::new);
    }

    static Arbitrary<VcpuDraft> vcpuDrafts() {
        return Combinators.combine(periods(), Arbitraries.integers().between(1, 10), threads().list().ofMinSize(1).ofMaxSize(3))
                .as(VcpuDraft::new);
    }

    /** One PCPU: admitted (20..100% of the bound) or, when allowed, sometimes overloaded (up to 200%). */
    static Arbitrary<PcpuSpec> pcpus(boolean admittedOnly) {
        Arbitrary<Integer> load = admittedOnly
                ? Arbitraries.integers().between(20, 100)
                : Arbitraries.frequencyOf(
                        Tuple.of(2, Arbitraries.integers().between(20, 100)),
                        Tuple.of(1, Arbitraries.integers().between(101, 200)));
        return Combinators.combine(vcpuDrafts().list().ofMinSize(1).ofMaxSize(6), load)
                .as((drafts, l) -> budgets(drafts, l, admittedOnly));
    }

    /**
     * Whole systems. The horizon is 20..120 periods of the longest period, at most 12,000 cycles,
     * which keeps one run in the low milliseconds.
     */
    static Arbitrary<SystemSpec> systems(boolean admittedOnly) {
        return Combinators.combine(
                        pcpus(admittedOnly).list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.longs().between(3, 20),
                        Arbitraries.frequency(Tuple.of(1, 2), Tuple.of(1, 3), Tuple.of(1, 4), Tuple.of(3, 32)),
                        Arbitraries.integers().between(20, 120))
                .as((ps, q, r, periods) -> {
                    SystemSpec draft = new SystemSpec(ps, q, r, 0);
                    return new SystemSpec(ps, q, r, Math.min(12_000, periods * draft.maxPeriod()));
                });
    }

    // ---- building ----

    /** A Machine with one PCPU per spec PCPU and a kernel over all of them, threads created, not started. */
    record Built(dev.questj.machine.Machine machine, Kernel kernel, List<Vcpu> vcpus, List<KThread> threads) {}

    static Built build(SystemSpec spec, ScheduleSink sink, boolean checkInvariants) {
        var machine = new dev.questj.machine.Machine(spec.pcpus().size(), 1, 1_000_000);
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < spec.pcpus().size(); p++) {
            ids.add(p);
        }
        var params = new KernelParams(spec.quantum(), spec.maxReplenishments(), OverheadModel.NONE, checkInvariants);
        Kernel kernel = new Kernel("", machine, ids, params, sink);
        List<Vcpu> vcpus = new ArrayList<>();
        List<KThread> threads = new ArrayList<>();
        for (int p = 0; p < spec.pcpus().size(); p++) {
            List<VcpuSpec> vs = spec.pcpus().get(p).vcpus();
            for (int i = 0; i < vs.size(); i++) {
                VcpuSpec v = vs.get(i);
                Vcpu vcpu = kernel.createMainVcpu("p" + p + "v" + i, v.budget(), v.period(), p);
                vcpus.add(vcpu);
                for (int t = 0; t < v.threads().size(); t++) {
                    ThreadDef td = v.threads().get(t);
                    threads.add(kernel.createThread(vcpu.name() + "t" + t, vcpu, td.behaviour().guest(), new SplittableRandom(td.seed())));
                }
            }
        }
        return new Built(machine, kernel, vcpus, threads);
    }
}
