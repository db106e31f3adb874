package dev.questj.cli;

import static dev.questj.cli.Cli.arg;
import static dev.questj.cli.Cli.example;
import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.Explain;
import dev.questj.system.config.SystemConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quest check}: admission analysis without simulating. */
class CheckCommandTest {
    private static final Path SMP_BASIC = example("smp-basic.yaml");

    @Test
    void aQuestVSystemsRecoveryWatchdogsAndFaultsAreListed() {
        Cli.Result r = quest("check", arg(example("fault-recovery.yaml")));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("dependability (per sandbox):",
                "comms        recovery {policy: restart, maxRestarts: 3}; watchdog every 5ms; 4 of 5 threads restartable",
                "fault: {at: 1s, sandbox: comms, kind: kernel-panic}");
    }

    @Test
    void admittedSystemPrintsEveryPcpusUtilisationAndBoundAndOk() {
        Cli.Result r = quest("check", arg(SMP_BASIC));

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains(
                "PCPU 0: utilisation 0.7400 of 4 Main VCPUs against the bound 0.7568  ok",
                "PCPU 1: utilisation 0.6083 of 4 Main VCPUs against the bound 0.7568  ok",
                "PCPU 2: utilisation 0.5000 of 3 Main VCPUs against the bound 0.7798  ok",
                "PCPU 3: utilisation 0.3500 of 2 Main VCPUs against the bound 0.8284  ok");
        assertThat(r.out().strip()).endsWith("ok");
    }

    @Test
    void firstFitVcpusAreMarkedUnderThePcpuTheyWentTo() {
        String out = quest("check", arg(SMP_BASIC)).out();

        String pcpu0 = out.substring(out.indexOf("PCPU 0:"), out.indexOf("PCPU 1:"));
        String pcpu1 = out.substring(out.indexOf("PCPU 1:"), out.indexOf("PCPU 2:"));
        assertThat(pcpu0).containsPattern("comms\\s+\\(placed by first fit\\)");
        assertThat(pcpu1).containsPattern("ui\\s+\\(placed by first fit\\)");
    }

    @Test
    void overloadedSystemIsRefused() {
        Cli.Result r = quest("check", arg(example("overloaded.yaml"))).refusedWithOneShortMessage();

        assertThat(r.err()).contains("PCPU 0", "0.9333", "0.8284");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void admissionWarnAdmitsTheOverloadedCoreWithAWarning(@TempDir Path dir) throws Exception {
        Path warn = dir.resolve("warn.yaml");
        Files.writeString(warn, Files.readString(example("overloaded.yaml")).replace("admission: enforce", "admission: warn"));

        Cli.Result r = quest("check", arg(warn));

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("against the bound 0.8284  OVER");
        assertThat(r.err()).startsWith("warning: " + warn + ":").contains("PCPU 0 is overloaded");
    }

    /** Guards: the analysis after the explained file used to be plain text, so the output did not load. */
    @Test
    void explainPrintsASystemDescriptionThatLoadsAsTheSameSystem() throws Exception {
        Cli.Result r = quest("check", "--explain", arg(SMP_BASIC));
        assertThat(r.status()).isZero();

        SystemConfig explained = ConfigReader.parse(r.out(), "explained.yaml");
        SystemConfig original = ConfigReader.read(SMP_BASIC);

        assertThat(Explain.explain(explained)).isEqualTo(Explain.explain(original));
        assertThat(r.out()).contains("#   PCPU 0: utilisation 0.7400").contains("\n# ok");
    }
}
