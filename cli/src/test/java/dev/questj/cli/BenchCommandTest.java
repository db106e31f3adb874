package dev.questj.cli;

import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** {@code quest bench}, shrunk to a few seconds of simulated time: it runs and prints its tables. */
class BenchCommandTest {
    @Test
    void shortBenchPrintsTheReferenceTable() {
        Cli.Result r = quest("bench", "--duration", "2s", "--no-scaling");

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("recording", "jobs/s", "events/s", "sim s/wall s", "peak heap")
                .contains("off", "schedule.jsonl on")
                .doesNotContain("scaling");
    }

    /**
     * BUG (reported): the scaling table's generated systems use inflation 1.15 x utilisation 0.7 =
     * 0.805 per PCPU, which is over the admission bound from 4 Main VCPUs per PCPU on (0.7568), and
     * the threads-per-VCPU rows always use 4 VCPUs per PCPU: every bench with scaling stops with
     * "PCPU 0 is overloaded with VCPU c0v3", exit status 2.
     */
    @Disabled("bench scaling points with 4 or more VCPUs per PCPU fail admission (inflation 1.15 x U 0.7 > bound)")
    @Test
    void shortBenchPrintsBothTables() {
        Cli.Result r = quest("bench", "--duration", "2s", "--scaling-duration", "1s", "--max-scale", "2");

        assertThat(r.status()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("recording", "jobs/s", "events/s", "sim s/wall s", "peak heap")
                .contains("scaling", "cores", "VCPUs/core", "threads/VCPU", "ns/event");
    }

    @Test
    void benchDurationWithoutAUnitIsRefused() {
        quest("bench", "--duration", "2").refusedWithOneShortMessage();
    }
}
