package dev.questj.kernel;

import java.util.ArrayDeque;

/**
 * A virtual CPU: the unit of temporal isolation. Threads are scheduled round-robin on it; it is
 * scheduled on its PCPU by static rate-monotonic priority (shorter period first, then the
 * earlier-created VCPU), within the budget its {@link BudgetServer} grants.
 */
public final class Vcpu {
    /** Main VCPUs are sporadic servers for threads; I/O VCPUs serve interrupt bottom halves. */
    public enum Kind {
        MAIN, IO,
        /** A core of a Quest-Linux sandbox: no budget, its processes shared by a {@link FairScheduler}. */
        FAIR;

        public String label() {
            return this == MAIN ? "main" : this == IO ? "io" : "fair";
        }
    }

    private final String name;
    private final String sandbox;
    private final Kind kind;
    /** Creation order within the kernel: breaks priority ties deterministically. */
    private final int index;
    private BudgetServer server;
    /** Builds a fresh server as of a given time: a recovered kernel re-creates its VCPUs with it. */
    private java.util.function.LongFunction<BudgetServer> serverFactory;
    private final WindowUsage windowUsage;
    /** Runnable threads; the head is the one that runs when this VCPU runs. */
    final ArrayDeque<KThread> runQueue = new ArrayDeque<>();
    PcpuScheduler pcpu;
    /** Non-null for a {@link Kind#FAIR} VCPU: orders the run queue by virtual runtime. */
    FairScheduler fair;
    /** Position in the PCPU's priority order (0 = highest). */
    int rank;
    /** Cycles of execution charged so far. */
    long consumed;

    Vcpu(String name, String sandbox, Kind kind, int index, BudgetServer server) {
        this.name = name;
        this.sandbox = sandbox;
        this.kind = kind;
        this.index = index;
        this.server = server;
        this.windowUsage = new WindowUsage(server.period());
    }

    public String name() {
        return name;
    }

    public String sandbox() {
        return sandbox;
    }

    public Kind kind() {
        return kind;
    }

    public int index() {
        return index;
    }

    public BudgetServer server() {
        return server;
    }

    void setServerFactory(java.util.function.LongFunction<BudgetServer> factory) {
        this.serverFactory = factory;
    }

    /** Re-created at {@code now} by a recovering kernel: a full budget, no history. */
    void restartServer(long now) {
        if (serverFactory != null) {
            server = serverFactory.apply(now);
        }
    }

    /** The PCPU it is bound to. */
    public int pcpuId() {
        return pcpu.id();
    }

    public long consumedCycles() {
        return consumed;
    }

    /** The largest execution seen in any window of one period (final once the run finished). */
    public long maxWindowUsage() {
        return windowUsage.max();
    }

    WindowUsage windowUsage() {
        return windowUsage;
    }

    /** Runnable: has at least one runnable thread. */
    public boolean isRunnable() {
        return !runQueue.isEmpty();
    }

    /** The fair scheduler of a {@link Kind#FAIR} VCPU, or null. */
    public FairScheduler fairScheduler() {
        return fair;
    }

    public int runnableThreads() {
        return runQueue.size();
    }

    /** Strict total order: shorter period first, then earlier creation. */
    public boolean hasHigherPriorityThan(Vcpu other) {
        long p = server.period();
        long q = other.server.period();
        return p != q ? p < q : index < other.index;
    }

    @Override
    public String toString() {
        return sandbox.isEmpty() ? name : sandbox + "/" + name;
    }
}
