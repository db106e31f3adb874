package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.questj.system.config.ConfigException;
import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.FaultConfig;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every fault kind, injected into sandbox comms of examples/fault-recovery.yaml: it is detected, the
 * sandbox recovers (or the fault is contained), comms runs its restartable threads again, and no
 * other sandbox misses a deadline or loses a message.
 */
class FaultRecoveryTest {
    private static final long MS = 1_000_000;
    /** comms' threads the config marks restartable (diag is not). */
    private static final Set<String> RESTARTABLE = Set.of("rx", "downlink", "status-out", "housekeeping");

    /** examples/fault-recovery.yaml without its own faults, with {@code specs} injected as --inject would. */
    static SystemConfig withOnly(String... specs) throws Exception {
        SystemConfig file = ConfigReader.read(Examples.file("fault-recovery.yaml"));
        SystemConfig clean = new SystemConfig(file.source(), file.name(), file.seed(), file.durationCycles(), file.machine(),
                file.overheads(), file.kernel(), file.vcpus(), file.threads(), file.questV().withOnlyFaults(List.of()));
        List<FaultConfig> faults = new java.util.ArrayList<>();
        for (String s : specs) {
            faults.add(FaultReader.parse(s, clean));
        }
        return clean.withFaults(faults);
    }

    static RunResult run(SystemConfig cfg) throws Exception {
        return QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kind=kernel-panic", "kind=kernel-wild-write", "kind=unresponsive", "kind=hung-driver device=eth0"})
    void aFailedSandboxIsDetectedRecoveredAndRunsItsRestartableThreadsAgain(String kind) throws Exception {
        RunResult r = run(withOnly("at=1s sandbox=comms " + kind));

        assertThat(r.faults()).hasSize(1);
        RunResult.FaultResult f = r.faults().getFirst();
        assertThat(f.detectedAt()).as("detected").isGreaterThanOrEqualTo(f.injectedAt());
        assertThat(f.detectedAt() - f.injectedAt()).as("detected within the watchdog's timeout plus a heartbeat")
                .isLessThanOrEqualTo(6 * MS);
        assertThat(f.outcome()).isEqualTo("recovered");
        assertThat(f.recoveryCycles()).as("image copy, EPT rebuild, re-initialisation").isPositive();
        assertThat(f.pagesRestored()).isEqualTo(256);
        assertThat(f.threadsRestarted()).isEqualTo(RESTARTABLE.size());
        for (RunResult.ThreadResult t : r.threads()) {
            if (!t.sandbox().equals("comms")) {
                assertThat(t.incarnations()).as(t.name()).isEqualTo(1);
                continue;
            }
            if (RESTARTABLE.contains(t.name())) {
                assertThat(t.incarnations()).as(t.name() + " restarted").isEqualTo(2);
                assertThat(t.completedSinceRestart()).as(t.name() + " runs jobs again after the recovery").isPositive();
            } else {
                assertThat(t.incarnations()).as(t.name() + " is not restartable").isEqualTo(1);
            }
        }
        assertOthersUnharmed(r);
        assertThat(sandbox(r, "comms").recoveries()).isEqualTo(1);
        assertThat(sandbox(r, "comms").state()).isEqualTo("running");
    }

    @Test
    void aRunawayThreadIsContainedByItsBudgetWithoutARecovery() throws Exception {
        RunResult r = run(withOnly("at=1s sandbox=comms kind=runaway-thread thread=housekeeping"));

        RunResult.FaultResult f = r.faults().getFirst();
        assertThat(f.outcome()).isEqualTo("contained");
        assertThat(f.detectedBy()).isEqualTo("budget");
        assertThat(f.detectedAt() - f.injectedAt()).as("caught when its VCPU's 2 ms budget runs out").isLessThanOrEqualTo(3 * MS);
        assertThat(sandbox(r, "comms").recoveries()).isZero();
        RunResult.VcpuResult house = r.vcpu("house");
        // a sporadic server runs at most C (ceil(L/T) + 1) in any window of length L (QUEST-ALGORITHMS.md section 2)
        assertThat(house.maxWindowUsage()).as("at most 2C in any window of T").isLessThanOrEqualTo(2 * house.budget());
        assertThat(house.consumed()).as("at most C (ceil(L/T) + 1) over the whole run")
                .isLessThanOrEqualTo(house.budget() * (Math.ceilDiv(r.simulatedCycles(), house.period()) + 1));
        for (RunResult.ThreadResult t : r.threads()) {
            if (t.sandbox().equals("comms") && !t.name().equals("housekeeping")) {
                assertThat(t.deadlineMisses()).as(t.name() + " shares comms' core with the runaway").isZero();
            }
        }
        assertOthersUnharmed(r);
    }

    @Test
    void aCorruptedMessageIsCaughtByItsChecksumAndSentAgain() throws Exception {
        RunResult r = run(withOnly("at=1s sandbox=comms kind=corrupt-message channel=status"));

        RunResult.FaultResult f = r.faults().getFirst();
        assertThat(f.detectedBy()).isEqualTo("checksum");
        assertThat(f.outcome()).isEqualTo("contained");
        assertThat(f.recoveredAt()).as("delivered intact after the retransmission").isGreaterThan(f.detectedAt());
        RunResult.ChannelResult status = r.channels().stream().filter(c -> c.name().equals("status")).findFirst().orElseThrow();
        assertThat(status.corrupted()).isEqualTo(1);
        assertThat(status.retransmitted()).isEqualTo(1);
        assertThat(status.delivered()).isEqualTo(status.sent());
        assertOthersUnharmed(r);
    }

    @Test
    void messagesToARecoveringSandboxWaitAndAreDeliveredAfterwards() throws Exception {
        // telemetry (control -> comms) every 20 ms; comms is down from 1 s until its recovery
        RunResult r = run(withOnly("at=1s sandbox=comms kind=unresponsive"));

        RunResult.ChannelResult telemetry = r.channels().stream().filter(c -> c.name().equals("telemetry")).findFirst()
                .orElseThrow();
        assertThat(telemetry.lost()).isZero();
        assertThat(telemetry.returned()).isZero();
        assertThat(telemetry.delivered()).isEqualTo(telemetry.sent());
    }

    @Test
    void aSandboxThatStaysDownReturnsItsMessagesToTheirSenders() throws Exception {
        // the file's own fault: a kernel panic in comms at 1 s
        SystemConfig cfg = ConfigReader.parse(Examples.text("fault-recovery.yaml")
                .replace("recovery: {policy: restart, maxRestarts: 3}", "recovery: stay-down"), "fault-recovery.yaml");
        RunResult r = run(cfg);

        assertThat(r.faults().getFirst().outcome()).isEqualTo("down");
        assertThat(sandbox(r, "comms").state()).isEqualTo("down");
        assertThat(sandbox(r, "comms").downtimeCycles()).isEqualTo(r.simulatedCycles() - 1_000 * MS);
        RunResult.ChannelResult telemetry = r.channels().stream().filter(c -> c.name().equals("telemetry")).findFirst()
                .orElseThrow();
        assertThat(telemetry.returned()).as("sends after the failure are answered 'down'").isPositive();
        assertThat(telemetry.lost()).isZero();
        assertThat(telemetry.delivered() + telemetry.returned()).as("each message delivered or given back").isEqualTo(telemetry.sent());
        assertOthersUnharmed(r);
    }

    @Test
    void aSenderIsToldItsMessagesCameBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out) throws Exception {
        SystemConfig cfg = ConfigReader.parse(Examples.text("fault-recovery.yaml")
                .replace("recovery: {policy: restart, maxRestarts: 3}", "recovery: stay-down"), "fault-recovery.yaml");
        RunResult r = QuestSystem.of(cfg).run(RunOptions.inMemory().withOut(out).withDuration(1_100 * MS));

        RunResult.ChannelResult telemetry = r.channel("telemetry");
        assertThat(telemetry.returned()).isPositive();
        String log = java.nio.file.Files.readString(out.resolve("log.txt"));
        assertThat(log).as("the producer asks GuestContext.returned and says so")
                .containsPattern("the receiver of channel telemetry is down for good: [1-9][0-9]* message\\(s\\) returned so far");
    }

