package dev.questj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long runs keep memory bounded: one simulated hour of examples/smp-basic.yaml with {@code --record
 * none} in a JVM limited to 256 MiB of heap (so it could not finish otherwise), and the peak heap it
 * measured stays under that. The default recording's hour is measured by hand (docs/BENCHMARKS.md,
 * "Memory"): its files are gigabytes.
 */
class MemoryTest {
    static final long LIMIT = 256L << 20;

    @Test
    void oneSimulatedHourWithRecordNoneStaysUnder256MiBOfHeap(@TempDir Path dir) throws Exception {
        Child c = runInSmallJvm(dir, "run", Cli.example("smp-basic.yaml").toString(), "--duration", "3600s", "--record", "none",
                "-q", "--out", dir.resolve("out").toString());

        assertThat(c.status).as("exit status; output:%n%s", c.output).isZero();
        System.err.printf("MemoryTest: one simulated hour of smp-basic, --record none, -Xmx256m: peak heap %.1f MiB%n",
                c.peakHeap / 1048576.0);
        assertThat(c.peakHeap).isPositive().isLessThan(LIMIT);
        assertThat(dir.resolve("out/metrics.json")).isRegularFile();
        assertThat(dir.resolve("out/report.html")).isRegularFile();
        assertThat(Files.readString(dir.resolve("out/metrics.json"))).contains("\"simulatedCycles\" : 3600000000000");
    }

    record Child(int status, long peakHeap, String output) {}

    static Child runInSmallJvm(Path dir, String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseParallelGC", "-Xss4m",
                "-cp", System.getProperty("java.class.path"), PeakHeap.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in 10 minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("peakHeapBytes=(\\d+)").matcher(output);
        return new Child(p.exitValue(), m.find() ? Long.parseLong(m.group(1)) : -1, output);
    }
}
