package io.reviewrnn.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineScannerTest {

    private static LineScanner scanner(String s, long offset) {
        return new LineScanner(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), offset);
    }

    @Test
    void linesEndAtLfCrOrCrLfAndTheirOffsetsAreTracked() throws IOException {
        LineScanner l = scanner("one\ntwo\r\nthree\rfour\n\nlast", 100);
        List<String> lines = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        while (l.next(100)) {
            lines.add(l.text());
            starts.add(l.lineStart());
        }
        assertEquals(List.of("one", "two", "three", "four", "", "last"), lines);
        assertEquals(List.of(100L, 104L, 109L, 115L, 120L, 121L), starts);
    }

    @Test
    void crLfAcrossTheBufferBoundaryIsOneTerminator() throws IOException {
        String first = "a".repeat((1 << 16) - 1);
        LineScanner l = scanner(first + "\r\nsecond\n", 0);
        assertTrue(l.next(1 << 17));
        assertEquals(first, l.text());
        assertTrue(l.next(100));
        assertEquals("second", l.text());
        assertEquals((1 << 16) + 1, l.lineStart());
        assertFalse(l.next(100));
    }

    @Test
    void aLineOverTheCapIsCountedButNotHeld() throws IOException {
        LineScanner l = scanner("é".repeat(40) + "\nok\n", 0);
        assertTrue(l.next(10));
        assertTrue(l.truncated());
        assertEquals(80, l.lineBytes());
        assertEquals("ééééé", l.text());
        assertEquals("ééé", l.snippet(3));
        assertTrue(l.next(10));
        assertFalse(l.truncated());
        assertEquals("ok", l.text());
        assertEquals(81, l.lineStart());
    }

    @Test
    void aGigabyteLineKeepsOnlyTheCap() throws IOException {
        long n = 1L << 30;
        InputStream huge = new InputStream() {
            private long pos;

            @Override
            public int read() {
                return pos < n ? (pos++ < n - 1 ? 'x' : '\n') : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= n) {
                    return -1;
                }
                int k = (int) Math.min(len, n - pos);
                java.util.Arrays.fill(b, off, off + k, (byte) 'x');
                pos += k;
                if (pos == n) {
                    b[off + k - 1] = '\n';
                }
                return k;
            }
        };
        LineScanner l = new LineScanner(huge, 0);
        assertTrue(l.next(1000));
        assertEquals(n - 1, l.lineBytes());
        assertTrue(l.truncated());
        assertEquals(1000, l.text().length());
        assertFalse(l.next(1000));
    }
}