    @Test
    void restartsAreLimitedByThePolicy() throws Exception {
        SystemConfig cfg = ConfigReader.parse(Examples.text("fault-recovery.yaml")
                .replace("maxRestarts: 3", "maxRestarts: 1"), "fault-recovery.yaml");
        cfg = cfg.withFaults(List.of(FaultReader.parse("at=2s sandbox=comms kind=kernel-panic", cfg)));
        RunResult r = run(cfg);

        assertThat(r.faults()).extracting(RunResult.FaultResult::outcome).containsExactly("recovered", "down");
        assertThat(r.faults().get(1).note()).contains("at most 1");
        assertThat(sandbox(r, "comms").recoveries()).isEqualTo(1);
        assertOthersUnharmed(r);
    }

    @Test
    void withoutMonitorsAFailedSandboxStaysDownAndTheOthersGoOn() throws Exception {
        String text = Examples.text("fault-recovery.yaml")
                .replace("    watchdog: {heartbeat: 1ms, timeout: 5ms}\n", "")
                .replace("overheads: {vmExit: 1500 cycles}", "overheads: {vmExit: 1500 cycles}\nmonitors: {afterBoot: remove}")
                .replace("latency: 2us}", "latency: 2us, static: true}");
        RunResult r = run(ConfigReader.parse(text, "static.yaml"));

        RunResult.FaultResult f = r.faults().getFirst();
        assertThat(f.outcome()).isEqualTo("down");
        assertThat(f.note()).contains("no monitor");
        assertThat(sandbox(r, "comms").state()).isEqualTo("down");
        assertOthersUnharmed(r);
    }

