package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.jobs.sql.ReviewSentimentExtensions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code review_sentiment} through {@link ReviewSentimentExtensions} on the shared local Spark: a session with the
 * extension applied, as {@code spark.sql.extensions} does, on the same SparkContext.
 */
class ReviewSentimentSqlIT {
    private static SparkSession previous;
    private static SparkSession sql;
    private static Path reviews;

    @BeforeAll
    static void session() throws Exception {
        previous = ScoreFixtures.spark();
        ScoreFixtures.checkpoint();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        sql = SparkSession.builder().withExtensions(new ReviewSentimentExtensions()).getOrCreate();
        assertTrue(sql != previous && sql.sparkContext() == previous.sparkContext());
        reviews = Files.createDirectories(ScoreFixtures.root().resolve("sql-in")).resolve("reviews.jsonl");
        StringBuilder b = new StringBuilder();
        String[] words = {"great", "awful", "boring", "moving", "film", "plot", "wonderful", "waste", "acting", "loved"};
        for (int i = 0; i < 60; i++) {
            b.append("{\"id\":\"r").append(i).append("\",\"text\":\"");
            for (int j = 0; j < 3 + i % 17; j++) {
                b.append(words[(i * 7 + j * 3) % words.length]).append(' ');
            }
            b.append("\"}\n");
        }
        b.append("{\"id\":\"blank\",\"text\":\"   \"}\n{\"id\":\"none\"}\n");
        Files.writeString(reviews, b.toString());
        sql.read().json(reviews.toString()).repartition(3).createOrReplaceTempView("reviews");
    }

    @AfterAll
    static void restore() {
        SparkSession.setDefaultSession(previous);
        SparkSession.setActiveSession(previous);
    }

    @Test
    void selectReviewSentimentEqualsScoreForTheSameRows() throws Exception {
        Path out = ScoreFixtures.root().resolve("sql-score");
        ScoreConfig c = ScoreConfig.builder().setModel(ScoreFixtures.checkpoint())
                .setInput(CorpusSource.of(reviews.toString())).setOutput(out.toUri().toString())
                .optOutputFormat("parquet").optBatchSize(16).optPartitions(2).optProgressSeconds(1).build();
        ScoreResult scored = new ScoreJob(c).run(previous);
        Map<String, Double> byScore = new HashMap<>();
        for (Row r : previous.read().parquet(out.resolve(ScoreJob.PREDICTIONS).toString()).select("id", "probability")
                .collectAsList()) {
            byScore.put(r.getString(0), r.getDouble(1));
        }
        assertEquals(60, byScore.size());
        assertEquals(2, scored.rejected());

        sql.conf().set(ReviewSentimentExtensions.CHECKPOINT, ScoreFixtures.checkpoint());
        sql.conf().set(ReviewSentimentExtensions.BATCH_SIZE, "7");
        Dataset<Row> df = sql.sql("SELECT id, review_sentiment(text) FROM reviews");
        assertTrue(df.queryExecution().analyzed().toString().contains("MapPartitions"),
                "scored in minibatches, not per row:\n" + df.queryExecution().analyzed());
        List<Row> rows = df.collectAsList();
        assertEquals(62, rows.size());
        int compared = 0;
        for (Row r : rows) {
            Double want = byScore.get(r.getString(0));
            if (want == null) {
                assertTrue(r.isNullAt(1), "null for blank or missing text: " + r);
            } else {
                assertEquals(want, r.getDouble(1), 1e-6, r.getString(0));
                compared++;
            }
        }
        assertEquals(60, compared);

        // the checkpoint as an argument, inside a larger query: operators above see the column
        String path = ScoreFixtures.checkpoint().replace("'", "\\'");
        List<Row> top = sql.sql("SELECT upper(id) AS id, p FROM (SELECT id, review_sentiment(text, '" + path
                + "') AS p FROM reviews) WHERE p IS NOT NULL ORDER BY p DESC, id LIMIT 5").collectAsList();
        assertEquals(5, top.size());
        double best = byScore.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(best, top.get(0).getDouble(1), 1e-6);
    }

    @Test
    void aCheckpointWithAnotherHashIsRefusedWithAMessage() throws Exception {
        sql.conf().set(ReviewSentimentExtensions.CHECKPOINT, ScoreFixtures.checkpoint());
        sql.conf().set(ReviewSentimentExtensions.EXPECTED_HASH, "0".repeat(64));
        try {
            Exception e = assertThrows(Exception.class,
                    () -> sql.sql("SELECT id, review_sentiment(text) FROM reviews").collectAsList());
            assertTrue(String.valueOf(e.getMessage()).contains("content hash"), e.toString());
        } finally {
            sql.conf().unset(ReviewSentimentExtensions.EXPECTED_HASH);
        }
        assertEquals(Checkpoint.load(ScoreFixtures.checkpoint()).contentHash().length(), 64);
    }
}
