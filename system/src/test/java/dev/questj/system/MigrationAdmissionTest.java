package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.vmm.MigrationAdmission;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The migration admission bound (QUEST-ALGORITHMS.md section 5). */
class MigrationAdmissionTest {
    @Test
    void withNothingHigherItIsThePapersBound() {
        // 1.2 ms of copying at 500 us every 10 ms: two full chunks, then 200 us
        assertThat(MigrationAdmission.paperBound(1_200_000, 500_000, 10_000_000)).isEqualTo(20_200_000);
        assertThat(MigrationAdmission.bound(1_200_000, 500_000, 10_000_000, List.of())).isEqualTo(20_200_000);
    }

    @Test
    void aHigherPriorityVcpuDelaysOnlyTheLastChunk() {
        var fast = new MigrationAdmission.Interferer(1_000_000, 4_000_000);
        // last chunk 200 us: R = 200 us + 1 ms (one release of the faster VCPU) = 1.2 ms
        assertThat(MigrationAdmission.bound(1_200_000, 500_000, 10_000_000, List.of(fast))).isEqualTo(21_200_000);
    }

    @Test
    void aWholeNumberOfChunksEndsWithoutATail() {
        assertThat(MigrationAdmission.bound(1_000_000, 500_000, 10_000_000, List.of())).isEqualTo(20_000_000);
    }
}
