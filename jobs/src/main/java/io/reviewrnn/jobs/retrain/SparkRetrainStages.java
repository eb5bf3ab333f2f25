package io.reviewrnn.jobs.retrain;

import static org.apache.spark.sql.functions.col;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.retrain.RetrainStages;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.jobs.evaluate.EvaluateJob;
import io.reviewrnn.jobs.io.CorpusReader;
import io.reviewrnn.jobs.io.RawReviews;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.prepare.PrepareResult;
import io.reviewrnn.jobs.train.TrainJob;
import io.reviewrnn.jobs.train.TrainResult;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * The Spark work of {@code retrain}: {@link PrepareJob}, {@link TrainJob} and {@link EvaluateJob}. Challenger and
 * champion are evaluated on the same raw held-out test reviews, each through its own vocabulary and text spec (a
 * champion's vocabulary usually differs from the fresh corpus's), so the comparison is fair. Writes only under the
 * run directory; the registry is the {@link io.reviewrnn.core.retrain.Retrainer}'s.
 */
public final class SparkRetrainStages implements RetrainStages {
    static final String TEST_REVIEWS = "test-reviews";

    private final SparkSession spark;

    public SparkRetrainStages(SparkSession spark) {
        this.spark = spark;
    }

    @Override
    public PreparedSnapshot prepare(RetrainConfig config, String runDir) throws Exception {
        PrepareConfig pc = config.prepareConfig(runDir + "/prepared");
        PrepareResult prepared = new PrepareJob(pc).run(spark);
        writeTestReviews(pc, prepared.output(), new Path(runDir, TEST_REVIEWS));
        Path manifest = new Path(prepared.output(), PreparedLayout.MANIFEST);
        FileSystem fs = manifest.getFileSystem(spark.sparkContext().hadoopConfiguration());
        byte[] bytes;
        try (InputStream in = fs.open(manifest)) {
            bytes = in.readAllBytes();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return new PreparedSnapshot(prepared.output(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8), sha);
    }

    /**
     * The test split's raw reviews (id, text, label), for evaluating models with different vocabularies alike: the
     * input's test part, or with {@code test_split} the training reviews prepare put into its test split.
     */
    private void writeTestReviews(PrepareConfig pc, String prepared, Path target) throws IOException {
        int parts = 2 * spark.sparkContext().defaultParallelism();
        JavaRDD<Row> raw = CorpusReader.read(spark, pc.input(), PreparedLayout.TRAIN, pc.maxReviewChars(), parts, true);
        if (pc.testInput() != null) {
            raw = raw.union(CorpusReader.read(spark, pc.testInput(), PreparedLayout.TEST, pc.maxReviewChars(), parts,
                    true));
        }
        Dataset<Row> usable = spark.createDataFrame(raw, RawReviews.SCHEMA)
                .filter(col(RawReviews.ERROR).isNull().and(col(RawReviews.LABEL).isNotNull()));
        Dataset<Row> test = pc.testSplit() > 0
                ? usable.filter(col(RawReviews.SPLIT).equalTo(PreparedLayout.TRAIN)).join(spark.read()
                        .parquet(new Path(prepared, PreparedLayout.TEST).toString()).select(PreparedLayout.COL_ID),
                        JavaConverters.asScalaBuffer(List.of(RawReviews.ID)).toSeq(), "left_semi")
                : usable.filter(col(RawReviews.SPLIT).equalTo(PreparedLayout.TEST));
        test.select(RawReviews.ID, RawReviews.TEXT, RawReviews.LABEL).write().parquet(target.toString());
    }

    @Override
    public TrainedChallenger train(RetrainConfig config, PreparedSnapshot data, String runDir) throws Exception {
        TrainConfig tc = config.trainConfig(data.path(), runDir + "/train");
        TrainResult result = new TrainJob(tc).run(spark);
        return new TrainedChallenger(result.finalCheckpoint(), Yaml.json().valueToTree(tc));
    }

    @Override
    public Map<String, Double> evaluate(String checkpoint, PreparedSnapshot data, String outputDir) throws Exception {
        Path reviews = new Path(new Path(data.path()).getParent(), TEST_REVIEWS);
        CorpusSource source = CorpusSource.builder().setPath(reviews.toString()).optFormat(CorpusFormat.PARQUET)
                .optTextColumn(RawReviews.TEXT).optLabelColumn(RawReviews.LABEL).optIdColumn(RawReviews.ID).build();
        BinaryMetrics m = new EvaluateJob(EvaluateConfig.of(checkpoint, source, outputDir)).run(spark).metrics();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", m.accuracy());
        out.put("loss", m.loss());
        out.put("precision", m.precision());
        out.put("recall", m.recall());
        out.put("f1", m.f1());
        out.put("roc_auc", m.rocAuc());
        out.put("error_rate", 1 - m.accuracy());
        return out;
    }
}
