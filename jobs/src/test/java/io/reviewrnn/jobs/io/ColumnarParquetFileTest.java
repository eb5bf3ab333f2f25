package io.reviewrnn.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column-at-a-time Parquet writer shared by prepare's encoded splits and score's Parquet output, read back with
 * parquet-hadoop's own reader (no Spark).
 */
class ColumnarParquetFileTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("rating", DataTypes.IntegerType, true);
    private static final MessageType MESSAGE = ParquetRowSink.messageType(SCHEMA);

    @TempDir
    java.nio.file.Path dir;

    private final Configuration conf = new Configuration();

    @Test
    void rowGroupsCloseAtTheirSizeAndEveryRowComesBackWithSparksSchemaInTheFooter() throws IOException {
        Path path = new Path(dir.resolve("groups.parquet").toUri());
        // a 1-byte row group size: a group closes at every 1,024th row, where the size is checked
        try (ColumnarParquetFile f = new ColumnarParquetFile(HadoopOutputFile.fromPath(path, conf), conf, MESSAGE,
                SCHEMA, 1)) {
            for (int i = 0; i < 2500; i++) {
                f.column(0).write(Binary.fromString("r" + i), 0, 0);
                if (i % 3 == 0) {
                    f.column(1).writeNull(0, 0);
                } else {
                    f.column(1).write(i, 0, 1);
                }
                f.endRow();
            }
            assertEquals(2500, f.rows());
        }
        ParquetMetadata footer = footer(path);
        List<Long> groupRows = new ArrayList<>();
        for (BlockMetaData b : footer.getBlocks()) {
            groupRows.add(b.getRowCount());
            assertEquals(CompressionCodecName.SNAPPY, b.getColumns().get(0).getCodec());
        }
        assertEquals(List.of(1024L, 1024L, 452L), groupRows);
        assertEquals(SCHEMA.json(), footer.getFileMetaData().getKeyValueMetaData()
                .get(ColumnarParquetFile.SPARK_METADATA_KEY));
        List<Group> rows = read(path);
        assertEquals(2500, rows.size());
        for (int i : new int[] {0, 1, 1023, 1024, 2047, 2048, 2499}) {
            Group g = rows.get(i);
            assertEquals("r" + i, g.getString("id", 0));
            assertEquals(i % 3 == 0 ? 0 : 1, g.getFieldRepetitionCount("rating"), "row " + i);
            if (i % 3 != 0) {
                assertEquals(i, g.getInteger("rating", 0));
            }
        }
    }

    @Test
    void theParquetRowSinkWritesOneGroupOfFlatRowsAndRefusesANullInARequiredColumn() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path path = new Path(dir.resolve("sink.parquet").toUri());
        try (RowSink sink = OutputFormat.PARQUET.open(fs, path, SCHEMA)) {
            sink.write(RowFactory.create("a", 5));
            sink.write(RowFactory.create("b", null));
            assertEquals(2, sink.rows());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sink.write(RowFactory.create(null, 1)));
            assertTrue(e.getMessage().contains("column id is null"), e.getMessage());
        }
        assertEquals(1, footer(path).getBlocks().size());
        List<Group> rows = read(path);
        assertEquals(2, rows.size());
        assertEquals("a", rows.get(0).getString("id", 0));
        assertEquals(5, rows.get(0).getInteger("rating", 0));
        assertEquals(0, rows.get(1).getFieldRepetitionCount("rating"));
    }

    private ParquetMetadata footer(Path path) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
            return r.getFooter();
        }
    }

    private List<Group> read(Path path) throws IOException {
        List<Group> out = new ArrayList<>();
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                out.add(g);
            }
        }
        return out;
    }
}
