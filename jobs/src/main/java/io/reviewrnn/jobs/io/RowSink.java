package io.reviewrnn.jobs.io;

import java.io.Closeable;
import java.io.IOException;
import org.apache.spark.sql.Row;

/** One output file of flat rows, written by one task in one format ({@link OutputFormat#open}). Not thread-safe. */
public interface RowSink extends Closeable {
    void write(Row row) throws IOException;

    /** Rows written so far. */
    long rows();
}
