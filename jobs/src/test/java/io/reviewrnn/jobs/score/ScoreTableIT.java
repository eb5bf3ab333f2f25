package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.store.OutputExistsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code score --output-table} against a real Hive metastore: Spark's embedded Derby metastore and a warehouse in
 * a temporary directory. One SparkContext per JVM, so this class stops the shared test session, runs its own
 * Hive-enabled one and stops it at the end; the shared helpers start a fresh session for the next IT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoreTableIT {
    private static final int GOOD = 40;
    private Path root;
    private String checkpoint;
    private String input;
    private SparkSession hive;

    @BeforeAll
    void hiveSession() throws Exception {
        checkpoint = ScoreFixtures.checkpoint(); // trained on the shared session, before it is stopped
        root = Files.createTempDirectory("score-table-it");
        StringBuilder csv = new StringBuilder("id,review,day\n");
        for (int i = 0; i < GOOD; i++) {
            csv.append("r").append(i).append(',').append(i % 2 == 0 ? "a wonderful moving film with great acting"
                    : "boring awful plot and terrible acting and a waste").append(" number ").append(i).append(',')
                    .append(day(i)).append('\n');
        }
        csv.append("empty,\"\",2026-12-01\n"); // a reject: no text
        input = Files.writeString(root.resolve("reviews.csv"), csv.toString(), StandardCharsets.UTF_8).toString();

        SparkSession.active().stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        System.setProperty("derby.system.home", root.toString());
        hive = SparkSession.builder().appName("score-table-it").master("local[2,2]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", root.resolve("warehouse").toUri().toString())
                .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                        "jdbc:derby:;databaseName=" + root.resolve("metastore_db") + ";create=true")
                .enableHiveSupport()
                .getOrCreate();
        assertEquals("hive", hive.conf().get("spark.sql.catalogImplementation"));
        hive.sql("CREATE DATABASE scoring");
    }

    @AfterAll
    void stopHive() {
        if (hive != null) {
            hive.stop();
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    private ScoreConfig config(String out, String table, List<String> partitionBy, boolean overwrite) {
        return config(out, table, partitionBy, null, overwrite);
    }

    private ScoreConfig config(String out, String table, List<String> partitionBy, List<String> keep,
                               boolean overwrite) {
        return ScoreConfig.builder().setModel(checkpoint).setInput(CorpusSource.of(input))
                .setOutput(root.resolve(out).toUri().toString()).optBatchSize(16).optPartitions(3)
                .optProgressSeconds(1).optOverwrite(overwrite).optOutputTable(table).optPartitionBy(partitionBy)
                .optKeepColumns(keep).build();
    }

    private static String day(int i) {
        return "2026-12-0" + (1 + i % 3);
    }

    @Test
    void scoresIntoAPartitionedHiveTableAndReadsItBack() throws Exception {
        ScoreResult r = new ScoreJob(config("to-table", "scoring.preds", List.of("day"), List.of("day"), false))
                .run(hive);
        assertEquals(GOOD + 1, r.recordsIn());
        assertEquals(GOOD, r.scored());
        assertEquals(1, r.rejected());
        assertEquals("table scoring.preds", r.predictions());

        // In the metastore, partitioned by the kept column, holding exactly the scored records, ids and days intact.
        assertEquals("preds", hive.catalog().getTable("scoring", "preds").name());
        List<String> partitions = new ArrayList<>();
        for (Row p : hive.sql("SHOW PARTITIONS scoring.preds").collectAsList()) {
            partitions.add(p.getString(0));
        }
        assertEquals(List.of("day=2026-12-01", "day=2026-12-02", "day=2026-12-03"), partitions.stream().sorted()
                .toList());
        List<Row> rows = hive.sql("SELECT id, probability, predicted_label, model_sha256, day FROM scoring.preds")
                .collectAsList();
        assertEquals(GOOD, rows.size());
        TreeSet<String> ids = new TreeSet<>();
        Map<String, Double> byId = new HashMap<>();
        for (Row row : rows) {
            ids.add(row.getString(0));
            byId.put(row.getString(0), row.getDouble(1));
            assertEquals(row.getDouble(1) >= 0.5 ? 1 : 0, row.getInt(2));
            assertEquals(r.modelHash(), row.getString(3));
            assertEquals(day(Integer.parseInt(row.getString(0).substring(1))), row.getString(4), row.getString(0));
        }
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < GOOD; i++) {
            expected.add("r" + i);
        }
        assertEquals(expected, ids);

        // The output directory keeps rejects and the summary; the staged predictions were moved to the table.
        Path out = root.resolve("to-table");
        assertTrue(Files.exists(out.resolve(ScoreJob.SUMMARY)));
        assertEquals(1, hive.read().json(out.resolve(ScoreJob.REJECTS).toString()).count());
        assertFalse(Files.exists(out.resolve(ScoreJob.PREDICTIONS)));

        // The same probabilities as scoring into files.
        ScoreResult files = new ScoreJob(config("to-files", null, null, false)).run(hive);
        List<Row> fromFiles = hive.read().parquet(files.predictions()).select("id", "probability").collectAsList();
        assertEquals(GOOD, fromFiles.size());
        for (Row row : fromFiles) {
            assertEquals(row.getDouble(1), byId.get(row.getString(0)), 1e-12, row.getString(0));
        }
    }

    @Test
    void anExistingTableIsRefusedBeforeScoringAndReplacedWithOverwrite() throws Exception {
        hive.sql("CREATE TABLE scoring.taken (id STRING) USING parquet");
        hive.sql("INSERT INTO scoring.taken VALUES ('old1'), ('old2')");
        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> new ScoreJob(config("taken-1", "scoring.taken", null, false)).run(hive));
        assertTrue(e.getMessage().contains("scoring.taken"), e.getMessage());
        assertFalse(Files.exists(root.resolve("taken-1")), "refused before any output was written");

        ScoreResult r = new ScoreJob(config("taken-2", "scoring.taken", null, true)).run(hive);
        assertEquals(GOOD, r.scored());
        assertEquals(GOOD, hive.table("scoring.taken").count(), "replaced, not appended to");
        assertEquals(0, hive.table("scoring.taken").where("id LIKE 'old%'").count());
    }

    @Test
    void aPartitionColumnThatIsNeitherPredictedNorKeptIsRefusedBeforeAnyOutput() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ScoreJob(config("unkept", "scoring.unkept", List.of("day"), false)).run(hive));
        assertEquals("partition_by", e.key());
        assertTrue(e.getMessage().contains("'day'"), e.getMessage());
        assertFalse(Files.exists(root.resolve("unkept")), "refused before any output was written");
        assertFalse(hive.catalog().tableExists("scoring.unkept"));
    }

    @Test
    void aMissingDatabaseNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ScoreJob(config("nodb", "nosuchdb.preds", null, false)).run(hive));
        assertEquals("output_table", e.key());
        assertTrue(e.getMessage().contains("nosuchdb"), e.getMessage());
    }
}
