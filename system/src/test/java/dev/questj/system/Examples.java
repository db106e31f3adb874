package dev.questj.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's examples/ directory, found from the module's working directory. */
final class Examples {
    private Examples() {}

    static Path file(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("examples").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("examples/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    static String text(String name) throws IOException {
        return Files.readString(file(name));
    }
}
