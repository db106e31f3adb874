package dev.questj.system.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Migrations between Quest-V sandboxes (docs/CONFIG.md "migration and migrations"): the settings of
 * the top-level {@code migration} section (null: it was left out, every default applies) and the
 * requests of {@code migrations} (plus those the command line adds).
 */
public record MigrationConfig(Settings settings, List<Request> requests) {
    public static final MigrationConfig NONE = new MigrationConfig(null, List.of());
    public static final String DEFAULT_PAGE_COPY = "1000 cycles";
    public static final String DEFAULT_MEMORY = "256KiB";
    public static final String DEFAULT_BUDGET = "500us";
    public static final String DEFAULT_PERIOD = "10ms";
    /** The name of the migration VCPU added to every destination sandbox. */
    public static final String VCPU_NAME = "migration";

    public MigrationConfig {
        requests = List.copyOf(requests);
    }

    /**
     * The {@code migration} section.
     *
     * @param pageCopyCycles what copying one 4 KiB page (a frame or a page table) costs the migration thread
     * @param memoryBytes    a thread's address space, unless {@code threads} says otherwise
     * @param budgetCycles   the migration VCPU's budget Cm, unless {@code sandboxes} says otherwise
     * @param periodCycles   its period Tm
     */
    public record Settings(long pageCopyCycles, long memoryBytes, long budgetCycles, long periodCycles,
            List<SandboxSettings> sandboxes, List<ThreadMemory> threads) {
        public Settings {
            sandboxes = List.copyOf(sandboxes);
            threads = List.copyOf(threads);
        }

        public static Settings defaults(long hz) {
            return new Settings(Units.cycles(DEFAULT_PAGE_COPY, hz), Units.bytes(DEFAULT_MEMORY),
                    Units.cycles(DEFAULT_BUDGET, hz), Units.cycles(DEFAULT_PERIOD, hz), List.of(), List.of());
        }

        public SandboxSettings sandbox(String name) {
            return sandboxes.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        }

        /** The migration VCPU's budget in sandbox {@code name}. */
        public long budgetOf(String name) {
            SandboxSettings s = sandbox(name);
            return s == null || s.budgetCycles() == null ? budgetCycles : s.budgetCycles();
        }

        public long periodOf(String name) {
            SandboxSettings s = sandbox(name);
            return s == null || s.periodCycles() == null ? periodCycles : s.periodCycles();
        }

        /** The PCPU of the migration VCPU of sandbox {@code name}, or -1 for first fit. */
        public int coreOf(String name) {
            SandboxSettings s = sandbox(name);
            return s == null ? -1 : s.core();
        }

        public long clockOffsetOf(String name) {
            SandboxSettings s = sandbox(name);
            return s == null ? 0 : s.clockOffsetCycles();
        }

        public long memoryOf(String thread) {
            return threads.stream().filter(t -> t.name().equals(thread)).map(ThreadMemory::bytes).findFirst().orElse(memoryBytes);
        }
    }

    /**
     * Per sandbox: its migration VCPU (null: the section's), its local clock's offset from the
     * simulator's, and whether it {@code receives} migrations that threads ask for themselves (it then
     * gets a migration VCPU even when no request of the description or the command line goes there).
     */
    public record SandboxSettings(String name, Long budgetCycles, Long periodCycles, int core, long clockOffsetCycles,
            boolean receives, Location location) {
        public SandboxSettings(String name, Long budgetCycles, Long periodCycles, int core, long clockOffsetCycles,
                Location location) {
            this(name, budgetCycles, periodCycles, core, clockOffsetCycles, false, location);
        }
    }

    /** A thread's address space. */
    public record ThreadMemory(String name, long bytes, Location location) {}

    /** Move {@code thread} to sandbox {@code to} at {@code atCycles}; {@code by}: {@link #BY_CONFIG} or {@link #BY_COMMAND_LINE}. */
    public record Request(long atCycles, String thread, String to, Location location, String by) {
        public static final String BY_CONFIG = "config";
        public static final String BY_COMMAND_LINE = "command-line";

