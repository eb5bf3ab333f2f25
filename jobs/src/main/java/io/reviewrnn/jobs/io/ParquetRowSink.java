package io.reviewrnn.jobs.io;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnWriter;
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
 * A Parquet file of flat rows (string, int, long, double, boolean columns), written column by column through a
 * {@link ColumnarParquetFile}, so Spark reads it back with exactly the given schema.
 */
final class ParquetRowSink implements RowSink {
    private final StructType schema;
    private final DataType[] types;
    private final int[] defined;
    private final ColumnarParquetFile file;

    ParquetRowSink(FileSystem fs, Path path, StructType schema) throws IOException {
        this.schema = schema;
        this.types = new DataType[schema.size()];
        this.defined = new int[schema.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = schema.fields()[i].dataType();
            defined[i] = schema.fields()[i].nullable() ? 1 : 0;
        }
        file = new ColumnarParquetFile(HadoopOutputFile.fromPath(path, fs.getConf()), fs.getConf(),
                messageType(schema), schema);
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

    @Override
    public void write(Row row) throws IOException {
        for (int i = 0; i < types.length; i++) {
            ColumnWriter w = file.column(i);
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
        file.endRow();
    }

    @Override
    public long rows() {
        return file.rows();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
