package dev.questj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the CLI in-process, as a test would type it, and finds the project's files. */
final class Cli {
    private Cli() {}

    /** What one command printed and returned. */
    record Result(int status, String out, String err) {
        /** Exit status 2 with a single short message on stderr: no stack trace, no Java exception names. */
        Result refusedWithOneShortMessage() {
            assertThat(status).as("exit status; stderr: %s", err).isEqualTo(Main.BAD_INPUT);
            assertThat(err).as("stderr").isNotBlank();
            assertThat(err.strip().lines().count()).as("lines on stderr: %s", err).isLessThanOrEqualTo(3);
            assertThat(err).as("stderr").doesNotContain("\tat ", "java.lang.", "java.io.", "java.nio.", "Exception", "picocli.");
            return this;
        }
    }

    static Result quest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = Main.execute(args, o, e);
        }
        return new Result(status, out.toString(), err.toString());
    }

    /** The project's root: the first directory upwards from the working directory that holds examples/smp-basic.yaml. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples").resolve("smp-basic.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("examples/smp-basic.yaml not found above " + Path.of("").toAbsolutePath());
    }

    static Path example(String fileName) {
        return repoRoot().resolve("examples").resolve(fileName);
    }

    static String arg(Path p) {
        return p.toString();
    }
}
