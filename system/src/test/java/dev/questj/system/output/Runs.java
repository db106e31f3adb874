package dev.questj.system.output;

import dev.questj.system.QuestSystem;
import dev.questj.system.Recording;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs an example into a directory, for the output tests. */
final class Runs {
    static final long MS = 1_000_000L;

    private Runs() {}

    static Path example(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("examples").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("examples/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    static RunResult run(String example, long cycles, Path out) throws Exception {
        return QuestSystem.load(example(example)).run(RunOptions.inMemory().withDuration(cycles).withOut(out));
    }

    static RunResult run(String example, long cycles, Path out, Recording recording) throws Exception {
        return QuestSystem.load(example(example))
                .run(RunOptions.inMemory().withDuration(cycles).withOut(out).withRecording(recording));
    }
}
