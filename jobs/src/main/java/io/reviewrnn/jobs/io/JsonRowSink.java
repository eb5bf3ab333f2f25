package io.reviewrnn.jobs.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** JSON Lines, one object per row, null fields left out (as Spark's JSON writer does). */
final class JsonRowSink implements RowSink {
    private static final JsonFactory JSON = new JsonFactory();
    private final JsonGenerator out;
    private final String[] names;
    private long rows;

    JsonRowSink(OutputStream stream, StructType schema) throws IOException {
        this.out = JSON.createGenerator(new java.io.BufferedOutputStream(stream, 1 << 16), JsonEncoding.UTF8);
        this.out.setRootValueSeparator(null);
        this.names = schema.fieldNames();
    }

    @Override
    public void write(Row row) throws IOException {
        out.writeStartObject();
        for (int i = 0; i < names.length; i++) {
            if (row.isNullAt(i)) {
                continue;
            }
            Object v = row.get(i);
            out.writeFieldName(names[i]);
            if (v instanceof String s) {
                out.writeString(s);
            } else if (v instanceof Integer n) {
                out.writeNumber(n);
            } else if (v instanceof Long n) {
                out.writeNumber(n);
            } else if (v instanceof Double d) {
                out.writeNumber(d);
            } else if (v instanceof Boolean b) {
                out.writeBoolean(b);
            } else {
                out.writeString(v.toString());
            }
        }
        out.writeEndObject();
        out.writeRaw('\n');
        rows++;
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
