package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.store.CheckpointMismatchException;
import io.reviewrnn.core.store.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** {@link ReviewSentimentModel} as a Spark ML stage: transform, and a pipeline saved, loaded and applied again. */
class ReviewSentimentModelIT {

    private static Dataset<Row> reviews(SparkSession spark) {
        StructType schema = new StructType().add("key", DataTypes.IntegerType).add("body", DataTypes.StringType);
        List<Row> in = List.of(RowFactory.create(1, "a wonderful moving film"),
                RowFactory.create(2, "awful boring waste of time"), RowFactory.create(3, null),
                RowFactory.create(4, "   "), RowFactory.create(5, "great great great"));
        return spark.createDataFrame(in, schema).repartition(2);
    }

    @Test
    void appendsTheNetworksProbabilityAndPredictionPerRow() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Checkpoint c = Checkpoint.load(ScoreFixtures.checkpoint());
        ReviewSentimentModel stage = new ReviewSentimentModel().setCheckpoint(ScoreFixtures.checkpoint())
                .setExpectedHash(c.contentHash()).setInputCol("body").setBatchSize(2);
        Dataset<Row> df = reviews(spark);

        Dataset<Row> scored = stage.transform(df);
        assertEquals(List.of("key", "body", "probability", "prediction"), List.of(scored.columns()));
        List<Row> out = scored.orderBy("key").collectAsList();
        assertEquals(5, out.size());
        for (Row r : out) {
            String text = r.getString(1);
            if (text == null || text.isBlank()) {
                assertTrue(r.isNullAt(2) && r.isNullAt(3), "no probability for empty text: " + r);
            } else {
                double direct = Direct.predict(c, Direct.encode(c, text).ids());
                assertEquals(direct, r.getDouble(2), 1e-6, text);
                assertEquals(direct >= 0.5 ? 1.0 : 0.0, r.getDouble(3));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> stage.copy(
                new org.apache.spark.ml.param.ParamMap()).setInputCol("key").transform(df));
        java.io.UncheckedIOException refused = assertThrows(java.io.UncheckedIOException.class,
                () -> new ReviewSentimentModel().setCheckpoint(ScoreFixtures.checkpoint())
                        .setExpectedHash("0".repeat(64)).setInputCol("body").transform(df));
        assertTrue(refused.getCause() instanceof CheckpointMismatchException, refused.toString());
    }

    @Test
    void aSavedPipelineLoadsAndGivesTheSameOutput() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Dataset<Row> df = reviews(spark);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new SQLTransformer().setStatement("SELECT key, lower(body) AS text FROM __THIS__"),
            new ReviewSentimentModel().setCheckpoint(ScoreFixtures.checkpoint()).setProbabilityCol("p")});
        PipelineModel fitted = pipeline.fit(df);
        List<Row> before = fitted.transform(df).orderBy("key").collectAsList();

        Path dir = ScoreFixtures.root().resolve("pipeline");
        fitted.write().overwrite().save(dir.toUri().toString());
        assertTrue(Files.exists(dir.resolve("stages")), "saved like an MLlib pipeline");
        PipelineModel loaded = PipelineModel.load(dir.toUri().toString());
        ReviewSentimentModel stage = (ReviewSentimentModel) loaded.stages()[1];
        assertEquals("p", stage.getOrDefault(stage.probabilityCol()));
        String copy = stage.getOrDefault(stage.checkpoint());
        assertTrue(copy.contains(dir.toString() + "/stages/") && copy.endsWith("/" + ReviewSentimentModel.CHECKPOINT_DIR),
                "the loaded stage reads the checkpoint saved with it: " + copy);
        List<Row> after = loaded.transform(df).orderBy("key").collectAsList();

        assertEquals(before, after);
        assertEquals(5, after.size());
        assertTrue(after.stream().filter(r -> !r.isNullAt(2)).count() == 3, after.toString());
    }
}
