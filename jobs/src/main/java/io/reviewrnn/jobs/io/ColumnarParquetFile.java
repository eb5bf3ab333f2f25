package io.reviewrnn.jobs.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.types.StructType;

/**
 * A Parquet file written a value at a time straight into parquet-hadoop's column writers, without parquet-mr's
 * record-assembly layer (which costs about as much as everything else a task does to write a row), in the layout
 * Spark writes: Snappy, dictionary encoding, and Spark's schema in the footer, so Spark reads the file back with
 * exactly that schema. The caller writes each row's values with their repetition and definition levels to the
 * writers of its leaf columns ({@link #column}), then calls {@link #endRow}; row groups close at
 * {@link #ROW_GROUP_BYTES}. One file per task: not thread-safe.
 */
public final class ColumnarParquetFile implements Closeable {
    /** The footer key under which Spark keeps a file's Spark schema. */
    public static final String SPARK_METADATA_KEY = "org.apache.spark.sql.parquet.row.metadata";
    /** Row group size: Spark's default ({@code parquet.block.size}). */
    public static final long ROW_GROUP_BYTES = 128L << 20;

    private final ParquetProperties props = ParquetProperties.builder().build();
    private final MessageType message;
    private final StructType sparkSchema;
    private final long rowGroupBytes;
    private final CodecFactory codecs;
    private final CodecFactory.BytesCompressor compressor;
    private final ParquetFileWriter file;
    private final ColumnWriter[] writers;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore columns;
    private long groupRows;
    private long rows;

    /**
     * Creates {@code out} (failing if it exists) for rows of {@code message}, whose leaf columns are
     * {@code sparkSchema}'s as Spark lays them out.
     */
    public ColumnarParquetFile(OutputFile out, Configuration conf, MessageType message, StructType sparkSchema)
            throws IOException {
        this(out, conf, message, sparkSchema, ROW_GROUP_BYTES);
    }

    ColumnarParquetFile(OutputFile out, Configuration conf, MessageType message, StructType sparkSchema,
            long rowGroupBytes) throws IOException {
        this.message = message;
        this.sparkSchema = sparkSchema;
        this.rowGroupBytes = rowGroupBytes;
        this.writers = new ColumnWriter[message.getColumns().size()];
        codecs = new CodecFactory(conf, props.getPageSizeThreshold());
        compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
        file = new ParquetFileWriter(out, message, ParquetFileWriter.Mode.CREATE, ROW_GROUP_BYTES, 0);
        file.start();
        startRowGroup();
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, message, props.getAllocator(),
                props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled());
        columns = props.newColumnWriteStore(message, pages);
        for (int i = 0; i < writers.length; i++) {
            writers[i] = columns.getColumnWriter(message.getColumns().get(i));
        }
        groupRows = 0;
    }

    /** The writer of leaf column {@code i} (in the order of {@code message.getColumns()}) for the current row. */
    public ColumnWriter column(int i) {
        return writers[i];
    }

    /** Ends the row whose values were written; closes the row group once its buffers pass the row group size. */
    public void endRow() throws IOException {
        columns.endRecord();
        groupRows++;
        rows++;
        if (groupRows % 1024 == 0 && columns.getBufferedSize() > rowGroupBytes) {
            flushRowGroup();
            startRowGroup();
        }
    }

    private void flushRowGroup() throws IOException {
        if (groupRows > 0) {
            file.startBlock(groupRows);
            columns.flush();
            pages.flushToFileWriter(file);
            file.endBlock();
        }
        columns.close();
    }

    /** Rows ended so far. */
    public long rows() {
        return rows;
    }

    /** Writes the last row group and the footer with Spark's schema. */
    @Override
    public void close() throws IOException {
        try {
            flushRowGroup();
            file.end(Map.of(SPARK_METADATA_KEY, sparkSchema.json()));
        } finally {
            codecs.release();
        }
    }
}
