package dev.questj.system.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adding --inject faults to a system keeps everything else it has. */
class WithFaultsTest {
    private static Path example(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("examples").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("examples/" + name + " not found");
    }

    /** Guards: withFaults used to drop the migrations, so "quest run --inject" on examples/migration.yaml migrated nothing. */
    @Test
    void injectedFaultsKeepTheMigrations() throws ConfigException {
        SystemConfig cfg = ConfigReader.read(example("migration.yaml"));
        assertThat(cfg.migration().requests()).isNotEmpty();
        String sandbox = cfg.questV().sandboxes().getFirst().name();
        FaultConfig f = FaultReader.parse("at=2s sandbox=" + sandbox + " kind=kernel-panic", cfg);

        SystemConfig injected = cfg.withFaults(List.of(f));

        assertThat(injected.migration()).isEqualTo(cfg.migration());
        assertThat(injected.questV().faults()).containsExactly(f);
        assertThat(injected.withFaults(List.of()).questV()).isEqualTo(injected.questV());
    }
}
