package dev.questj.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the CLI finds the built-in default system. */
final class Paths {
    private Paths() {}

    /** The project directory: the launcher passes it as {@code quest.home}; else the working directory. */
    static Path home() {
        String h = System.getProperty("quest.home");
        return h == null ? Path.of("") : Path.of(h);
    }

    /** examples/smp-basic.yaml under the working directory if present, else under the project home. */
    static Path defaultSystem() {
        Path local = Path.of("examples", "smp-basic.yaml");
        return Files.exists(local) ? local : home().resolve(local);
    }
}
