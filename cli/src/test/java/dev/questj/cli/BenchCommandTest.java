package dev.questj.cli;

import static dev.questj.cli.Cli.quest;
import static org.assertj.core.api.Assertions.assertThat;

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

    /** Scaling points run with admission off: they measure speed, not schedulability. */
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
