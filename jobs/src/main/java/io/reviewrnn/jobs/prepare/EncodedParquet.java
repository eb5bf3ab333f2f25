package io.reviewrnn.jobs.prepare;

import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.jobs.io.ColumnarParquetFile;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.DataTypes;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.apache.spark.sql.types.StructType;

/**
 * Writes {@link EncodedRow}s as Parquet files of one split with parquet-hadoop's file and column writers directly
 * ({@link ColumnarParquetFile}), in the layout Spark itself writes for {@link #SPARK_SCHEMA} (standard three-level
 * lists), so Spark reads them back with exactly that schema. Used from executor tasks; going around Spark SQL's
 * writer saves its query planning, code generation and the sort that {@code partitionBy} adds, which cost more than
 * the writing itself for a corpus like IMDB.
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

    /** Opens a new file for writing through its Hadoop file system; fails if it exists. */
    static Writer open(Path file, Configuration conf) throws IOException {
        return new Writer(HadoopOutputFile.fromPath(file, conf), conf);
    }

    /**
     * Opens a new local file for writing with java.io; fails if it exists. Needs no Hadoop configuration, so tasks
     * writing to the local file system need none shipped to them.
     */
    static Writer openLocal(java.io.File file) throws IOException {
        return new Writer(new LocalFile(file), new Configuration(false));
    }

    /** Where tasks write their files: the local file system with java.io, or any Hadoop file system. */
    static final class Target implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final org.apache.spark.broadcast.Broadcast<SerializableHadoopConfig> conf;

        /** @param conf null for the local file system */
        Target(org.apache.spark.broadcast.Broadcast<SerializableHadoopConfig> conf) {
            this.conf = conf;
        }

        Writer open(Path file) throws IOException {
            if (conf == null) {
                java.io.File f = new java.io.File(file.toUri().getPath());
                java.nio.file.Files.createDirectories(f.getParentFile().toPath());
                return openLocal(f);
            }
            return EncodedParquet.open(file, conf.value().getConfiguration());
        }
    }

    private static final class LocalFile implements OutputFile {
        private final java.io.File file;

        LocalFile(java.io.File file) {
            this.file = file;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            if (!file.createNewFile()) {
                throw new java.nio.file.FileAlreadyExistsException(file.getPath());
            }
            return stream();
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            return stream();
        }

        private PositionOutputStream stream() throws IOException {
            java.io.OutputStream out = new java.io.BufferedOutputStream(new java.io.FileOutputStream(file), 1 << 16);
            return new PositionOutputStream() {
                private long pos;

                @Override
                public long getPos() {
                    return pos;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    pos++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    pos += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return file.getPath();
        }
    }

    /**
     * A Parquet file of encoded reviews, written column by column through a {@link ColumnarParquetFile}: each value
     * goes straight to its column writer with its repetition and definition levels.
     */
    static final class Writer implements java.io.Closeable {
        // leaf columns of SCHEMA, in order
        private static final int ID = 0;
        private static final int LABEL = 1;
        private static final int RATING = 2;
        private static final int IDS = 3;
        private static final int TOKEN_COUNT = 4;
        private static final int OOV_COUNT = 5;
        private static final int TRUNCATED = 6;

        private final ColumnarParquetFile file;

        private Writer(OutputFile out, Configuration conf) throws IOException {
            file = new ColumnarParquetFile(out, conf, SCHEMA, SPARK_SCHEMA);
        }

        void write(EncodedRow r) throws IOException {
            file.column(ID).write(Binary.fromString(r.id()), 0, 0);
            file.column(LABEL).write(r.label(), 0, 0);
            if (r.rating() == null) {
                file.column(RATING).writeNull(0, 0);
            } else {
                file.column(RATING).write(r.rating().intValue(), 0, 1);
            }
            ColumnWriter ids = file.column(IDS);
            int[] v = r.ids();
            if (v.length == 0) {
                ids.writeNull(0, 0);
            }
            for (int j = 0; j < v.length; j++) {
                ids.write(v[j], j == 0 ? 0 : 1, 1);
            }
            file.column(TOKEN_COUNT).write(r.tokenCount(), 0, 0);
            file.column(OOV_COUNT).write(r.oovCount(), 0, 0);
            file.column(TRUNCATED).write(r.truncated(), 0, 0);
            file.endRow();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
