package dev.questj.system;

import dev.questj.kernel.KThread;
import dev.questj.kernel.Kernel;
import dev.questj.kernel.MigrationThread;
import dev.questj.kernel.ScheduleSink;
import dev.questj.kernel.Vcpu;
import dev.questj.sim.Rng;
import dev.questj.system.config.ConfigError;
import dev.questj.system.config.ConfigException;
import dev.questj.system.config.Location;
import dev.questj.system.config.MigrationConfig;
import dev.questj.system.config.SandboxConfig;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.Units;
import dev.questj.system.config.VcpuConfig;
import dev.questj.vmm.Migration;
import dev.questj.vmm.QuestV;
import dev.questj.vmm.Sandbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a run's migrations (docs/DESIGN.md "Migration"): the migration VCPU of every destination
 * sandbox (added to the sandbox's VCPUs, so placement and admission count it like any other), its
 * migration thread, the sandboxes' clock offsets, the threads' address spaces and the requests; and
 * reads the command line's {@code --migrate} specs.
 */
public final class Migrations {
    private Migrations() {}

    /** {@code cfg} with a Main VCPU {@value MigrationConfig#VCPU_NAME} added to every sandbox some migration goes to. */
    static SystemConfig withMigrationVcpus(SystemConfig cfg) {
        MigrationConfig m = cfg.migration();
        if (!cfg.questV().enabled() || m == null || !m.any()) {
            return cfg;
        }
        MigrationConfig.Settings s = m.effective(cfg.machine().frequencyHz());
        List<String> destinations = m.destinations(cfg.questV());
        List<SandboxConfig> sandboxes = new ArrayList<>();
        for (SandboxConfig sc : cfg.questV().sandboxes()) {
            if (destinations.contains(sc.name()) && sc.vcpus().stream().noneMatch(v -> v.name().equals(MigrationConfig.VCPU_NAME))) {
                List<VcpuConfig> vcpus = new ArrayList<>(sc.vcpus());
                vcpus.add(new VcpuConfig(MigrationConfig.VCPU_NAME, s.budgetOf(sc.name()), s.periodOf(sc.name()),
                        s.coreOf(sc.name()), sc.location().child("migration")));
                sc = new SandboxConfig(sc.name(), sc.cores(), sc.memoryBytes(), sc.devices(), vcpus, sc.threads(), sc.location(),
                        sc.linux(), sc.recovery(), sc.watchdog());
            }
            sandboxes.add(sc);
        }
        var q = cfg.questV();
        return cfg.withQuestV(q.withSandboxes(sandboxes));
    }

    /**
     * Sets up the run's migrations, or returns null in SMP mode. In Quest-V mode every kernel takes its
     * threads' own requests ({@link dev.questj.guest.GuestContext#migrate}) to it, even without a
     * {@code migration} section (a request to a sandbox without a migration thread is then refused).
     * {@code kernels} are in sandbox order.
     */
    static Migration setUp(SystemConfig cfg, QuestV vmm, List<Kernel> kernels, ScheduleSink sink, Migration.Log log, Rng rng) {
        if (vmm == null) {
            return null;
        }
        MigrationConfig m = cfg.migration() == null ? MigrationConfig.NONE : cfg.migration();
        MigrationConfig.Settings s = m.effective(cfg.machine().frequencyHz());
        Migration migration = new Migration(vmm, sink, log, s.memoryBytes());
        Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
        Map<String, KThread> threads = new LinkedHashMap<>();
        for (int i = 0; i < kernels.size(); i++) {
            Sandbox sandbox = vmm.sandboxes().get(i);
            sandboxes.put(sandbox.name(), sandbox);
            migration.setClockOffset(sandbox, s.clockOffsetOf(sandbox.name()));
            for (KThread t : kernels.get(i).threads()) {
                threads.put(t.name(), t);
                migration.setMemory(t, s.memoryOf(t.name()));
            }
            kernels.get(i).setMigrator(migration);
        }
        for (String d : m.destinations(cfg.questV())) {
            Sandbox sandbox = sandboxes.get(d);
            Kernel kernel = sandbox.kernel();
            Vcpu vcpu = kernel.vcpus().stream().filter(v -> v.name().equals(MigrationConfig.VCPU_NAME)).findFirst().orElseThrow();
            migration.addMigrationThread(sandbox, new MigrationThread(kernel, vcpu, s.pageCopyCycles(),
                    rng.stream("migration:" + d)));
        }
        for (MigrationConfig.Request r : m.requests()) {
            migration.request(r.atCycles(), threads.get(r.thread()), sandboxes.get(r.to()), r.by());
        }
        return migration;
    }

    /**
     * A {@code --migrate} spec, {@code "at=4s thread=planner to=spare"} (fields in any order,
     * separated by blanks or commas), at frequency {@code hz}.
     *
     * @throws IllegalArgumentException with one clear message
     */
    public static MigrationConfig.Request parse(String spec, long hz) {
        Map<String, String> fields;
        try {
            fields = dev.questj.system.config.KeyValueSpec.parse(spec, List.of("at", "thread", "to"), List.of("at", "thread", "to"),
                    "at=TIME thread=NAME to=SANDBOX", "at=4s thread=planner to=spare");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--migrate \"" + spec + "\": " + e.getMessage());
        }
        long at;
        try {
            at = Units.cycles(fields.get("at"), hz);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--migrate \"" + spec + "\": at: " + e.getMessage());
        }
        return new MigrationConfig.Request(at, fields.get("thread"), fields.get("to"), new Location("--migrate \"" + spec + "\"", 0, 0, ""),
                MigrationConfig.Request.BY_COMMAND_LINE);
    }

    /** {@code cfg} with {@code more} requests, checked with the file's: every problem located. */
    static SystemConfig plus(SystemConfig cfg, List<MigrationConfig.Request> more) throws ConfigException {
        if (more.isEmpty()) {
            return cfg;
        }
        if (!cfg.questV().enabled()) {
            throw new ConfigException(more.getFirst().location(), "migrations move threads between sandboxes: "
                    + cfg.source() + " has none (SMP mode)");
        }
        MigrationConfig m = (cfg.migration() == null ? MigrationConfig.NONE : cfg.migration()).plus(more);
        List<ConfigError> errors = MigrationConfig.check(cfg.questV(), m.settings(), m.requests(), cfg.machine().frequencyHz());
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return cfg.withMigration(m);
    }
}
