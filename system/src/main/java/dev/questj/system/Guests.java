package dev.questj.system;

import dev.questj.guest.BestEffort;
import dev.questj.guest.CpuHog;
import dev.questj.guest.ExecDistribution;
import dev.questj.guest.Guest;
import dev.questj.guest.GuestProgram;
import dev.questj.guest.IoBound;
import dev.questj.guest.NetworkReceiver;
import dev.questj.guest.Producer;
import dev.questj.guest.Consumer;
import dev.questj.guest.WildWriter;
import dev.questj.guest.Periodic;
import dev.questj.guest.ProgramGuest;
import dev.questj.guest.Sporadic;
import dev.questj.system.config.ConfigException;
import dev.questj.system.config.ExecTime;
import dev.questj.system.config.TaskModel;
import dev.questj.system.config.ThreadConfig;

/** Turns a thread's task model into the guest that runs it. */
public final class Guests {
    private Guests() {}

    /** Creates the guest of thread {@code t} on a machine of {@code hz} cycles a second. */
    public static Guest create(ThreadConfig t, long hz) throws ConfigException {
        return switch (t.model()) {
            case TaskModel.Periodic p -> new Periodic(p.period(), p.deadline(), exec(p.exec()), p.offset());
            case TaskModel.Sporadic s -> new Sporadic(s.minInterarrival(), s.maxExtra(), s.deadline(), exec(s.exec()), s.offset());
            case TaskModel.CpuHog h -> new CpuHog();
            case TaskModel.BestEffort b -> new BestEffort(exec(b.exec()));
            case TaskModel.Program p -> new ProgramGuest(t.name(), instantiate(t, p.className()), p.period(), p.args());
            case TaskModel.IoBound io -> new IoBound(io.device(), io.op(), io.size(), exec(io.exec()), io.period(), io.deadline());
            case TaskModel.NetworkReceiver n -> new NetworkReceiver(n.device(), n.port(), exec(n.exec()), n.deadline());
            case TaskModel.Producer p -> new Producer(p.channel(), p.size(), exec(p.exec()), p.period());
            case TaskModel.Consumer c -> new Consumer(c.channel(), exec(c.exec()), hz / 1000); // a four-slot consumer looks every 1 ms
            case TaskModel.WildWriter w -> new WildWriter(hz / w.ratePerSecond(), w.targets());
        };
    }

    /**
     * The guest of thread {@code t} started again by a recovery at {@code at}: a periodic thread
     * keeps its phase (its next release is the first of its original grid at or after {@code at}),
     * and so do producers and I/O-bound threads; a sporadic one starts afresh at {@code at}; the
     * others start as at boot (they take their times from the moment they first run).
     */
    public static Guest restarted(ThreadConfig t, long hz, long at) throws ConfigException {
        return switch (t.model()) {
            case TaskModel.Periodic p -> new Periodic(p.period(), p.deadline(), exec(p.exec()),
                    at <= p.offset() ? p.offset() : p.offset() + Math.ceilDiv(at - p.offset(), p.period()) * p.period());
            case TaskModel.Sporadic s -> new Sporadic(s.minInterarrival(), s.maxExtra(), s.deadline(), exec(s.exec()),
                    Math.max(at, s.offset()));
            case TaskModel.Producer p -> new Producer(p.channel(), p.size(), exec(p.exec()), p.period())
                    .firstReleaseAt(Math.ceilDiv(at, p.period()) * p.period());
            case TaskModel.IoBound io -> new IoBound(io.device(), io.op(), io.size(), exec(io.exec()), io.period(), io.deadline())
                    .firstReleaseAt(io.period() == 0 ? at : Math.ceilDiv(at, io.period()) * io.period());
            default -> create(t, hz);
        };
    }

    /** The name of a task model as the config writes it. */
    public static String modelName(TaskModel m) {
        return switch (m) {
            case TaskModel.Periodic p -> "periodic";
            case TaskModel.Sporadic s -> "sporadic";
            case TaskModel.CpuHog h -> "cpu-hog";
            case TaskModel.BestEffort b -> "best-effort";
            case TaskModel.Program p -> "program";
            case TaskModel.IoBound io -> "io-bound";
            case TaskModel.NetworkReceiver n -> "network-receiver";
            case TaskModel.Producer p -> "producer";
            case TaskModel.Consumer c -> "consumer";
            case TaskModel.WildWriter w -> "wild-writer";
        };
    }

    static ExecDistribution exec(ExecTime e) {
        return switch (e) {
            case ExecTime.Constant c -> ExecDistribution.constant(c.cycles());
            case ExecTime.Uniform u -> ExecDistribution.uniform(u.min(), u.max());
            case ExecTime.Normal n -> ExecDistribution.normal(n.mean(), n.sd(), n.min(), n.max());
        };
    }

    /** Loads a guest program class; every failure is a located config error. */
    static GuestProgram instantiate(ThreadConfig t, String className) throws ConfigException {
        var at = t.location().child("class");
        Class<?> c;
        try {
            c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException(at, "class " + className + " is not on the classpath (put its jar on the classpath, e.g. java -cp quest.jar:yours.jar dev.questj.cli.Main)");
        }
        if (!GuestProgram.class.isAssignableFrom(c)) {
            throw new ConfigException(at, "class " + className + " does not implement " + GuestProgram.class.getName());
        }
        try {
            return (GuestProgram) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ConfigException(at, "class " + className + " cannot be created with a public no-argument constructor: " + e);
        }
    }
}
