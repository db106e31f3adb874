package dev.questj.system.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** log.txt: guest log lines, serial console output and faults, stamped with simulated time. */
public final class RunLog implements AutoCloseable {
    private final BufferedWriter out;
    private final long hz;

    private RunLog(BufferedWriter out, long hz) {
        this.out = out;
        this.hz = hz;
    }

    public static RunLog to(Path file, long hz) throws IOException {
        return new RunLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8), hz);
    }

    /** A log that keeps nothing (runs without an output directory). */
    public static RunLog discard() {
        return new RunLog(null, 1);
    }

    public void line(long time, String who, String message) {
        if (out == null) {
            return;
        }
        try {
            out.write(String.format(Locale.ROOT, "%14.6f %s: %s%n", time / (double) hz, who, message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
