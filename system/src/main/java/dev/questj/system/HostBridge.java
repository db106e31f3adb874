package dev.questj.system;

import dev.questj.guest.GuestContext;
import dev.questj.system.config.ChannelConfig;
import dev.questj.system.config.SystemConfig;
import dev.questj.system.output.RunLog;
import dev.questj.vmm.Channel;
import dev.questj.vmm.QuestV;
import dev.questj.vmm.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bridges the channels declared {@code host: unix:PATH} to real Unix domain sockets on the host, in
 * a {@code --realtime} run. One socket per distinct PATH (several channels may share one): each line
 * a host program writes becomes a message sent on the channel(s) of that PATH on which the linux
 * end sends, at the simulated time of the next step boundary; each message the linux end of a
 * channel of that PATH receives is written to every connected client as a line.
 *
 * <p>Threads: accepting clients, reading their lines and writing to them happen on platform threads
 * of their own, which touch no simulation state: they only fill and drain queues. The simulation
 * (the run loop's thread) calls {@link #exchange} between steps, which alone sends on and receives
 * from the channels.
 */
final class HostBridge implements AutoCloseable {
    /** Lines waiting to be written to one client beyond which further ones are dropped (a client that does not read). */
    static final int MAX_BACKLOG = 10_000;

    private final List<Endpoint> endpoints;
    private final RunLog log;
    private final Thread cleanup;

    /** One end of a channel at its linux sandbox. */
    private record End(Channel channel, Sandbox linux) {}

    private static final class Client {
        final SocketChannel socket;
        final LinkedBlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();

        Client(SocketChannel socket) {
            this.socket = socket;
        }
    }

    private static final class Endpoint {
        final Path path;
        final List<End> sends = new ArrayList<>();
        final List<End> receives = new ArrayList<>();
        final List<String> channelNames = new ArrayList<>();
        ServerSocketChannel server;
        final List<Client> clients = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        /** Lines from the host, filled by the reader threads, drained by the simulation. */
        final ConcurrentLinkedQueue<byte[]> inbound = new ConcurrentLinkedQueue<>();
        /** Simulation thread only: lines a full ring refused, retried first at the next step. */
        final ArrayDeque<byte[]> retry = new ArrayDeque<>();
        final AtomicLong linesIn = new AtomicLong();
        final AtomicLong linesOut = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        volatile boolean closing;

        Endpoint(Path path) {
            this.path = path;
        }
    }

    private HostBridge(List<Endpoint> endpoints, RunLog log) {
        this.endpoints = endpoints;
        this.log = log;
        this.cleanup = new Thread(this::deleteSockets, "quest-host-bridge-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Opens a socket for each distinct host path of {@code cfg}'s channels; null when there is none. */
    static HostBridge open(SystemConfig cfg, QuestV vmm, RunLog log) throws IOException {
        Map<String, Endpoint> byPath = new LinkedHashMap<>();
        for (ChannelConfig cc : cfg.questV().channels()) {
            if (cc.hostPath() == null) {
                continue;
            }
            Channel c = vmm.channels().stream().filter(x -> x.name().equals(cc.name())).findFirst().orElseThrow();
            Sandbox linux = linuxEnd(cfg, c);
            Endpoint e = byPath.computeIfAbsent(cc.hostPath(), p -> new Endpoint(Path.of(p)));
            e.channelNames.add(c.name());
            if (c.from() == linux || c.isBidirectional()) {
                e.sends.add(new End(c, linux));
            }
            if (c.to() == linux || c.isBidirectional()) {
                e.receives.add(new End(c, linux));
            }
        }
        if (byPath.isEmpty()) {
            return null;
        }
        HostBridge bridge = new HostBridge(new ArrayList<>(byPath.values()), log);
        try {
            for (Endpoint e : bridge.endpoints) {
                bridge.listen(e);
            }
        } catch (IOException | RuntimeException ex) {
            bridge.close();
            throw ex;
        }
        return bridge;
    }

    private static Sandbox linuxEnd(SystemConfig cfg, Channel c) {
        for (var s : cfg.questV().sandboxes()) {
            if (s.isLinux() && (s.name().equals(c.from().name()) || s.name().equals(c.to().name()))) {
                return s.name().equals(c.from().name()) ? c.from() : c.to();
            }
        }
        throw new IllegalStateException("channel " + c.name() + " has a host endpoint but no linux end");
    }

    /** The socket paths, in the order of the channels that name them. */
    List<Path> paths() {
        return endpoints.stream().map(e -> e.path).toList();
    }

    private void listen(Endpoint e) throws IOException {
        Files.deleteIfExists(e.path); // a stale socket of an earlier run
        if (e.path.getParent() != null) {
            Files.createDirectories(e.path.getParent());
        }
        e.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        e.server.bind(UnixDomainSocketAddress.of(e.path));
        start(e, "quest-host-accept " + e.path, () -> accept(e));
    }

    private static void start(Endpoint e, String name, Runnable body) {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(body);
        e.threads.add(t);
        t.start();
    }

    private void accept(Endpoint e) {
        while (!e.closing) {
            try {
                SocketChannel s = e.server.accept();
                Client c = new Client(s);
                e.clients.add(c);
                e.connections.incrementAndGet();
                start(e, "quest-host-read " + e.path, () -> read(e, c));
                start(e, "quest-host-write " + e.path, () -> write(e, c));
            } catch (IOException ex) {
                return; // closed
            }
        }
    }

    /** Splits what the client writes into lines ({@code \n}, an optional {@code \r} before it dropped); empty lines are skipped. */
    private static void read(Endpoint e, Client c) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (c.socket.read(buf.clear()) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        byte[] bytes = line.toByteArray();
                        line.reset();
                        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                        if (n > 0) {
                            e.inbound.add(java.util.Arrays.copyOf(bytes, n));
                            e.linesIn.incrementAndGet();
                        }
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException ex) {
            // the client went away or the bridge closed
        } finally {
            disconnect(e, c);
        }
    }

    private static void write(Endpoint e, Client c) {
        try {
            while (true) {
                byte[] line = c.outbound.take();
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    c.socket.write(b);
                }
            }
        } catch (InterruptedException | IOException ex) {
            // closing, or the client went away
        } finally {
            disconnect(e, c);
        }
    }

    private static void disconnect(Endpoint e, Client c) {
        e.clients.remove(c);
        try {
            c.socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /**
     * Simulation thread, at a step boundary {@code now}: sends the host's lines on the channels (a
     * line a full ring refuses is retried at the next step, in order), and writes every message
     * that reached a linux end to the clients.
     */
    void exchange(long now) {
        for (Endpoint e : endpoints) {
            for (byte[] line; (line = e.inbound.poll()) != null; ) {
                e.retry.addLast(line);
            }
            while (!e.retry.isEmpty()) {
                byte[] line = e.retry.peekFirst();
                if (!send(e, line, now)) {
                    break;
                }
                e.retry.pollFirst();
            }
            for (End end : e.receives) {
                for (byte[] m; (m = end.channel().hostReceive(end.linux(), now)) != null; ) {
                    broadcast(e, m);
                }
            }
        }
    }

    /** Sends {@code line} on every channel of the endpoint the linux end sends on; false if a ring was full. */
    private boolean send(Endpoint e, byte[] line, long now) {
        for (End end : e.sends) {
            try {
                int status = end.channel().hostSend(end.linux(), line, now);
                if (status == GuestContext.STATUS_FULL) {
                    return false;
                }
                if (status != GuestContext.STATUS_OK) { // severed, or the receiving sandbox is down: say so
                    String why = status == GuestContext.STATUS_SEVERED ? "was severed" : "leads to a sandbox that is down";
                    broadcast(e, ("error: channel " + end.channel().name() + " " + why).getBytes(StandardCharsets.UTF_8));
                    log.line(now, "host", e.path + ": channel " + end.channel().name() + " " + why);
                }
            } catch (IllegalArgumentException ex) {
                broadcast(e, ("error: " + ex.getMessage()).getBytes(StandardCharsets.UTF_8));
                log.line(now, "host", e.path + ": " + ex.getMessage());
            }
        }
        return true;
    }

    private static void broadcast(Endpoint e, byte[] message) {
        byte[] line = java.util.Arrays.copyOf(message, message.length + 1);
        line[message.length] = '\n';
        e.linesOut.incrementAndGet();
        for (Client c : e.clients) {
            if (c.outbound.size() < MAX_BACKLOG) {
                c.outbound.add(line);
            } else {
                e.dropped.incrementAndGet();
            }
        }
    }

    /** A line per endpoint for the run's log. */
    List<String> summary() {
        return endpoints.stream().map(e -> "host bridge unix:" + e.path + " (channels " + String.join(", ", e.channelNames)
                + "): " + e.connections.get() + " connections, " + e.linesIn.get() + " lines in, " + e.linesOut.get()
                + " lines out" + (e.dropped.get() > 0 ? ", " + e.dropped.get() + " dropped at slow clients" : "")).toList();
    }

    @Override
    public void close() {
        for (Endpoint e : endpoints) {
            e.closing = true;
            try {
                if (e.server != null) {
                    e.server.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Client c : e.clients) {
                disconnect(e, c);
            }
            for (Thread t : e.threads) {
                t.interrupt();
            }
        }
        deleteSockets();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // shutting down: the hook runs anyway
        }
    }

    private void deleteSockets() {
        for (Endpoint e : endpoints) {
            try {
                Files.deleteIfExists(e.path);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