    @Test
    void withoutAWatchdogASilentHangGoesUnnoticed() throws Exception {
        String text = Examples.text("fault-recovery.yaml").replace("    watchdog: {heartbeat: 1ms, timeout: 5ms}\n", "")
                .replace("kind: kernel-panic}", "kind: unresponsive}");
        RunResult r = run(ConfigReader.parse(text, "nowatch.yaml"));

        assertThat(r.faults().getFirst().outcome()).isEqualTo("undetected");
        assertThat(sandbox(r, "comms").recoveries()).isZero();
        assertOthersUnharmed(r);
    }

    @Test
    void aFaultRunIsDeterministic() throws Exception {
        SystemConfig cfg = withOnly("at=1s sandbox=comms kind=hung-driver device=eth0",
                "at=2s sandbox=comms kind=corrupt-message");
        RunResult a = run(cfg);
        RunResult b = run(cfg);
        assertThat(a.faults()).isEqualTo(b.faults());
        assertThat(a.threads()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("responseHistogram")
                .isEqualTo(b.threads());
    }

    @Test
    void badFaultsAreRefusedWithTheirPlace() {
        String base = "format: 1\nmachine: {cores: 2}\nsandboxes:\n"
                + "  - {name: a, cores: [0], memory: 8MiB, vcpus: [{name: v, budget: 1ms, period: 10ms}],"
                + " threads: [{name: t, vcpu: v, model: periodic, period: 10ms, exec: 1ms}]}\n"
                + "  - {name: b, cores: [1], memory: 8MiB}\n";
        assertThatThrownBy(() -> ConfigReader.parse(base + "faults: [{at: 1s, sandbox: c, kind: kernel-panic}]\n", "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("f.yaml:6:").hasMessageContaining("faults[0].sandbox")
                .hasMessageContaining("no sandbox \"c\"");
        assertThatThrownBy(() -> ConfigReader.parse(base + "faults: [{at: 1s, sandbox: a, kind: meltdown}]\n", "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("faults[0].kind").hasMessageContaining("kernel-panic");
        assertThatThrownBy(() -> ConfigReader.parse(base + "faults: [{at: 1s, sandbox: a, kind: runaway-thread, thread: x}]\n", "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("faults[0].thread")
                .hasMessageContaining("sandbox a has no thread \"x\"");
        assertThatThrownBy(() -> ConfigReader.parse(base + "faults: [{at: 1s, sandbox: b, kind: hung-driver}]\n", "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sandbox b has no device");
        assertThatThrownBy(() -> ConfigReader.parse(base + "faults: [{at: 20s, sandbox: a, kind: kernel-panic}]\n", "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("faults[0].at").hasMessageContaining("end of the run");
        assertThatThrownBy(() -> ConfigReader.parse(base.replace("memory: 8MiB}", "memory: 8MiB, watchdog: {heartbeat: 2ms, timeout: 3ms}}"), "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sandboxes[1].watchdog.timeout")
                .hasMessageContaining("twice the heartbeat");
        assertThatThrownBy(() -> ConfigReader.parse(base.replace("memory: 8MiB}", "memory: 8MiB, recovery: sometimes}"), "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sandboxes[1].recovery").hasMessageContaining("stay-down");
        // Guards: a target the kind does not act on used to be ignored without a word.
        assertThatThrownBy(() -> ConfigReader.parse(base + "faults: [{at: 1s, sandbox: a, kind: kernel-panic, thread: t}]\n", "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("faults[0].thread")
                .hasMessageContaining("field \"thread\" is not used by a kernel-panic fault; it acts on the sandbox as a whole");
        assertThatThrownBy(() -> ConfigReader.parse(base + "faults: [{at: 1s, sandbox: a, kind: runaway-thread, device: t}]\n", "f.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("faults[0].device")
                .hasMessageContaining("it acts on a thread (thread: NAME)");
    }

    @Test
    void injectSpecsAreCheckedLikeTheFile() throws Exception {
        SystemConfig cfg = withOnly();
        assertThat(FaultReader.parse("at=2s sandbox=comms kind=runaway-thread", cfg).target())
                .as("the sandbox's first thread by default").isEqualTo("rx");
        assertThatThrownBy(() -> FaultReader.parse("at=2s sandbox=comms", cfg)).hasMessageContaining("missing kind=");
        assertThatThrownBy(() -> FaultReader.parse("at=2s sandbox=comms kind=panic", cfg)).hasMessageContaining("unknown fault kind");
        assertThatThrownBy(() -> FaultReader.parse("at=soon sandbox=comms kind=kernel-panic", cfg)).hasMessageContaining("at:");
        assertThatThrownBy(() -> FaultReader.parse("at=2s sandbox=comms kind=corrupt-message channel=telemetry", cfg))
                .hasMessageContaining("does not send on channel telemetry");
        assertThatThrownBy(() -> FaultReader.parse("at=2s sandbox=comms kind=kernel-panic colour=red", cfg))
                .hasMessageContaining("unknown key \"colour\"");
        assertThatThrownBy(() -> FaultReader.parse("at=2s sandbox=comms kind=unresponsive channel=status", cfg))
                .hasMessage("channel: field \"channel\" is not used by an unresponsive fault; it acts on the sandbox as a whole");
    }

    @Test
    void aLinuxSandboxRecoversToo() throws Exception {
        SystemConfig cfg = ConfigReader.read(Examples.file("quest-linux.yaml")).withDuration(2_000 * MS);
        cfg = cfg.withFaults(List.of(FaultReader.parse("at=1s sandbox=linux kind=kernel-panic", cfg)));
        RunResult r = run(cfg);

        assertThat(r.faults().getFirst().outcome()).isEqualTo("recovered");
        assertThat(r.threads()).filteredOn(t -> t.sandbox().equals("linux"))
                .allSatisfy(t -> assertThat(t.incarnations()).as(t.name()).isEqualTo(2));
        assertThat(r.threads()).filteredOn(t -> t.name().equals("cron"))
                .allSatisfy(t -> assertThat(t.completedSinceRestart()).isPositive());
        assertThat(r.threads()).filteredOn(t -> t.sandbox().equals("control"))
                .allSatisfy(t -> assertThat(t.deadlineMisses()).as(t.name()).isZero());
    }

    @Test
    void twoFaultsInOneSandboxAreEachAccountedFor() throws Exception {
        // a corrupted message, then a hung driver before the message is read: the hang is caught by the
        // watchdog and recovered; the message, still in the ring, is caught by the checksum and resent
        RunResult r = run(withOnly("at=1s sandbox=comms kind=corrupt-message channel=status",
                "at=1001ms sandbox=comms kind=hung-driver device=eth0", "at=1002ms sandbox=comms kind=runaway-thread thread=rx"));

        assertThat(r.faults()).extracting(RunResult.FaultResult::kind).containsExactly("corrupt-message", "hung-driver",
                "runaway-thread");
        assertThat(r.faults()).allSatisfy(f -> assertThat(f.detectedAt()).as(f.kind()).isGreaterThanOrEqualTo(f.injectedAt()));
        assertThat(r.faults().get(0).outcome()).isEqualTo("contained");
        assertThat(r.faults().get(1).outcome()).isEqualTo("recovered");
        assertThat(r.faults().get(2).outcome()).as("the runaway rx was restarted by the recovery").isIn("recovered", "contained");
        assertThat(r.faults()).noneMatch(f -> f.injectedAt() < 0);
        assertOthersUnharmed(r);
    }

    /** No sandbox but comms missed a deadline, was restarted, or lost a message. */
    static void assertOthersUnharmed(RunResult r) {
        for (RunResult.SandboxResult s : r.sandboxes()) {
            if (!s.name().equals("comms")) {
                assertThat(s.deadlineMisses()).as(s.name() + " misses").isZero();
                assertThat(s.recoveries()).as(s.name()).isZero();
                assertThat(s.state()).isEqualTo("running");
            }
        }
        assertThat(r.channels()).allSatisfy(c -> assertThat(c.lost()).as(c.name() + " lost").isZero());
    }

    private static RunResult.SandboxResult sandbox(RunResult r, String name) {
        return r.sandboxes().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
