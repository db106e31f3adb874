package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.questj.system.config.ChannelConfig;
import dev.questj.system.config.DeviceConfig;
import dev.questj.system.config.DeviceModel;
import dev.questj.system.config.ExecTime;
import dev.questj.system.config.KernelSettings;
import dev.questj.system.config.Location;
import dev.questj.system.config.MachineConfig;
import dev.questj.system.config.MonitorsConfig;
import dev.questj.system.config.OverheadsConfig;
import dev.questj.system.config.ProtectionConfig;
import dev.questj.system.config.QuestVConfig;
import dev.questj.system.config.SandboxConfig;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.config.TaskModel;
import dev.questj.system.config.ThreadConfig;
import dev.questj.system.config.VcpuConfig;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of Quest-V over random layouts and random attacks and traffic: isolation (nothing reaches
 * what was not granted, every blocked attempt counted exactly once) and channels (every message
 * delivered exactly once, in order, uncorrupted, or the sender was told "full").
 */
class QuestVPropertyTest {
    private static final long HZ = 1_000_000_000L;
    private static final long US = HZ / 1_000_000;
    private static final long MS = HZ / 1000;
    private static final Location L = Location.NONE;
    private static final List<String> TARGETS = List.of("other-sandboxes", "monitor", "ept", "kernel-text");