        /** A request of the description's {@code migrations}. */
        public Request(long atCycles, String thread, String to, Location location) {
            this(atCycles, thread, to, location, BY_CONFIG);
        }
    }

    /** The settings in force: the section's, or every default at {@code hz}. */
    public Settings effective(long hz) {
        return settings != null ? settings : Settings.defaults(hz);
    }

    /** Whether the run has migrations: requests, or a sandbox that receives those threads ask for. */
    public boolean any() {
        return !requests.isEmpty() || settings != null && settings.sandboxes().stream().anyMatch(SandboxSettings::receives);
    }

    /** The same settings with {@code more} requests after these. */
    public MigrationConfig plus(List<Request> more) {
        List<Request> all = new ArrayList<>(requests);
        all.addAll(more);
        return new MigrationConfig(settings, all);
    }

    /** The sandboxes some request moves a thread to, or that receive threads' own requests, in the order of the sandboxes. */
    public List<String> destinations(QuestVConfig questV) {
        Set<String> to = new LinkedHashSet<>();
        requests.forEach(r -> to.add(r.to()));
        if (settings != null) {
            settings.sandboxes().stream().filter(SandboxSettings::receives).forEach(s -> to.add(s.name()));
        }
        return questV.sandboxes().stream().map(SandboxConfig::name).filter(to::contains).toList();
    }

