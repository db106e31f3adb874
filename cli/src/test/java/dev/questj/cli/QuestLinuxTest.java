package dev.questj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.QuestSystem;
import dev.questj.system.RunOptions;
import dev.questj.system.RunResult;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/quest-linux.yaml: the fair scheduler's shares, determinism, and the real-time host bridge end to end. */
class QuestLinuxTest {

    @Test
    void realtimeRunAnswersAPlainUnixSocketClient(@TempDir Path dir) throws Exception {
        // a copy of the example in a directory of its own, so its relative socket path is private to this test
        Path yaml = dir.resolve("quest-linux.yaml");
        Files.copy(Cli.example("quest-linux.yaml"), yaml);
        Path socket = dir.resolve("quest-linux.sock");
        AtomicReference<Cli.Result> result = new AtomicReference<>();
        long wallStart = System.nanoTime();
        Thread run = Thread.ofPlatform().name("quest-realtime-run").start(() -> result.set(Cli.quest("run", yaml.toString(),
                "--realtime", "--duration", "3s", "--out", dir.resolve("out").toString(), "-q")));

        SocketChannel client = null;
        for (int i = 0; i < 400 && client == null && run.isAlive(); i++) {
            client = connect(socket);
            if (client == null) {
                Thread.sleep(25);
            }
        }
        assertThat(client).as("a connection to the host endpoint; the run: %s", result.get()).isNotNull();

        List<String> replies = new ArrayList<>();
        List<String> telemetry = new ArrayList<>();
        try (SocketChannel c = client) {
            write(c, "ping\n");
            String first = readLine(c, telemetry);
            replies.add(first);
            write(c, "set 7\nget\r\nbogus\n");
            while (replies.size() < 4) {
                String line = readLine(c, telemetry);
                if (line == null) {
                    break;
                }
                replies.add(line);
            }
            // the run closes the connection when it ends; telemetry comes once a second
            for (String line; (line = readLine(c, telemetry)) != null; ) {
                replies.add(line);
            }
        }
        run.join(30_000);
        double wall = (System.nanoTime() - wallStart) / 1e9;

        assertThat(result.get()).isNotNull();
        assertThat(result.get().status()).as("run: %s", result.get().err()).isZero();
        assertThat(replies).startsWith("pong", "ok", "value 7");
        assertThat(replies.get(3)).startsWith("error: unknown command \"bogus\"");
        assertThat(telemetry).isNotEmpty().allMatch(t -> t.matches("telemetry t=\\d+ value=\\d+ jobs=\\d+ commands=\\d+ dropped=\\d+"));
        assertThat(telemetry.getLast()).contains("value=7");
        assertThat(wall).as("paced to the wall clock").isGreaterThanOrEqualTo(2.9);
        assertThat(socket).as("the socket file is removed at the end").doesNotExist();
        String metrics = Files.readString(dir.resolve("out").resolve("metrics.json"));
        assertThat(metrics).contains("\"deadlineMisses\" : 0");
    }

    /** A connected client, or null while nothing listens there yet. */
    private static SocketChannel connect(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(socket));
            return c;
        } catch (IOException e) {
            c.close();
            return null;
        }
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static final StringBuilder pending = new StringBuilder();

    /** The next line that is not telemetry (telemetry lines go to {@code telemetry}); null at the end. */
    private static String readLine(SocketChannel c, List<String> telemetry) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        while (true) {
            int nl = pending.indexOf("\n");
            if (nl >= 0) {
                String line = pending.substring(0, nl);
                pending.delete(0, nl + 1);
                if (line.startsWith("telemetry ")) {
                    telemetry.add(line);
                    continue;
                }
                return line;
            }
            if (c.read(b.clear()) < 0) {
                return null;
            }
            pending.append((char) b.get(0));
        }
    }

    @Test
    void withoutRealtimeTheExampleIsDeterministicAndOpensNoSocket(@TempDir Path dir) throws Exception {
        RunOptions o = RunOptions.inMemory().withDuration(1_000_000_000L);
        RunResult a = QuestSystem.load(Cli.example("quest-linux.yaml")).run(o.withOut(dir.resolve("a")));
        RunResult b = QuestSystem.load(Cli.example("quest-linux.yaml")).run(o.withOut(dir.resolve("b")));
        assertThat(a.traceDigest()).isNotNull().isEqualTo(b.traceDigest());
        assertThat(Files.readAllBytes(dir.resolve("a/schedule.jsonl"))).isEqualTo(Files.readAllBytes(dir.resolve("b/schedule.jsonl")));
        assertThat(Cli.example("quest-linux.sock")).doesNotExist();
    }

    @Test
    void theLinuxSandboxSharesItsCoreByWeight() throws Exception {
        RunResult r = QuestSystem.load(Cli.example("quest-linux.yaml")).run(RunOptions.inMemory());
        double build = r.thread("build").cpuCycles();
        double indexer = r.thread("indexer").cpuCycles();
        assertThat(build / indexer).isCloseTo(1024.0 / 335, org.assertj.core.data.Offset.offset(0.05));
        assertThat(r.thread("cron").deadlineMisses()).isZero();
        assertThat(r.deadlineMisses()).isZero();
        assertThat(r.vcpu("cpu1").kind()).isEqualTo("fair");
    }
}
