package dev.questj.kernel;

import dev.questj.sim.EventQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a generated system one event at a time and records what an outside observer can see: the
 * execution slices (through {@link RecordingSink}), every chunk a sporadic server re-posts (through
 * {@link SporadicServer#setObserver}), the instants each VCPU woke up (went from no runnable thread to
 * one), which VCPU each PCPU ran between settled instants, and when each thread was READY.
 *
 * <p>An instant is <em>settled</em> once every event of it has fired (the next event lies later):
 * only then is the scheduler's state the one that holds until the next event, so only then may a
 * check compare "who runs" against "who should". Checks that must hold after every single event
 * (the replenishment-list invariant) use the step hook instead.
 */
final class SimRun {
    /** A chunk of {@code amount} cycles re-posted at {@code time}, decided at {@code now}. */
    record Post(long now, long time, long amount) {}

    /** PCPU {@code pcpu} ran {@code running} (null: idle) throughout [from, to). */
    record Sample(int pcpu, long from, long to, Vcpu running) {}

    /** Called after every event. */
    @FunctionalInterface
    interface StepCheck {
        void afterStep(SimRun run, long now);
    }

    /** Called at each settled instant {@code now} < horizon; the state holds until {@code until} (the next event, at most the horizon). */
    @FunctionalInterface
    interface SettledCheck {
        void settled(SimRun run, long now, long until);
    }

    static final StepCheck NO_STEP_CHECK = (run, now) -> {};
    static final SettledCheck NO_SETTLED_CHECK = (run, now, until) -> {};

    final SystemGen.SystemSpec spec;
    final SystemGen.Built built;
    final RecordingSink sink = new RecordingSink();
    final Map<Vcpu, List<Post>> posts = new HashMap<>();
    final Map<Vcpu, List<Long>> wakes = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();
    /** Per thread: the intervals [from, to) in which it was READY (runnable, queued in its VCPU), merged. */
    final Map<KThread, List<long[]>> ready = new HashMap<>();

    private SimRun(SystemGen.SystemSpec spec, boolean checkInvariants) {
        this.spec = spec;
        this.built = SystemGen.build(spec, sink, checkInvariants);
        for (Vcpu v : built.vcpus()) {
            List<Post> ps = new ArrayList<>();
            posts.put(v, ps);
            wakes.put(v, new ArrayList<>());
            server(v).setObserver((now, time, amount) -> ps.add(new Post(now, time, amount)));
        }
    }

    /** Builds, runs to the spec's horizon with the scheduler's own checks on, and finishes the kernel. */
    static SimRun run(SystemGen.SystemSpec spec, StepCheck step, SettledCheck settled) {
        SimRun r = new SimRun(spec, true);
        r.execute(step, settled);
        return r;
    }

    static SimRun run(SystemGen.SystemSpec spec) {
        return run(spec, NO_STEP_CHECK, NO_SETTLED_CHECK);
    }

    Kernel kernel() {
        return built.kernel();
    }

    List<Vcpu> vcpus() {
        return built.vcpus();
    }

    long horizon() {
        return spec.horizon();
    }

    static SporadicServer server(Vcpu v) {
        return (SporadicServer) v.server();
    }

    private void execute(StepCheck step, SettledCheck settled) {
        EventQueue q = built.machine().queue();
        long horizon = spec.horizon();
        List<Vcpu> vcpus = built.vcpus();
        boolean[] runnable = new boolean[vcpus.size()];
        built.kernel().start();
        while (q.peekTime() <= horizon) {
            q.step();
            long now = q.now();
            for (int i = 0; i < runnable.length; i++) {
                boolean r = vcpus.get(i).isRunnable();
                if (r && !runnable[i]) {
                    wakes.get(vcpus.get(i)).add(now);
                }
                runnable[i] = r;
            }
            step.afterStep(this, now);
            if (q.peekTime() > now && now < horizon) {
                long until = Math.min(q.peekTime(), horizon);
                for (int p : built.kernel().pcpus()) {
                    samples.add(new Sample(p, now, until, built.kernel().running(p)));
                }
                for (KThread t : built.threads()) {
                    if (t.state() == KThread.State.READY) {
                        List<long[]> r = ready.computeIfAbsent(t, x -> new ArrayList<>());
                        if (!r.isEmpty() && r.getLast()[1] == now) {
                            r.getLast()[1] = until;
                        } else {
                            r.add(new long[] {now, until});
                        }
                    }
                }
                settled.settled(this, now, until);
            }
        }
        q.runUntil(horizon);
        built.kernel().finish();
    }

    /** Whether {@code t} was READY at instant {@code x} (as of the settled state of that instant). */
    boolean readyAt(KThread t, long x) {
        long[] iv = readyIntervalEndingAfter(t, x);
        return iv != null && iv[0] <= x;
    }

    /** The earliest instant in [from, to) at which {@code t} was READY, or Long.MAX_VALUE. */
    long firstReadyIn(KThread t, long from, long to) {
        long[] iv = readyIntervalEndingAfter(t, from);
        return iv != null && iv[0] < to ? Math.max(iv[0], from) : Long.MAX_VALUE;
    }

    /** The first READY interval of {@code t} that ends after {@code x}, or null. */
    private long[] readyIntervalEndingAfter(KThread t, long x) {
        List<long[]> r = ready.getOrDefault(t, List.of());
        int lo = 0;
        int hi = r.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (r.get(mid)[1] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < r.size() ? r.get(lo) : null;
    }

    /** The slices of {@code v} as a timeline. */
    Timeline timeline(Vcpu v) {
        return Timeline.ofSlices(sink.of(v));
    }
}