    /**
     * The checks made before a run, in request time order as if every earlier migration succeeded:
     * each thread exists and can migrate (periodic or sporadic: it has job boundaries), the target
     * sandbox exists and is not the one the thread is in, the thread's VCPU runs only that thread,
     * the destination has an unused Main VCPU of the same budget and period, and the monitors stay.
     */
    public static List<ConfigError> check(QuestVConfig questV, Settings settings, List<Request> requests, long hz) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, SandboxConfig> sandboxes = new LinkedHashMap<>();
        questV.sandboxes().forEach(s -> sandboxes.put(s.name(), s));
        // where each thread is (sandbox, VCPU) as the migrations go
        Map<String, String[]> place = new LinkedHashMap<>();
        Map<String, ThreadConfig> threads = new LinkedHashMap<>();
        for (SandboxConfig s : questV.sandboxes()) {
            for (ThreadConfig t : s.threads()) {
                place.put(t.name(), new String[] {s.name(), t.vcpu()});
                threads.put(t.name(), t);
            }
        }
        if (settings != null) {
            for (SandboxSettings s : settings.sandboxes()) {
                SandboxConfig sc = sandboxes.get(s.name());
                if (sc == null) {
                    errors.add(new ConfigError(s.location(), unknownSandbox(s.name(), sandboxes.keySet())));
                } else if (s.core() >= 0 && !sc.cores().contains(s.core())) {
                    errors.add(new ConfigError(s.location(), "core " + s.core() + " is not one of sandbox " + s.name()
                            + "'s cores " + sc.cores()));
                } else if (s.receives() && sc.isLinux()) {
                    errors.add(new ConfigError(s.location(), "sandbox " + s.name() + " is a Quest-Linux sandbox: it has no"
                            + " Main VCPUs, so it cannot receive a migration"));
                }
                if (s.receives() && questV.monitors().removeAfterBoot()) {
                    errors.add(new ConfigError(s.location(), "sandbox " + s.name() + " receives migrations, which need the"
                            + " monitors, but monitors.afterBoot is remove"));
                }
                long b = settings.budgetOf(s.name());
                long p = settings.periodOf(s.name());
                if (b > p) {
                    errors.add(new ConfigError(s.location(), "the migration VCPU's budget " + Units.duration(b, hz) + " exceeds its period "
                            + Units.duration(p, hz)));
                }
            }
            for (ThreadMemory m : settings.threads()) {
                if (!threads.containsKey(m.name())) {
                    errors.add(new ConfigError(m.location(), unknownThread(m.name(), threads.keySet())));
                }
            }
        }
        for (String d : new MigrationConfig(settings, requests).destinations(questV)) {
            if (sandboxes.get(d).vcpus().stream().anyMatch(v -> v.name().equals(VCPU_NAME))) {
                errors.add(new ConfigError(sandboxes.get(d).location(), "sandbox " + d + " receives a migration, so it gets"
                        + " a migration VCPU named " + Units.quote(VCPU_NAME) + ": rename its own VCPU of that name"));
            }
        }
        List<Request> ordered = requests.stream().sorted(Comparator.comparingLong(Request::atCycles)).toList();
        for (Request r : ordered) {
            String problem = problem(r, questV, sandboxes, place, threads, hz);
            if (problem != null) {
                errors.add(new ConfigError(r.location(), problem));
            }
        }
        return errors;
    }

    private static String problem(Request r, QuestVConfig questV, Map<String, SandboxConfig> sandboxes,
            Map<String, String[]> place, Map<String, ThreadConfig> threads, long hz) {
        ThreadConfig t = threads.get(r.thread());
        if (t == null) {
            return unknownThread(r.thread(), threads.keySet());
        }
        if (!(t.model() instanceof TaskModel.Periodic) && !(t.model() instanceof TaskModel.Sporadic)) {
            return "thread " + r.thread() + " cannot migrate: only periodic and sporadic threads (which have job boundaries) can";
        }
        SandboxConfig to = sandboxes.get(r.to());
        if (to == null) {
            return unknownSandbox(r.to(), sandboxes.keySet());
        }
        for (SandboxConfig s : sandboxes.values()) {
            if (s.isLinux() && (s.name().equals(r.to()) || s.threads().stream().anyMatch(x -> x.name().equals(r.thread())))) {
                return "thread " + r.thread() + " cannot migrate " + (s.name().equals(r.to()) ? "to" : "from") + " sandbox "
                        + s.name() + ": it is a linux sandbox (fair-scheduled processes, no VCPU state to carry); only"
                        + " threads of Quest sandboxes migrate";
            }
        }
        if (questV.monitors().removeAfterBoot()) {
            return "a migration needs the monitors, but monitors.afterBoot is remove";
        }
        String[] where = place.get(r.thread());
        if (where[0].equals(r.to())) {
            return "thread " + r.thread() + " is already in sandbox " + r.to() + " then";
        }
        SandboxConfig from = sandboxes.get(where[0]);
        VcpuConfig own = from.vcpus().stream().filter(v -> v.name().equals(where[1])).findFirst().orElseThrow();
        List<String> others = place.entrySet().stream()
                .filter(e -> !e.getKey().equals(r.thread()) && e.getValue()[0].equals(where[0]) && e.getValue()[1].equals(where[1]))
                .map(Map.Entry::getKey).toList();
        if (!others.isEmpty()) {
            return "VCPU " + own.name() + " of sandbox " + from.name() + " also runs " + ConfigReader.and(others)
                    + ": a migrating thread needs a VCPU of its own";
        }
        for (VcpuConfig v : to.vcpus()) {
            if (!v.isIo() && v.budgetCycles() == own.budgetCycles() && v.periodCycles() == own.periodCycles()
                    && place.values().stream().noneMatch(p -> p[0].equals(to.name()) && p[1].equals(v.name()))) {
                place.put(r.thread(), new String[] {to.name(), v.name()});
                return null;
            }
        }
        return "sandbox " + to.name() + " has no unused Main VCPU with budget " + Units.duration(own.budgetCycles(), hz)
                + " and period " + Units.duration(own.periodCycles(), hz) + " (those of VCPU " + own.name() + " of thread " + r.thread()
                + "): add one there";
    }

    private static String unknownThread(String name, Set<String> names) {
        return "unknown thread " + Units.quote(name) + "; threads are: " + String.join(", ", names);
    }

    private static String unknownSandbox(String name, Set<String> names) {
        return "unknown sandbox " + Units.quote(name) + "; sandboxes are: " + String.join(", ", names);
    }
}
