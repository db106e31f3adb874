package dev.questj.system.config;

import java.util.Map;

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

    /** A Java guest program: a class implementing dev.questj.guest.GuestProgram, with string args. */
    record Program(String className, long period, Map<String, String> args) implements TaskModel {
        public Program {
            args = Map.copyOf(args);
        }
    }
}
