package dev.questj.kernel;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A CFS-like best-effort fair scheduler among the processes of one core of a Quest-Linux sandbox.
 *
 * <p>It lives inside one hidden VCPU per core (with a {@link FairServer}: no budget), so the
 * PCPU's rate-monotonic scheduler is unchanged: the VCPU is alone on its PCPU and always has
 * budget; this class only decides the order of the VCPU's run queue and each process's slice.
 *
 * <ul>
 *   <li>Each process has a weight from its nice value (Linux's table: nice 0 = 1024, each step
 *       about 1.25x) and a virtual runtime: running {@code delta} cycles adds
 *       {@code delta * 1024 / weight}.</li>
 *   <li>The run queue is kept in virtual-runtime order (ties: first queued first); its head runs.
 *       The running process keeps the head until its slice ends, then is re-inserted by its
 *       virtual runtime, so the process with the least virtual runtime runs next.</li>
 *   <li>Slice: {@code latency * weight / total runnable weight}, at least {@code minGranularity}.</li>
 *   <li>{@code minVruntime} never decreases: the least virtual runtime among the runnable.
 *       A new process starts at it; a woken one at {@code max(its own, minVruntime - latency/2)}
 *       (a sleeper gets at most half a latency of credit, so sleeping never buys a burst).</li>
 *   <li>No wake-up preemption: a woken process waits for the running one's slice to end (at most
 *       one slice). No load balancing: a process stays on the core it was placed on.</li>
 * </ul>
 */
public final class FairScheduler {
    /** Linux's sched_prio_to_weight, nice -20 to 19. */
    static final int[] WEIGHTS = {
        88761, 71755, 56483, 46273, 36291,
        29154, 23254, 18705, 14949, 11916,
        9548, 7620, 6100, 4904, 3906,
        3121, 2501, 1991, 1586, 1277,
        1024, 820, 655, 526, 423,
        335, 272, 215, 172, 137,
        110, 87, 70, 56, 45,
        36, 29, 23, 18, 15,
    };
    public static final int NICE_0_WEIGHT = 1024;
    public static final int MIN_NICE = -20;
    public static final int MAX_NICE = 19;

    /** One process's fair-scheduling state. */
    static final class Entity {
        int nice;
        int weight = NICE_0_WEIGHT;
        long vruntime;
        boolean placed;
    }

    private final long latency;
    private final long minGranularity;
    private final Map<KThread, Entity> entities = new IdentityHashMap<>();
    private long minVruntime;

    /**
     * @param latency        the scheduling period shared among the runnable processes (cycles)
     * @param minGranularity the shortest slice (cycles)
     */
    FairScheduler(long latency, long minGranularity) {
        if (latency <= 0 || minGranularity <= 0) {
            throw new IllegalArgumentException("latency and minimum granularity must be > 0");
        }
        this.latency = latency;
        this.minGranularity = minGranularity;
    }

    /** The weight of nice value {@code nice} (-20 to 19). */
    public static int weightOf(int nice) {
        if (nice < MIN_NICE || nice > MAX_NICE) {
            throw new IllegalArgumentException("nice " + nice + " outside -20..19");
        }
        return WEIGHTS[nice - MIN_NICE];
    }

    void setNice(KThread t, int nice) {
        Entity e = entity(t);
        e.nice = nice;
        e.weight = weightOf(nice);
    }

    /**
     * A recovered kernel starts its processes afresh: every virtual runtime back to 0 and each
     * process placed again as new (nice values stay). Identity-map order does not matter: each entry
     * is reset alike.
     */
    void restart() {
        for (Entity e : entities.values()) {
            e.vruntime = 0;
            e.placed = false;
        }
        minVruntime = 0;
    }

    /** The virtual runtime of {@code t} (cycles at weight 1024). */
    public long vruntime(KThread t) {
        return entity(t).vruntime;
    }

    public long minVruntime() {
        return minVruntime;
    }

    private Entity entity(KThread t) {
        return entities.computeIfAbsent(t, k -> new Entity());
    }

    /**
     * {@code t} becomes runnable in {@code q}: place its virtual runtime, give it a slice and insert it
     * in order; with {@code headRunning} the head is the running process and stays where it is.
     */
    void enqueue(ArrayDeque<KThread> q, KThread t, boolean headRunning) {
        Entity e = entity(t);
        e.vruntime = e.placed ? Math.max(e.vruntime, minVruntime - latency / 2) : minVruntime;
        e.placed = true;
        insert(q, t, e.vruntime, headRunning && !q.isEmpty());
        t.quantumLeft = slice(q, e);
        // the head's slice shrinks to its share among the processes runnable now
        KThread head = q.peekFirst();
        if (head != t) {
            head.quantumLeft = Math.min(head.quantumLeft, slice(q, entity(head)));
        }
    }

    /** {@code t} (the head) ran {@code delta} cycles. */
    void charged(ArrayDeque<KThread> q, KThread t, long delta) {
        Entity e = entity(t);
        e.vruntime += e.weight == NICE_0_WEIGHT ? delta : Math.multiplyExact(delta, NICE_0_WEIGHT) / e.weight;
        updateMin(q, t);
    }

    /** The head's slice ended: it goes back in virtual-runtime order with a new slice. */
    void sliceEnded(ArrayDeque<KThread> q, KThread t) {
        q.pollFirst();
        Entity e = entity(t);
        insert(q, t, e.vruntime, false);
        t.quantumLeft = slice(q, e);
    }

    private void updateMin(ArrayDeque<KThread> q, KThread running) {
        long least = entity(running).vruntime;
        Iterator<KThread> it = q.iterator();
        if (it.hasNext() && it.next() == running && it.hasNext()) {
            least = Math.min(least, entity(it.next()).vruntime);
        }
        minVruntime = Math.max(minVruntime, least);
    }

    /** Inserts after every queued process of virtual runtime <= {@code vruntime} (never before the head when it runs). */
    private void insert(ArrayDeque<KThread> q, KThread t, long vruntime, boolean keepHead) {
        if (q.isEmpty() || (!keepHead && entity(q.peekFirst()).vruntime > vruntime)) {
            q.addFirst(t);
            return;
        }
        if (entity(q.peekLast()).vruntime <= vruntime) {
            q.addLast(t);
            return;
        }
        // rebuild: the queue is short (a core's processes)
        KThread[] all = q.toArray(new KThread[0]);
        q.clear();
        boolean done = false;
        for (int i = 0; i < all.length; i++) {
            if (!done && (i > 0 || !keepHead) && entity(all[i]).vruntime > vruntime) {
                q.addLast(t);
                done = true;
            }
            q.addLast(all[i]);
        }
        if (!done) {
            q.addLast(t);
        }
    }

    /** latency x weight / total weight of the runnable processes, at least the minimum granularity. */
    private long slice(ArrayDeque<KThread> q, Entity e) {
        long total = 0;
        for (KThread k : q) {
            total += entity(k).weight;
        }
        long s = total == 0 ? latency : Math.multiplyExact(latency, (long) e.weight) / total;
        return Math.max(minGranularity, s);
    }
}
