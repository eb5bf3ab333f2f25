package io.reviewrnn.jobs.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * CSV with a header line, as Spark's CSV writer does it with its defaults: a field is quoted when it holds the
 * delimiter, a quote, a line break or leading/trailing spaces, quotes inside are escaped with a backslash, null is
 * an empty field and the empty string is {@code ""}; so {@code spark.read().option("header", true).csv(dir)}
 * reads the values back.
 */
final class CsvRowSink implements RowSink {
    private final Writer out;
    private final int width;
    private long rows;

    CsvRowSink(OutputStream stream, StructType schema) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        this.width = schema.size();
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            field(names[i]);
        }
        out.write('\n');
    }

    @Override
    public void write(Row row) throws IOException {
        for (int i = 0; i < width; i++) {
            if (i > 0) {
                out.write(',');
            }
            if (!row.isNullAt(i)) {
                Object v = row.get(i);
                if (v instanceof String s) {
                    field(s);
                } else {
                    out.write(v.toString());
                }
            }
        }
        out.write('\n');
        rows++;
    }

    private void field(String s) throws IOException {
        if (s.isEmpty()) {
            out.write("\"\"");
            return;
        }
        boolean quote = Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1));
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r' || c == '\\';
        }
        if (!quote) {
            out.write(s);
            return;
        }
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.write('\\');
            }
            out.write(c);
        }
        out.write('"');
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
