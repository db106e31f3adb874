package dev.questj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Where the CLI finds the default system when none is named. */
class PathsTest {
    /** Guards: the launcher passes the project directory, so ./quest run works from any directory. */
    @Test
    void defaultSystemIsFoundUnderTheProjectHomeGivenByTheLauncher() {
        String before = System.getProperty("quest.home");
        System.setProperty("quest.home", Cli.repoRoot().toString());
        try {
            assertThat(Files.isRegularFile(Paths.defaultSystem())).isTrue();
            assertThat(Paths.defaultSystem().getFileName().toString()).isEqualTo("smp-basic.yaml");
        } finally {
            if (before == null) {
                System.clearProperty("quest.home");
            } else {
                System.setProperty("quest.home", before);
            }
        }
    }

    @Test
    void launcherPassesTheProjectHome() throws Exception {
        String launcher = Files.readString(Cli.repoRoot().resolve("quest"));

        assertThat(launcher).contains("-Dquest.home=");
    }
}
