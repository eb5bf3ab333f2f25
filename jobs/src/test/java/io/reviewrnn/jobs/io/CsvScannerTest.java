package io.reviewrnn.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvScannerTest {

    private static List<String> next(CsvScanner csv, int cap) throws IOException {
        assertTrue(csv.next(cap), "a record");
        return csv.fields();
    }

    @Test
    void quotedFieldsHoldSeparatorsDoubledQuotesAndLineBreaks() throws IOException {
        CsvScanner csv = new CsvScanner(new StringReader("id,review,label\r\n"
                + "r1,\"A great film.\nSecond line, \"\"quoted\"\"\",pos\n"
                + "\n\r\n"
                + "r2,,\"\"\r"
                + "r3,plain,neg,\n"
                + "r4,\"x\"tail,pos"), ',');
        assertEquals(List.of("id", "review", "label"), next(csv, 100));
        assertEquals(List.of("r1", "A great film.\nSecond line, \"quoted\"", "pos"), next(csv, 100));
        assertFalse(csv.malformed());
        // blank lines are skipped; an empty unquoted field is null, an empty quoted one is ""
        assertEquals(Arrays.asList("r2", null, ""), next(csv, 100));
        // a trailing separator is one more (null) field
        assertEquals(Arrays.asList("r3", "plain", "neg", null), next(csv, 100));
        assertEquals(4, csv.fieldCount());
        // text after a closing quote is kept but marks the record malformed
        assertEquals(List.of("r4", "xtail", "pos"), next(csv, 100));
        assertTrue(csv.malformed());
        assertFalse(csv.next(100));
    }

    @Test
    void anUnterminatedQuoteIsMalformed() throws IOException {
        CsvScanner csv = new CsvScanner(new StringReader("a,\"never closed\nb,c\n"), ',');
        assertEquals(List.of("a", "never closed\nb,c\n"), next(csv, 100));
        assertTrue(csv.malformed());
    }

    @Test
    void tabsSeparateTsv() throws IOException {
        CsvScanner csv = new CsvScanner(new StringReader("a\t\"b,c\"\td\n"), '\t');
        assertEquals(List.of("a", "b,c", "d"), next(csv, 100));
    }

    @Test
    void aFieldOverTheCapIsCountedToItsEndButNotHeld() throws IOException {
        CsvScanner csv = new CsvScanner(new StringReader("r1,\"" + "ab\"\"".repeat(50) + "\",pos\nr2,short,neg\n"),
                ',');
        List<String> f = next(csv, 10);
        assertEquals(1, csv.longField());
        assertEquals(150, csv.longFieldChars());
        assertEquals("ab\"ab\"ab\"a", f.get(1), "the first cap characters are kept");
        assertEquals("pos", f.get(2), "the record goes on after the long field");
        assertEquals(List.of("r2", "short", "neg"), next(csv, 10));
        assertEquals(-1, csv.longField());
    }

    /** A field of 200 million characters, generated as it is read: the scanner never holds more than the cap. */
    @Test
    void aHugeStreamedFieldKeepsOnlyTheCap() throws IOException {
        long n = 200_000_000L;
        Reader huge = new GeneratedReader("r1,\"", 'x', n, "\",pos\nr2,fine,neg\n");
        CsvScanner csv = new CsvScanner(huge, ',');
        List<String> f = next(csv, 1000);
        assertEquals(n, csv.longFieldChars());
        assertEquals(1000, f.get(1).length());
        assertEquals(List.of("r2", "fine", "neg"), next(csv, 1000));
    }

    @Test
    void tooManyFieldsAreMalformedAndNotAllHeld() throws IOException {
        CsvScanner csv = new CsvScanner(new StringReader("a,".repeat(CsvScanner.MAX_FIELDS + 5) + "z\n"), ',');
        List<String> f = next(csv, 10);
        assertTrue(csv.malformed());
        assertEquals(CsvScanner.MAX_FIELDS, f.size());
        assertEquals(CsvScanner.MAX_FIELDS + 6, csv.fieldCount());
        assertTrue(csv.raw().length() <= CsvScanner.RAW_KEEP);
    }

    /** {@code prefix}, then {@code n} times {@code c}, then {@code suffix}, produced on demand. */
    static final class GeneratedReader extends Reader {
        private final String prefix;
        private final char c;
        private final long n;
        private final String suffix;
        private long pos;

        GeneratedReader(String prefix, char c, long n, String suffix) {
            this.prefix = prefix;
            this.c = c;
            this.n = n;
            this.suffix = suffix;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            long total = prefix.length() + n + suffix.length();
            if (pos >= total) {
                return -1;
            }
            int k = 0;
            while (k < len && pos < total) {
                if (pos < prefix.length()) {
                    buf[off + k] = prefix.charAt((int) pos);
                } else if (pos < prefix.length() + n) {
                    int run = (int) Math.min(len - k, prefix.length() + n - pos);
                    Arrays.fill(buf, off + k, off + k + run, c);
                    k += run;
                    pos += run;
                    continue;
                } else {
                    buf[off + k] = suffix.charAt((int) (pos - prefix.length() - n));
                }
                k++;
                pos++;
            }
            return k;
        }

        @Override
        public void close() {
        }
    }
}
