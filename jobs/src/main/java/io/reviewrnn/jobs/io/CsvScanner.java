package io.reviewrnn.jobs.io;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV/TSV records as Spark's multi-line CSV reader does with {@code quote '"'} and {@code escape '"'}: quoted
 * fields may hold separators, doubled quotes and line breaks; records end at LF, CR or CR LF outside quotes; blank
 * lines are skipped; an empty unquoted field is null. Each field keeps at most {@code fieldCap} characters: a longer
 * one is counted to its end but never held, so memory is bounded by the cap whatever the input. Field text is kept
 * as written (no line-ending normalization). Not thread-safe.
 */
final class CsvScanner {
    /** Fields of one record kept at most; a record with more is malformed. */
    static final int MAX_FIELDS = 10_000;
    /** Characters of a malformed record kept for its reject snippet. */
    static final int RAW_KEEP = 1000;
    private static final int EOF = -1;

    private final Reader in;
    private final char sep;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int lim;
    private int pushback = -2;

    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private long fieldChars;
    private boolean quotedField;
    private int longField;
    private long longFieldChars;
    private int count;
    private boolean malformed;

    CsvScanner(Reader in, char sep) {
        this.in = in;
        this.sep = sep;
    }

    /** Reads the next record, keeping at most {@code fieldCap} characters per field; false at the end. */
    boolean next(int fieldCap) throws IOException {
        fields.clear();
        longField = -1;
        longFieldChars = 0;
        count = 0;
        malformed = false;
        int c = read();
        while (c == '\n' || c == '\r') { // blank lines
            c = read();
        }
        if (c == EOF) {
            return false;
        }
        while (true) {
            startField();
            if (c == '"') {
                c = quoted(fieldCap);
            } else {
                c = unquoted(c, fieldCap);
            }
            endField();
            if (c == sep) {
                c = read();
                if (c == EOF || c == '\n' || c == '\r') { // a trailing separator: one more empty field
                    startField();
                    endField();
                    endRecord(c);
                    return true;
                }
                continue;
            }
            endRecord(c);
            return true;
        }
    }

    /** An unquoted field starting with {@code c}; returns the separator, line break or EOF that ended it. */
    private int unquoted(int c, int fieldCap) throws IOException {
        while (c != EOF && c != sep && c != '\n' && c != '\r') {
            add((char) c, fieldCap);
            c = read();
        }
        return c;
    }

    /** A quoted field (the opening quote was read); returns what follows its closing quote. */
    private int quoted(int fieldCap) throws IOException {
        quotedField = true;
        while (true) {
            int c = read();
            if (c == EOF) {
                malformed = true; // unterminated quote
                return EOF;
            }
            if (c == '"') {
                int d = read();
                if (d == '"') {
                    add('"', fieldCap);
                    continue;
                }
                if (d == EOF || d == sep || d == '\n' || d == '\r') {
                    return d;
                }
                malformed = true; // text after the closing quote: kept, as a lenient parser would
                return unquoted(d, fieldCap);
            }
            add((char) c, fieldCap);
        }
    }

    private void startField() {
        field.setLength(0);
        fieldChars = 0;
        quotedField = false;
    }

    private void endField() {
        if (count < MAX_FIELDS) {
            fields.add(fieldChars == 0 && !quotedField ? null : field.toString());
        } else {
            malformed = true;
        }
        if (fieldChars > field.length() && longField < 0) {
            longField = count;
            longFieldChars = fieldChars;
        }
        count++;
    }

    private void endRecord(int c) throws IOException {
        if (c == '\r') {
            int d = read();
            if (d != '\n') {
                unread(d);
            }
        }
    }

    private void add(char c, int fieldCap) {
        if (fieldChars < fieldCap) {
            field.append(c);
        }
        fieldChars++;
    }

    private int read() throws IOException {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        if (pos == lim) {
            int n;
            do {
                n = in.read(buf, 0, buf.length);
            } while (n == 0);
            if (n < 0) {
                return EOF;
            }
            pos = 0;
            lim = n;
        }
        return buf[pos++];
    }

    private void unread(int c) {
        pushback = c;
    }

    /** The fields of the record last read (null for an empty unquoted field). */
    List<String> fields() {
        return fields;
    }

    /** Fields the record last read had (may exceed {@link #MAX_FIELDS}). */
    int fieldCount() {
        return count;
    }

    /** True when the record last read had bad quoting or too many fields. */
    boolean malformed() {
        return malformed;
    }

    /** Index of the first field longer than the cap, or -1. */
    int longField() {
        return longField;
    }

    /** Characters of that field. */
    long longFieldChars() {
        return longFieldChars;
    }

    /** The start of the record last read, its fields joined by the separator (for a reject's snippet). */
    String raw() {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            if (b.length() > 0) {
                b.append(sep);
            }
            if (f != null) {
                b.append(f, 0, Math.min(f.length(), RAW_KEEP));
            }
            if (b.length() >= RAW_KEEP) {
                return b.substring(0, RAW_KEEP);
            }
        }
        return b.toString();
    }
}
