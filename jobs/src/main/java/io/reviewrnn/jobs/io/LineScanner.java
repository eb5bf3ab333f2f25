package io.reviewrnn.jobs.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of bytes ended by LF, CR or CR LF (as Hadoop's {@code LineReader}) keeping at most {@code cap} bytes of
 * each: a longer line is counted to its end but never held, so memory is bounded by the cap whatever the input.
 * Tracks the byte offset of every line, for byte-range splits. Not thread-safe.
 */
final class LineScanner {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private long offset;
    private byte[] line = new byte[1024];
    private int length;
    private long lineStart;
    private long lineBytes;

    /** Reads {@code in}, whose next byte is at {@code offset} in its file. */
    LineScanner(InputStream in, long offset) {
        this.in = in;
        this.offset = offset;
    }

    /** Reads the next line, keeping its first {@code cap} bytes; false at the end of the input. */
    boolean next(int cap) throws IOException {
        lineStart = offset;
        length = 0;
        lineBytes = 0;
        boolean any = false;
        while (true) {
            if (pos == lim && !fill()) {
                return any;
            }
            any = true;
            int i = pos;
            while (i < lim && buf[i] != '\n' && buf[i] != '\r') {
                i++;
            }
            append(i - pos, cap);
            offset += i - pos;
            pos = i;
            if (i < lim) {
                byte t = buf[pos++];
                offset++;
                if (t == '\r' && (pos < lim || fill()) && buf[pos] == '\n') {
                    pos++;
                    offset++;
                }
                return true;
            }
        }
    }

    private void append(int n, int cap) {
        int keep = (int) Math.max(0, Math.min(n, cap - (long) length));
        if (keep > 0) {
            if (length + keep > line.length) {
                line = Arrays.copyOf(line, Math.min(Math.max(line.length * 2, length + keep), Math.max(cap, 1)));
            }
            System.arraycopy(buf, pos, line, length, keep);
            length += keep;
        }
        lineBytes += n;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        pos = 0;
        lim = Math.max(n, 0);
        return n > 0;
    }

    /** Byte offset of the line last read. */
    long lineStart() {
        return lineStart;
    }

    /** Bytes of the line last read, without its terminator (may exceed what was kept). */
    long lineBytes() {
        return lineBytes;
    }

    /** True when the line last read had more bytes than were kept. */
    boolean truncated() {
        return lineBytes > length;
    }

    /** The kept bytes of the line last read as UTF-8 (undecodable bytes become U+FFFD, as in Spark's readers). */
    String text() {
        return new String(line, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** At most {@code chars} characters of the kept bytes, for a reject's snippet. */
    String snippet(int chars) {
        String s = new String(line, 0, Math.min(length, 4 * chars), java.nio.charset.StandardCharsets.UTF_8);
        return s.length() > chars ? s.substring(0, chars) : s;
    }
}
