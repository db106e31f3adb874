package dev.questj.system.output;

import java.nio.charset.StandardCharsets;

/**
 * A hand-formatted JSON byte stream: the hot path of recorded runs (schedule.jsonl, trace.json)
 * writes fixed byte fragments and numbers digit by digit into one 64 KiB buffer, which the subclass
 * empties in {@link #flush} (to its file, through its digest).
 */
abstract class JsonBytes {
    protected final byte[] buf = new byte[1 << 16];
    protected int pos;

    /** Writes {@code buf[0, pos)} out and sets {@code pos} to 0. */
    protected abstract void flush();

    protected static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Makes room for {@code n} more bytes. */
    protected final void ensure(int n) {
        if (pos + n > buf.length) {
            flush();
        }
    }

    protected final void put(byte[] b) {
        if (pos + b.length <= buf.length) {
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return;
        }
        for (int from = 0; from < b.length; ) { // larger than what is left: in buffer-sized pieces
            if (pos == buf.length) {
                flush();
            }
            int n = Math.min(b.length - from, buf.length - pos);
            System.arraycopy(b, from, buf, pos, n);
            pos += n;
            from += n;
        }
    }

    protected final void putLong(long v) {
        ensure(21);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                put(ascii(Long.toString(v)));
                return;
            }
            buf[pos++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        for (int i = pos + digits - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos += digits;
    }
}
