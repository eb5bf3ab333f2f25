package io.reviewrnn.jobs.prepare;

import io.reviewrnn.core.corpus.PreparedLayout;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes {@link EncodedRow}s as Parquet files of one split with parquet-hadoop directly, in the layout Spark itself
 * writes for {@link #SPARK_SCHEMA} (standard three-level lists, Snappy, Spark's schema in the footer), so Spark reads
 * them back with exactly that schema. Used from executor tasks; going around Spark SQL's writer saves its query
 * planning, code generation and the sort that {@code partitionBy} adds, which cost more than the writing itself
 * for a corpus like IMDB.
 */
final class EncodedParquet {
    /** The columns of a prepared split, as Spark reads them. */
    static final StructType SPARK_SCHEMA = new StructType()
            .add(PreparedLayout.COL_ID, DataTypes.StringType, false)
            .add(PreparedLayout.COL_LABEL, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_RATING, DataTypes.IntegerType, true)
            .add(PreparedLayout.COL_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add(PreparedLayout.COL_TOKEN_COUNT, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_OOV_COUNT, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_TRUNCATED, DataTypes.BooleanType, false);
    static final String SPARK_METADATA_KEY = "org.apache.spark.sql.parquet.row.metadata";

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(PreparedLayout.COL_ID)
            .required(PrimitiveTypeName.INT32).named(PreparedLayout.COL_LABEL)
            .optional(PrimitiveTypeName.INT32).named(PreparedLayout.COL_RATING)
            .requiredGroup().as(LogicalTypeAnnotation.listType())
                .repeatedGroup().required(PrimitiveTypeName.INT32).named("element").named("list")
                .named(PreparedLayout.COL_IDS)
            .required(PrimitiveTypeName.INT32).named(PreparedLayout.COL_TOKEN_COUNT)
            .required(PrimitiveTypeName.INT32).named(PreparedLayout.COL_OOV_COUNT)
            .required(PrimitiveTypeName.BOOLEAN).named(PreparedLayout.COL_TRUNCATED)
            .named("spark_schema");

    private EncodedParquet() {
    }

    /** Opens a new file for writing; fails if it exists. */
    static ParquetWriter<EncodedRow> open(Path file, Configuration conf) throws IOException {
        return new Builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .build();
    }

    private static final class Builder extends ParquetWriter.Builder<EncodedRow, Builder> {
        Builder(HadoopOutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<EncodedRow> getWriteSupport(Configuration conf) {
            return new RowWriteSupport();
        }
    }

    private static final class RowWriteSupport extends WriteSupport<EncodedRow> {
        private RecordConsumer out;

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(SCHEMA, Map.of(SPARK_METADATA_KEY, SPARK_SCHEMA.json()));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            out = recordConsumer;
        }

        @Override
        public void write(EncodedRow r) {
            out.startMessage();
            out.startField(PreparedLayout.COL_ID, 0);
            out.addBinary(Binary.fromString(r.id()));
            out.endField(PreparedLayout.COL_ID, 0);
            integer(PreparedLayout.COL_LABEL, 1, r.label());
            if (r.rating() != null) {
                integer(PreparedLayout.COL_RATING, 2, r.rating());
            }
            out.startField(PreparedLayout.COL_IDS, 3);
            out.startGroup();
            int[] ids = r.ids();
            if (ids.length > 0) {
                out.startField("list", 0);
                for (int id : ids) {
                    out.startGroup();
                    out.startField("element", 0);
                    out.addInteger(id);
                    out.endField("element", 0);
                    out.endGroup();
                }
                out.endField("list", 0);
            }
            out.endGroup();
            out.endField(PreparedLayout.COL_IDS, 3);
            integer(PreparedLayout.COL_TOKEN_COUNT, 4, r.tokenCount());
            integer(PreparedLayout.COL_OOV_COUNT, 5, r.oovCount());
            out.startField(PreparedLayout.COL_TRUNCATED, 6);
            out.addBoolean(r.truncated());
            out.endField(PreparedLayout.COL_TRUNCATED, 6);
            out.endMessage();
        }

        private void integer(String name, int index, int value) {
            out.startField(name, index);
            out.addInteger(value);
            out.endField(name, index);
        }
    }
}
