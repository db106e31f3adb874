package dev.questj.kernel;

import dev.questj.guest.Guest;
import dev.questj.guest.GuestContext;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * A sandbox's migration thread (QUEST-ALGORITHMS.md section 5): a kernel thread on a Main VCPU of its
 * own that copies a migrating thread's address space (page tables and frames) into its sandbox, one
 * page at a time, as ordinary computation within its VCPU's budget. Higher-priority VCPUs preempt it
 * like any other; it resumes where it stopped. Copies are served one after the other, FIFO.
 */
public final class MigrationThread {
    /** One address space to copy: {@code pages} pages, then {@code whenDone} runs (inside a scheduling pass). */
    private record Copy(long pages, Runnable whenDone, Object token) {}

    private final Kernel kernel;
    private final Vcpu vcpu;
    private final long pageCycles;
    private final KThread thread;
    private final ArrayDeque<Copy> copies = new ArrayDeque<>();
    /** Pages of the head copy done so far. */
    private long done;
    /** Whether the last action asked of the guest was a page copy. */
    private boolean copying;
    /** The copy the page in progress belongs to (null: it was cancelled, the page counts for nothing). */
    private Copy current;
    private long pagesCopied;

    /**
     * @param vcpu       the Main VCPU it runs on (of {@code kernel}), used by nothing else
     * @param pageCycles what copying one 4 KiB page costs, in cycles (> 0)
     */
    public MigrationThread(Kernel kernel, Vcpu vcpu, long pageCycles, SplittableRandom random) {
        if (vcpu.kind() != Vcpu.Kind.MAIN || !(vcpu.server() instanceof SporadicServer)) {
            throw new IllegalArgumentException("a migration thread runs on a Main VCPU, not " + vcpu);
        }
        if (pageCycles <= 0) {
            throw new IllegalArgumentException("copying a page must cost at least one cycle, got " + pageCycles);
        }
        this.kernel = kernel;
        this.vcpu = vcpu;
        this.pageCycles = pageCycles;
        this.thread = kernel.createInternalThread(vcpu.name() + ".copy", vcpu, new Copier(), random);
    }

    public Vcpu vcpu() {
        return vcpu;
    }

    public KThread thread() {
        return thread;
    }

    public long pageCycles() {
        return pageCycles;
    }

    /** Whether a copy is queued or in progress. */
    public boolean busy() {
        return !copies.isEmpty();
    }

    /** Pages copied so far, over every copy. */
    public long pagesCopied() {
        return pagesCopied;
    }

    /**
     * Queues a copy of {@code pages} (>= 1) pages, asked for from PCPU {@code fromPcpu} (another
     * sandbox's: the thread is woken by an IPI); {@code whenDone} runs when the last page is copied.
     */
    public void copy(long pages, Runnable whenDone, int fromPcpu) {
        copy(pages, whenDone, fromPcpu, whenDone);
    }

    /** As {@link #copy(long, Runnable, int)}, with {@code token} naming the copy for {@link #cancel}. */
    public void copy(long pages, Runnable whenDone, int fromPcpu, Object token) {
        if (pages < 1) {
            throw new IllegalArgumentException("a copy has at least one page, got " + pages);
        }
        copies.addLast(new Copy(pages, whenDone, token));
        if (thread.state() == KThread.State.BLOCKED) {
            kernel.wakeFrom(thread, fromPcpu);
        }
    }

    /** Drops the copy named {@code token} (its source sandbox failed): it never completes. */
    public void cancel(Object token) {
        Copy head = copies.peekFirst();
        if (head != null && head.token() == token) {
            copies.pollFirst();
            done = 0;
            current = null;
            return;
        }
        copies.removeIf(c -> c.token() == token);
    }

    /** Drops every copy (its own sandbox failed; a recovery restarts its thread afresh). */
    public void abortAll() {
        copies.clear();
        done = 0;
        current = null;
        copying = false;
    }

    /** The thread's behaviour: one page per compute action, block when nothing is left to copy. */
    private final class Copier implements Guest {
        @Override
        public void next(GuestContext ctx) {
            if (copying) {
                copying = false;
                pagesCopied++;
                Copy head = copies.peekFirst();
                if (head != null && head == current) {
                    done++;
                }
                if (head != null && head == current && done == head.pages()) {
                    copies.pollFirst();
                    done = 0;
                    head.whenDone().run();
                }
            }
            if (copies.isEmpty()) {
                ((KThread) ctx).block();
                return;
            }
            copying = true;
            current = copies.peekFirst();
            ctx.compute(pageCycles);
        }
    }
}
