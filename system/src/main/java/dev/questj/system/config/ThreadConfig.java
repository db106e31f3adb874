package dev.questj.system.config;

/**
 * A thread: its name, the VCPU it runs on, and what it does.
 *
 * @param ioVcpu the I/O VCPU that serves this thread's I/O (per-task assignment), or null: the
 *               device's or its class's I/O VCPU
 * @param restartable whether a recovered sandbox starts it again (default true)
 */
public record ThreadConfig(String name, String vcpu, TaskModel model, String ioVcpu, Location location,
        boolean restartable) {
    public ThreadConfig(String name, String vcpu, TaskModel model, Location location) {
        this(name, vcpu, model, null, location, true);
    }

    public ThreadConfig(String name, String vcpu, TaskModel model, String ioVcpu, Location location) {
        this(name, vcpu, model, ioVcpu, location, true);
    }
}
