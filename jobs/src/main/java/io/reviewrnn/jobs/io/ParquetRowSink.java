package io.reviewrnn.jobs.io;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Parquet file of flat rows (string, int, long, double, boolean columns), written column by column with
 * parquet-hadoop's column writers, in the layout Spark writes (Snappy, dictionary encoding, Spark's schema in the
 * footer), so Spark reads it back with exactly the given schema. Row groups close at 128 MB, Spark's default.
 */
final class ParquetRowSink implements RowSink {
    static final String SPARK_METADATA_KEY = "org.apache.spark.sql.parquet.row.metadata";
    private static final long ROW_GROUP_BYTES = 128L << 20;

    private final StructType schema;
    private final MessageType message;
    private final DataType[] types;
    private final int[] defined;
    private final ParquetProperties props = ParquetProperties.builder().build();
    private final CodecFactory codecs;
    private final CodecFactory.BytesCompressor compressor;
    private final ParquetFileWriter file;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore columns;
    private ColumnWriter[] writers;
    private long groupRows;
    private long rows;

    ParquetRowSink(FileSystem fs, Path path, StructType schema) throws IOException {
        this.schema = schema;
        this.message = messageType(schema);
        this.types = new DataType[schema.size()];
        this.defined = new int[schema.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = schema.fields()[i].dataType();
            defined[i] = schema.fields()[i].nullable() ? 1 : 0;
        }
        codecs = new CodecFactory(fs.getConf(), props.getPageSizeThreshold());
        compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
        file = new ParquetFileWriter(HadoopOutputFile.fromPath(path, fs.getConf()), message,
                ParquetFileWriter.Mode.CREATE, ROW_GROUP_BYTES, 0);
        file.start();
        startRowGroup();
    }

    static MessageType messageType(StructType schema) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (StructField f : schema.fields()) {
            Type.Repetition rep = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            DataType t = f.dataType();
            if (t.equals(DataTypes.StringType)) {
                b.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(f.name());
            } else if (t.equals(DataTypes.IntegerType)) {
                b.primitive(PrimitiveTypeName.INT32, rep).named(f.name());
            } else if (t.equals(DataTypes.LongType)) {
                b.primitive(PrimitiveTypeName.INT64, rep).named(f.name());
            } else if (t.equals(DataTypes.DoubleType)) {
                b.primitive(PrimitiveTypeName.DOUBLE, rep).named(f.name());
            } else if (t.equals(DataTypes.BooleanType)) {
                b.primitive(PrimitiveTypeName.BOOLEAN, rep).named(f.name());
            } else {
                throw new IllegalArgumentException("column " + f.name() + " has type " + t
                        + "; Parquet output supports string, int, bigint, double and boolean columns");
            }
        }
        return b.named("spark_schema");
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, message, props.getAllocator(),
                props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled());
        columns = props.newColumnWriteStore(message, pages);
        writers = new ColumnWriter[types.length];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = columns.getColumnWriter(message.getColumns().get(i));
        }
        groupRows = 0;
    }

    @Override
    public void write(Row row) throws IOException {
        for (int i = 0; i < writers.length; i++) {
            ColumnWriter w = writers[i];
            if (row.isNullAt(i)) {
                if (defined[i] == 0) {
                    throw new IllegalArgumentException("column " + schema.fields()[i].name() + " is null in " + row);
                }
                w.writeNull(0, 0);
                continue;
            }
            DataType t = types[i];
            int d = defined[i];
            if (t == DataTypes.StringType) {
                w.write(Binary.fromString(row.getString(i)), 0, d);
            } else if (t == DataTypes.IntegerType) {
                w.write(row.getInt(i), 0, d);
            } else if (t == DataTypes.LongType) {
                w.write(row.getLong(i), 0, d);
            } else if (t == DataTypes.DoubleType) {
                w.write(row.getDouble(i), 0, d);
            } else {
                w.write(row.getBoolean(i), 0, d);
            }
        }
        columns.endRecord();
        groupRows++;
        rows++;
        if (groupRows % 1024 == 0 && columns.getBufferedSize() > ROW_GROUP_BYTES) {
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

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        try {
            flushRowGroup();
            file.end(Map.of(SPARK_METADATA_KEY, schema.json()));
        } finally {
            codecs.release();
        }
    }
}
