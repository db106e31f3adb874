package dev.questj.guest.examples;

import dev.questj.guest.GuestApi;
import dev.questj.guest.GuestProgram;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An example real-time service (examples/quest-linux.yaml): a periodic control loop in a Quest
 * sandbox that also answers commands from the Linux front end. Every period it takes the commands
 * waiting on its command channel (without blocking), answers each on its reply channel, computes
 * its control step, and every {@code telemetryEvery} periods sends a telemetry line. Commands (one
 * message each, text):
 * <ul>
 *   <li>{@code ping}: answers {@code pong}</li>
 *   <li>{@code get}: answers {@code value V}, the setpoint (0 at start)</li>
 *   <li>{@code set V}: sets the setpoint to the integer V, answers {@code ok}</li>
 *   <li>{@code stats}: answers {@code stats jobs=J commands=C}</li>
 *   <li>anything else: {@code error: unknown command "..."}</li>
 * </ul>
 * Telemetry: {@code telemetry t=MS value=V jobs=J commands=C}. A reply or telemetry line that a full
 * ring refuses is dropped and counted (the {@code dropped} figure in the telemetry). Args, all optional:
 * {@code commands}, {@code replies}, {@code telemetry} (channel names; default those words),
 * {@code execUs} (the control step, default 500), {@code commandUs} (per command, default 20),
 * {@code telemetryEvery} (periods between telemetry lines, default 50; 0: none). Needs a
 * {@code period} in its thread's config.
 */
public final class CommandService implements GuestProgram {
    private long value;
    private long jobs;
    private long commands;
    private long dropped;

    @Override
    public void run(GuestApi q) {
        String commandChannel = q.args().getOrDefault("commands", "commands");
        String replyChannel = q.args().getOrDefault("replies", "replies");
        String telemetryChannel = q.args().getOrDefault("telemetry", "telemetry");
        long exec = q.micros(Controller.number(q, "execUs", 500));
        long perCommand = q.micros(Controller.number(q, "commandUs", 20));
        long telemetryEvery = (long) Controller.number(q, "telemetryEvery", 50);
        while (true) {
            for (byte[] m; (m = q.pollMessage(commandChannel)) != null; ) {
                commands++;
                q.compute(perCommand);
                send(q, replyChannel, answer(new String(m, StandardCharsets.UTF_8).strip()));
            }
            q.compute(exec);
            jobs++;
            if (telemetryEvery > 0 && jobs % telemetryEvery == 0) {
                send(q, telemetryChannel, String.format(Locale.ROOT, "telemetry t=%d value=%d jobs=%d commands=%d dropped=%d",
                        q.now() * 1000 / q.cyclesPerSecond(), value, jobs, commands, dropped));
            }
            q.waitForNextPeriod();
        }
    }

    /** The answer to one command. */
    String answer(String command) {
        String[] words = command.split("\\s+");
        switch (words[0]) {
            case "ping":
                return words.length == 1 ? "pong" : usage(command);
            case "get":
                return words.length == 1 ? "value " + value : usage(command);
            case "set":
                if (words.length != 2) {
                    return usage(command);
                }
                try {
                    value = Long.parseLong(words[1]);
                    return "ok";
                } catch (NumberFormatException e) {
                    return "error: set takes an integer, got \"" + words[1] + "\"";
                }
            case "stats":
                return "stats jobs=" + jobs + " commands=" + commands;
            default:
                return "error: unknown command \"" + command + "\" (ping, get, set V, stats)";
        }
    }

    private static String usage(String command) {
        return "error: bad arguments in \"" + command + "\" (ping, get, set V, stats)";
    }

    private void send(GuestApi q, String channel, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 240) {
            bytes = java.util.Arrays.copyOf(bytes, 240);
        }
        if (!q.send(channel, bytes)) {
            dropped++;
        }
    }
}
