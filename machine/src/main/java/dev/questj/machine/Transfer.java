package dev.questj.machine;

/**
 * One unit of device work: a request a driver submitted (read, write, transmit) or a packet a NIC
 * received. The machine fills in when it completed; the kernel keeps its own bookkeeping in
 * {@link #owner}.
 */
public final class Transfer {
    public enum Kind {
        READ, WRITE, TRANSMIT, RECEIVE;

        /** read, write, transmit (receive is not requested: packets arrive). */
        public static Kind ofRequest(String op) {
            return switch (op) {
                case "read" -> READ;
                case "write" -> WRITE;
                case "transmit" -> TRANSMIT;
                default -> throw new IllegalArgumentException("unknown I/O operation \"" + op + "\" (read, write or transmit)");
            };
        }
    }

    private final Device device;
    private final Kind kind;
    private final long bytes;
    private final int port;
    /** When it was submitted (a request) or arrived (a packet), cycles. */
    private final long issued;
    private long completed = -1;
    /** The kernel's bookkeeping (the requesting thread). */
    public Object owner;
    /** The kernel's bookkeeping: which incarnation of the kernel issued it (a recovery starts a new one). */
    public int epoch;

    public Transfer(Device device, Kind kind, long bytes, int port, long issued) {
        this.device = device;
        this.kind = kind;
        this.bytes = bytes;
        this.port = port;
        this.issued = issued;
    }

    public Device device() {
        return device;
    }

    public Kind kind() {
        return kind;
    }

    public long bytes() {
        return bytes;
    }

    public int port() {
        return port;
    }

    public long issued() {
        return issued;
    }

    /** When the device finished it, or -1. */
    public long completed() {
        return completed;
    }

    void markCompleted(long now) {
        completed = now;
    }
}