    /** A random layout: 2-4 sandboxes, one PCPU each, random memory; random wild writers and rogue devices. */
    static SystemConfig attacked(long seed, ProtectionConfig protection) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(3);
        List<DeviceConfig> devices = new ArrayList<>();
        List<SandboxConfig> sandboxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> mine = new ArrayList<>();
            if (r.nextBoolean()) {
                String d = "rogue" + i;
                devices.add(new DeviceConfig(d, i, new DeviceConfig.DriverCost(US, US, 0),
                        new DeviceModel.Rogue(r.nextInt(3000), 1 + r.nextInt(1000)), L));
                mine.add(d);
            }
            List<ThreadConfig> threads = new ArrayList<>();
            threads.add(new ThreadConfig("victim" + i, "v" + i,
                    new TaskModel.Periodic(10 * MS, 10 * MS, new ExecTime.Constant(2 * MS), 0), L));
            int writers = r.nextInt(3);
            for (int w = 0; w < writers; w++) {
                List<String> targets = TARGETS.subList(0, 1 + r.nextInt(TARGETS.size()));
                threads.add(new ThreadConfig("writer" + i + "." + w, "a" + i,
                        new TaskModel.WildWriter(100 + r.nextInt(5000), r.nextBoolean(), targets), L));
            }
            sandboxes.add(new SandboxConfig("s" + i, List.of(i), (4L + r.nextInt(12)) << 20, mine,
                    List.of(new VcpuConfig("v" + i, 3 * MS, 10 * MS, i, L), new VcpuConfig("a" + i, 2 * MS, 20 * MS, i, L)),
                    threads, L));
        }
        var machine = new MachineConfig(n, 1, HZ, 128L << 20, devices, L);
        var qv = new QuestVConfig(sandboxes, List.of(), protection, new MonitorsConfig(false), 1500);
        return new SystemConfig("<property>", "attacked", seed, 200 * MS, machine, OverheadsConfig.NONE,
                new KernelSettings(MS, 32, KernelSettings.Admission.ENFORCE), List.of(), List.of(), qv);
    }

    /** Counts schedule.jsonl's event lines of one kind. */
    static long events(Path schedule, String kind) throws Exception {
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(schedule)) {
            JsonFactory f = new JsonFactory();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                try (JsonParser p = f.createParser(line)) {
                    while (p.nextToken() != JsonToken.END_OBJECT) {
                        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("event")) {
                            p.nextToken();
                            if (p.getText().equals(kind)) {
                                n++;
                            }
                            break;
                        }
                    }
                }
            }
        }
        return n;
    }

    @Property(tries = 25)
    void withProtectionsNothingReachesWhatWasNotGrantedAndEveryAttemptIsCountedOnce(@ForAll @LongRange(min = 1, max = 1_000_000) long seed)
            throws Exception {
        Path out = Files.createTempDirectory("qv-prop");
        RunResult r = QuestSystem.of(attacked(seed, ProtectionConfig.FULL)).run(RunOptions.inMemory().withOut(out));

        assertThat(r.isolation().breaches()).isZero();
        assertThat(r.isolation().blocked()).isEqualTo(r.isolation().attempts());
        assertThat(events(out.resolve("schedule.jsonl"), "blocked")).as("one event per blocked attempt")
                .isEqualTo(r.isolation().attempts());
        assertThat(events(out.resolve("schedule.jsonl"), "breach")).isZero();
        for (var kind : r.isolation().byKind().values()) {
            assertThat(kind.get("blocked") + kind.get("breaches")).isEqualTo(kind.get("attempts"));
        }
        assertThat(r.threads()).filteredOn(t -> t.name().startsWith("victim"))
                .allSatisfy(t -> assertThat(t.deadlineMisses()).as(t.name()).isZero());
    }

    @Property(tries = 15)
    void withoutProtectionsEveryAttemptIsEitherBlockedOnceOrCountedAsABreach(@ForAll @LongRange(min = 1, max = 1_000_000) long seed)
            throws Exception {
        Path out = Files.createTempDirectory("qv-prop");
        RunResult r = QuestSystem.of(attacked(seed, ProtectionConfig.MMU_ONLY)).run(RunOptions.inMemory().withOut(out));

        Path log = out.resolve("schedule.jsonl");
        assertThat(events(log, "blocked") + events(log, "breach")).isEqualTo(r.isolation().attempts());
        assertThat(r.isolation().blocked() + r.isolation().breaches()).isEqualTo(r.isolation().attempts());
        assertThat(r.isolation().byKind().get("cpuWrite").getOrDefault("blockedByEpt", 0L)).isZero();
    }

    /** Random channel traffic: ring size, message size, producer and consumer rates, latency, doorbell or poll. */
    @Property(tries = 30)
    void everyMessageIsDeliveredOnceInOrderUncorruptedOrTheSenderWasToldFull(
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed, @ForAll @IntRange(min = 1, max = 4) int pages,
            @ForAll boolean doorbell, @ForAll boolean fourSlot) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        long producerPeriod = (50 + r.nextInt(2000)) * US;
        long consumerExec = (10 + r.nextInt(3000)) * US;
        long size = fourSlot ? 1 + r.nextInt(256) : 1 + r.nextInt(240);
        var a = new SandboxConfig("a", List.of(0), 4L << 20, List.of(), List.of(new VcpuConfig("p", 2 * MS, 5 * MS, 0, L)),
                List.of(new ThreadConfig("producer", "p", new TaskModel.Producer("c", size, new ExecTime.Constant(10 * US), producerPeriod), L)), L);
        var b = new SandboxConfig("b", List.of(1), 4L << 20, List.of(), List.of(new VcpuConfig("q", 3 * MS, 5 * MS, 1, L)),
                List.of(new ThreadConfig("consumer", "q", new TaskModel.Consumer("c", new ExecTime.Constant(consumerExec)), L)), L);
        var channel = new ChannelConfig("c", "a", "b", fourSlot ? ChannelConfig.Kind.FOUR_SLOT : ChannelConfig.Kind.RING, false,
                pages * 4096L, r.nextInt(100) * US, doorbell, (1 + r.nextInt(5)) * MS, true, L);
        var machine = new MachineConfig(2, 1, HZ, 64L << 20, List.of(), L);
        var cfg = new SystemConfig("<property>", "channel", seed, 300 * MS, machine, OverheadsConfig.NONE,
                new KernelSettings(MS, 32, KernelSettings.Admission.ENFORCE), List.of(), List.of(),
                new QuestVConfig(List.of(a, b), List.of(channel), ProtectionConfig.FULL, new MonitorsConfig(false), 1500));

        RunResult res = QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true));
        RunResult.ChannelResult c = res.channels().getFirst();
        RunResult.ThreadResult producer = res.thread("producer");
        RunResult.ThreadResult consumer = res.thread("consumer");

        assertThat(c.corrupted()).as("in order and intact: the receiver checks sequence and checksum").isZero();
        assertThat(c.lost()).isZero();
        assertThat(producer.completed()).as("each period either sent or was refused, and the producer knew")
                .isEqualTo(c.sent() + c.refused());
        assertThat(consumer.completed()).as("one job per message received").isBetween(c.delivered() - 1, c.delivered());
        if (!fourSlot) {
            assertThat(c.delivered()).isLessThanOrEqualTo(c.sent());
        }
    }
}
