package dev.questj.system.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What a thread does; times in cycles. */
public sealed interface TaskModel {
    /** Jobs released every {@code period} from {@code offset}, each computing {@code exec}, due {@code deadline} after release. */
    record Periodic(long period, long deadline, ExecTime exec, long offset) implements TaskModel {}

    /** Jobs released {@code minInterarrival} plus a uniform random extra in [0, maxExtra] apart. */
    record Sporadic(long minInterarrival, long maxExtra, long deadline, ExecTime exec, long offset) implements TaskModel {}

    /** Always runnable, never blocks: the misbehaving neighbour. */
    record CpuHog() implements TaskModel {}

    /** Background work in units of {@code exec}, no deadlines; counts the units done as jobs. */
    record BestEffort(ExecTime exec) implements TaskModel {}

    /**
     * A Java guest program: a class implementing dev.questj.guest.GuestProgram, with string args.
     * The args keep the order they were given in (iteration is deterministic); null keys and values
     * are refused.
     */
    record Program(String className, long period, Map<String, String> args) implements TaskModel {
        public Program {
            LinkedHashMap<String, String> copy = new LinkedHashMap<>();
            args.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "arg name"), Objects.requireNonNull(v, "arg value")));
            args = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * Repeatedly: an I/O request of {@code size} bytes to {@code device} ({@code op} read or write),
     * then {@code exec} of computation on the result; one job per round, released every
     * {@code period} (0: back to back), due {@code deadline} after release (0: no deadline).
     */
    record IoBound(String device, String op, long size, ExecTime exec, long period, long deadline) implements TaskModel {}

    /**
     * Waits for packets on {@code port} of {@code device} and computes {@code exec} per packet; each
     * packet is a job released when it arrived at the NIC, due {@code deadline} later (0: none).
     */
    record NetworkReceiver(String device, int port, ExecTime exec, long deadline) implements TaskModel {}

    /**
     * Sends a message of {@code size} bytes on {@code channel} every {@code period} after computing
     * {@code exec}; each message is a job, complete when the channel took it (a full ring is an
     * explicit "full" answer: the job retries at its next period and the refusal is counted).
     */
    record Producer(String channel, long size, ExecTime exec, long period) implements TaskModel {}

    /** Receives messages from {@code channel} (blocking) and computes {@code exec} per message. */
    record Consumer(String channel, ExecTime exec) implements TaskModel {}

    /**
     * Attempts {@code rate} stores a second at random addresses drawn from {@code targets}
     * (own, other-sandboxes, monitor, ept, kernel-text), as a user thread or with the kernel's
     * privileges (a faulty driver).
     */
    record WildWriter(double ratePerSecond, boolean kernelPrivilege, java.util.List<String> targets) implements TaskModel {
        public WildWriter {
            targets = java.util.List.copyOf(targets);
        }
    }
}
