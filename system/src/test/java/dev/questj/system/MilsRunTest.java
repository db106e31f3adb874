package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.questj.system.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels severed at run time (examples/mils.yaml): through the monitors, nothing shared left, nothing lost. */
class MilsRunTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void afterEveryChannelIsSeveredNoFrameIsSharedAndNoMessageIsLost() throws Exception {
        RunResult r = QuestSystem.load(Examples.file("mils.yaml")).withSeverances(List.of("at=1500ms channel=imu-data"))
                .run(RunOptions.inMemory().withDuration(2 * SECOND).withChecks(true));

        assertThat(r.isolation().sharedFrames()).as("the EPTs share nothing").isEmpty();
        Audit audit = Audit.of(r);
        assertThat(audit.declaredFrames()).isEmpty();
        assertThat(audit.severedChannels()).containsExactly("imu-data", "telemetry");
        assertThat(audit.equalsDeclared()).isTrue();
        assertThat(r.channels()).allSatisfy(c -> {
            assertThat(c.severedAt()).as(c.name()).isNotNull();
            assertThat(c.lost()).as(c.name()).isZero();
            assertThat(c.corrupted()).as(c.name()).isZero();
            assertThat(c.sent()).as("%s: every message delivered or discarded, counted", c.name())
                    .isEqualTo(c.delivered() + c.discardedAtSeverance());
            assertThat(c.refusedAfterSeverance()).as(c.name()).isPositive();
        });
        assertThat(r.channel("imu-data").severedAt()).isEqualTo(1_500_000_000L);
        assertThat(r.vmExits().byReason().get("hypercall")).as("one hypercall on each end per severance").isEqualTo(4);
        assertThat(r.vmExits().afterBoot()).isEqualTo(4);
        assertThat(r.guestFaults()).as("severance is a status, not a fault").isZero();
        assertThat(r.deadlineMisses()).isZero();
    }

    @Test
    void aSeveredChannelAnswersSeveredDiscardsWhatWasQueuedAndWakesItsReceiver(@TempDir Path out) throws Exception {
        RunResult r = QuestSystem.load(Examples.file("mils.yaml"))
                .run(RunOptions.inMemory().withDuration(2 * SECOND).withOut(out));

        RunResult.ChannelResult telemetry = r.channel("telemetry");
        assertThat(telemetry.severedAt()).isEqualTo(1_005_000_000L);
        assertThat(telemetry.discardedAtSeverance()).as("the report waiting for comms' next poll").isEqualTo(1);
        assertThat(telemetry.lost()).isZero();
        assertThat(telemetry.sent()).isEqualTo(telemetry.delivered() + 1);
        // report sends every 20 ms: from 1.02 s to 2 s, 49 sends answered "severed" (downlink ended, asks nothing)
        assertThat(telemetry.refusedAfterSeverance()).isEqualTo(49);
        assertThat(r.thread("downlink").completed()).isEqualTo(telemetry.delivered());
        assertThat(r.channel("imu-data").severedAt()).isNull();
        assertThat(Audit.of(r).sharedFrames()).containsExactly(java.util.Map.entry("channel imu-data", 1L));
        assertThat(Audit.of(r).equalsDeclared()).isTrue();

        List<String> log = Files.readAllLines(out.resolve("log.txt"));
        assertThat(log).as("downlink, blocked in receive, is woken at the severance itself with the status")
                .anySatisfy(l -> assertThat(l).contains("1.005000", "downlink", "channel telemetry was severed"));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("report", "channel telemetry was severed: sends are refused"));
        String schedule = Files.readString(out.resolve("schedule.jsonl"));
        assertThat(schedule).contains("{\"event\":\"sever\",\"time\":1005000000,\"core\":0,\"detail\":\"channel telemetry: frames"
                + " revoked from control and comms; 1 queued message discarded\"}");
        assertThat(schedule).contains("\"detail\":\"hypercall: sever channel telemetry\"");
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertThat(metrics).contains("\"audit\"", "\"equalsDeclared\" : true", "\"severedChannels\" : [\n      \"telemetry\"\n    ]",
                "\"discardedAtSeverance\" : 1");
    }

    @Test
    void aSeveranceAfterTheEndDoesNotHappenAndTheChannelStillDeclaresItsFrames() throws Exception {
        RunResult r = QuestSystem.load(Examples.file("mils.yaml")).run(RunOptions.inMemory().withDuration(SECOND));

        assertThat(r.channel("telemetry").severedAt()).isNull();
        assertThat(Audit.of(r).declaredFrames()).containsOnlyKeys("channel imu-data", "channel telemetry");
        assertThat(Audit.of(r).equalsDeclared()).isTrue();
    }

    @Test
    void withTheMonitorsRemovedNothingCanBeSevered() throws Exception {
        QuestSystem q = QuestSystem.load(Examples.file("quest-v.yaml"));

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> q.withSeverances(List.of("at=1s channel=telemetry")));

        assertThat(e.getMessage()).isEqualTo("--sever \"at=1s channel=telemetry\": channel telemetry cannot be severed: the"
                + " monitors are removed after boot (monitors.afterBoot: remove) and only the monitors can revoke a channel's"
                + " frames from the EPTs; keep the monitors to sever channels");
    }
}
