package io.reviewrnn.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.jobs.testing.LocalSpark;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PreparedSplitReader} reads what Spark's own Parquet reader reads, record by record. */
class PreparedSplitReaderIT {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("rating", DataTypes.IntegerType, true)
            .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("token_count", DataTypes.IntegerType, false)
            .add("oov_count", DataTypes.IntegerType, false)
            .add("truncated", DataTypes.BooleanType, false);

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void readsEveryRecordOfSparkWrittenFilesWithManyRowGroupsAndEmptyLists() throws Exception {
        SparkSession spark = LocalSpark.get();
        List<Row> rows = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < 3000; i++) {
            int[] ids = new int[i % 50 == 0 ? 0 : 1 + r.nextInt(300)]; // some empty, lengths 1..300
            for (int j = 0; j < ids.length; j++) {
                ids[j] = r.nextInt(10_000);
            }
            List<Integer> boxed = Arrays.stream(ids).boxed().toList();
            rows.add(RowFactory.create("r" + i, i % 2, i % 7 == 0 ? null : 1 + i % 10, boxed, 400 + i, i % 13,
                    i % 3 == 0));
        }
        String dir = tmp.resolve("test").toString();
        // small row groups: a file holds several, and lists must not run across them
        spark.createDataFrame(rows, SCHEMA).repartition(3).write().option("parquet.block.size", 16 * 1024)
                .parquet(dir);

        List<Row> got = PreparedSplitReader.read(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                new Path(dir)).collect();

        List<String> want = new ArrayList<>();
        for (Row row : spark.read().parquet(dir).collectAsList()) {
            int[] ids = row.<Integer>getList(row.fieldIndex("ids")).stream().mapToInt(Integer::intValue).toArray();
            want.add(key(row.getInt(row.fieldIndex("label")), ids, row.getInt(row.fieldIndex("token_count")),
                    row.getInt(row.fieldIndex("oov_count")), row.getBoolean(row.fieldIndex("truncated"))));
        }
        List<String> have = new ArrayList<>();
        for (Row row : got) {
            have.add(key(row.getInt(PreparedSplitReader.LABEL), (int[]) row.get(PreparedSplitReader.IDS),
                    row.getInt(PreparedSplitReader.TOKEN_COUNT), row.getInt(PreparedSplitReader.OOV_COUNT),
                    row.getBoolean(PreparedSplitReader.TRUNCATED)));
        }
        assertEquals(3000, have.size());
        want.sort(null);
        have.sort(null);
        assertEquals(want, have);
        assertTrue(have.stream().anyMatch(k -> k.contains("[]")), "the empty lists were read as empty");
    }

    @Test
    void aFileWithoutTheModelInputIsRefusedNamingTheColumn() throws Exception {
        SparkSession spark = LocalSpark.get();
        String dir = tmp.resolve("other").toString();
        spark.createDataFrame(List.of(RowFactory.create("a", 1)), new StructType().add("id", DataTypes.StringType)
                .add("label", DataTypes.IntegerType)).write().parquet(dir);
        SparkException e = assertThrows(SparkException.class, () -> PreparedSplitReader.read(
                JavaSparkContext.fromSparkContext(spark.sparkContext()), new Path(dir)).count());
        assertTrue(String.valueOf(e.getMessage()).contains("has no column 'ids'"), e.getMessage());
    }

    @Test
    void aSplitWithNoParquetFilesIsRefused() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(tmp.resolve("empty/_SUCCESS"), "");
        var e = assertThrows(java.io.FileNotFoundException.class, () -> PreparedSplitReader.read(
                JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext()), new Path(tmp.resolve("empty")
                        .toUri())));
        assertTrue(e.getMessage().contains("no Parquet files"), e.getMessage());
    }

    private static String key(int label, int[] ids, int tokens, int oov, boolean truncated) {
        return label + " " + Arrays.toString(ids) + " " + tokens + " " + oov + " " + truncated;
    }
}
