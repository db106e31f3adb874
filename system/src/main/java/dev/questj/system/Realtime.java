package dev.questj.system;

import dev.questj.machine.Machine;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code --realtime} run loop: simulated time is paced to the wall clock. The loop advances in
 * steps of one simulated millisecond; after each step it waits until the wall clock has caught up
 * with the simulated time (if the simulation is slower than real time it just goes on, late), then
 * lets the {@link HostBridge} exchange lines with the host at that simulated instant.
 */
final class Realtime {
    private Realtime() {}

    /** Runs {@code machine} to {@code end} cycles in step with the wall clock. */
    static void run(Machine machine, long end, HostBridge bridge) {
        long hz = machine.clock().hz();
        long step = Math.max(1, hz / 1000);
        long wallStart = System.nanoTime();
        for (long t = Math.min(step, end); ; t = Math.min(t + step, end)) {
            machine.queue().runBefore(t);
            long due = wallStart + (long) (t * (1e9 / hz));
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
            }
            if (bridge != null) {
                bridge.exchange(t);
            }
            if (t == end) {
                break;
            }
        }
    }
}
