package io.reviewrnn.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.score.PackagedModel;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.jobs.io.CorpusReader;
import io.reviewrnn.jobs.io.RawReviews;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code score} stage: raw reviews in (labelled or not, any format {@code prepare} reads, or one review per
 * line), one probability per review out, with the model's name and content hash. The checkpoint is verified on
 * the driver and broadcast once; executors rebuild the network once per task slot and score in minibatches
 * inside {@code mapPartitions}, so memory is bounded by one minibatch per task whatever the input size. Every
 * input record ends up either in {@code predictions/} or, with its reason, in {@code rejects/}; the job checks
 * that the counts add up. Output layout, committed atomically:
 *
 * <pre>
 * out/predictions/   Parquet or CSV: id, label (input's, may be null), probability, predicted_label, model,
 *                    model_sha256, token_count, oov_count, truncated
 * out/rejects/       JSON Lines: id, source, reason, snippet (first 200 characters)
 * out/summary.json   {@link ScoreResult}
 * </pre>
 */
public final class ScoreJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    public static final String PREDICTIONS = "predictions";
    public static final String REJECTS = "rejects";
    public static final String SUMMARY = "summary.json";
    static final int SNIPPET = 200;

    /** Columns of the scored set before it is split into predictions and rejects. */
    static final StructType SCORED = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, true)
            .add("probability", DataTypes.DoubleType, true)
            .add("predicted_label", DataTypes.IntegerType, true)
            .add("model", DataTypes.StringType, false)
            .add("model_sha256", DataTypes.StringType, false)
            .add("token_count", DataTypes.IntegerType, true)
            .add("oov_count", DataTypes.IntegerType, true)
            .add("truncated", DataTypes.BooleanType, true)
            .add("source", DataTypes.StringType, true)
            .add("reason", DataTypes.StringType, true)
            .add("snippet", DataTypes.StringType, true);
    static final String[] PREDICTION_COLUMNS = {"id", "label", "probability", "predicted_label", "model",
        "model_sha256", "token_count", "oov_count", "truncated"};

    private final ScoreConfig config;

    public ScoreJob(ScoreConfig config) {
        this.config = config;
    }

    public ScoreResult run(SparkSession spark) throws IOException {
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if (config.output() == null || config.output().isBlank()) {
            throw new io.reviewrnn.core.base.ConfigException("output", config.output(), "must be set");
        }
        PackagedModel model = PackagedModel.load(config.model(), config.expectedHash(), hadoop);
        LOG.info("scoring {} with model {} ({}), sha256 {}, batch {}", config.input().path(), model.modelName(),
                config.model(), model.contentHash(), config.batchSize());
        Path outPath = new Path(config.output());
        FileSystem fs = outPath.getFileSystem(hadoop);
        int parts = config.partitions() > 0 ? config.partitions() : 2 * spark.sparkContext().defaultParallelism();
        try (AtomicDirectory out = AtomicDirectory.begin(fs, outPath, config.overwrite(), SUMMARY)) {
            Dataset<Row> raw = readRaw(spark, config, parts, false);
            long recordsIn = raw.count();
            LOG.info("{} input records in {} partitions", recordsIn, raw.rdd().getNumPartitions());

            Broadcast<ModelBroadcast> bc = ModelBroadcast.of(spark, model);
            LongAccumulator done = spark.sparkContext().longAccumulator("scored records");
            int batch = config.batchSize();
            JavaRDD<Row> rows = raw.javaRDD().mapPartitions(it -> new MinibatchScoring(it, bc.value().get(), batch,
                    new RawLayout(bc.value().get().modelName(), bc.value().get().contentHash()), done));
            Dataset<Row> scored = spark.createDataFrame(rows, SCORED).persist(StorageLevel.MEMORY_AND_DISK_SER());
            String predictions = new Path(out.target(), PREDICTIONS).toString();
            String rejects = new Path(out.target(), REJECTS).toString();
            try (ScoreProgress progress = new ScoreProgress(LOG, spark.sparkContext(), "score", done, recordsIn,
                    config.progressSeconds())) {
                Dataset<Row> good = scored.filter(col("reason").isNull()).select(columns(PREDICTION_COLUMNS));
                if (config.outputFormat().equals("csv")) {
                    good.write().option("header", true).csv(new Path(out.temp(), PREDICTIONS).toString());
                } else {
                    good.write().parquet(new Path(out.temp(), PREDICTIONS).toString());
                }
                scored.filter(col("reason").isNotNull()).select("id", "source", "reason", "snippet")
                        .write().json(new Path(out.temp(), REJECTS).toString());
                progress.close();
                LOG.info("score: {} records scored in {} s", progress.done(), String.format("%.1f", progress.seconds()));
            }
            Row agg = scored.filter(col("reason").isNull()).agg(count(lit(1)), sum("token_count"), sum("oov_count"),
                    sum(col("truncated").cast("long")), sum("predicted_label")).first();
            Map<String, Long> byReason = new TreeMap<>();
            for (Row r : scored.filter(col("reason").isNotNull()).groupBy(col("reason")).count().collectAsList()) {
                byReason.merge(reasonKind(r.getString(0)), r.getLong(1), Long::sum);
            }
            scored.unpersist();

            // Count what was written, independently of the scoring pass.
            long written = config.outputFormat().equals("csv")
                    ? spark.read().option("header", true).csv(new Path(out.temp(), PREDICTIONS).toString()).count()
                    : spark.read().parquet(new Path(out.temp(), PREDICTIONS).toString()).count();
            long rejected = spark.read().schema("id string, source string, reason string, snippet string")
                    .json(new Path(out.temp(), REJECTS).toString()).count();
            if (written + rejected != recordsIn) {
                throw new IllegalStateException("record count mismatch: read " + recordsIn + " but wrote " + written
                        + " predictions and " + rejected + " rejects");
            }
            long n = agg.getLong(0);
            ScoreResult.Drift drift = drift(hadoop, model, config.model(), n, n == 0 ? 0 : agg.getLong(1),
                    n == 0 ? 0 : agg.getLong(2), n == 0 ? 0 : agg.getLong(3));
            double seconds = (System.nanoTime() - t0) / 1e9;
            ScoreResult result = new ScoreResult(out.target().toString(), predictions, rejects, config.model(),
                    model.modelName(), model.contentHash(), recordsIn, written, rejected, byReason,
                    n == 0 ? 0 : agg.getLong(4), drift, seconds, recordsIn / seconds);
            HadoopFiles.write(fs, new Path(out.temp(), SUMMARY), Yaml.json().writeValueAsBytes(result));
            out.commit();
            logSummary(result);
            return result;
        }
    }

    private static void logSummary(ScoreResult r) {
        LOG.info("scored {} of {} records ({} rejected {}) in {} s ({} records/s) -> {}", r.scored(), r.recordsIn(),
                r.rejected(), r.rejectsByReason(), String.format("%.1f", r.seconds()),
                String.format("%.0f", r.recordsPerSecond()), r.output());
        logDrift(r.drift());
        if (r.rejected() > 0) {
            LOG.warn("{} records rejected {}; see {}", r.rejected(), r.rejectsByReason(), r.rejects());
        }
    }

    /** Logs the drift figures: as a WARN naming each shift past the thresholds of {@link ScoreResult.Drift}. */
    public static void logDrift(ScoreResult.Drift d) {
        if (d == null) {
            return;
        }
        String figures = String.format("OOV rate %s (training %s), truncated %s (training %s), mean tokens %.1f"
                + " (training %s)", pct(d.oovRate()), pct(d.trainOovRate()), pct(d.truncatedRate()),
                pct(d.trainTruncatedRate()), d.meanTokens(), d.trainMeanTokens() == null ? "n/a"
                : String.format("%.1f", d.trainMeanTokens()));
        List<String> warnings = d.warnings();
        if (warnings.isEmpty()) {
            LOG.info("drift: {}", figures);
        } else {
            LOG.warn("drift: the input differs from the model's training data: {}; predictions may be unreliable"
                    + " ({})", String.join("; ", warnings), figures);
        }
    }

    static String pct(Double v) {
        return v == null ? "n/a" : String.format("%.2f%%", 100 * v);
    }

    private static org.apache.spark.sql.Column[] columns(String[] names) {
        org.apache.spark.sql.Column[] c = new org.apache.spark.sql.Column[names.length];
        for (int i = 0; i < names.length; i++) {
            c[i] = col(names[i]);
        }
        return c;
    }

    /**
     * Reads raw input and flags what cannot be scored (the reader's errors, empty text). The one place that
     * touches the reader's return type.
     *
     * @param labelsRequired an unknown label is a bad record (evaluate); scoring needs no label, so for score an
     *                       unknown one is dropped and the review scored
     */
    public static Dataset<Row> readRaw(SparkSession spark, ScoreConfig config, int parts, boolean labelsRequired)
            throws IOException {
        Dataset<Row> raw = spark.createDataFrame(CorpusReader.read(spark, config.input(), null,
                config.maxReviewChars(), parts, labelsRequired), RawReviews.SCHEMA);
        if (raw.rdd().getNumPartitions() < parts) {
            // e.g. one .tar.gz or one small file: spread the inference over the cores (a shuffle of the text)
            raw = raw.repartition(parts);
        }
        // Blank means only whitespace of any kind: Spark's trim() removes spaces only.
        return raw.withColumn(RawReviews.ERROR, RawReviews.flag(col(RawReviews.TEXT).isNull()
                .or(col(RawReviews.TEXT).rlike("^[\\s\\p{Z}\\u0085]*$")), "empty review"));
    }

    /** OOV and truncation of the scored set, next to the training split of the checkpoint's corpus. */
    public static ScoreResult.Drift drift(Configuration hadoop, PackagedModel model, String checkpoint, long reviews,
            long tokens, long oov, long truncated) {
        Double trainOov = null;
        Double trainTrunc = null;
        Double trainMean = null;
        try {
            Path cp = new Path(checkpoint);
            FileSystem fs = cp.getFileSystem(hadoop);
            Path dir = AtomicDirectory.readable(fs, cp);
            Checkpoint.Metadata meta = Yaml.json().readValue(HadoopFiles.read(fs, new Path(dir, Checkpoint.METADATA)),
                    Checkpoint.Metadata.class);
            Path manifest = new Path(meta.corpus(), PreparedLayout.MANIFEST);
            PrepareManifest m = Yaml.json().readValue(HadoopFiles.read(manifest.getFileSystem(hadoop), manifest),
                    PrepareManifest.class);
            PrepareManifest.SplitStats train = m.splits().get(PreparedLayout.TRAIN);
            if (train != null) {
                trainOov = train.oovRate();
                trainTrunc = train.truncatedShare();
                trainMean = train.tokenCountMean();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("training corpus statistics of model {} not readable ({}); drift is reported without them",
                    model.contentHash(), e.getMessage());
        }
        return new ScoreResult.Drift(tokens == 0 ? 0 : (double) oov / tokens,
                reviews == 0 ? 0 : (double) truncated / reviews, reviews == 0 ? 0 : (double) tokens / reviews,
                trainOov, trainTrunc, trainMean);
    }

    /** The first words of a reject reason, to group rejects. */
    public static String reasonKind(String error) {
        int cut = error.length();
        for (char c : new char[] {':', '(', '\''}) {
            int i = error.indexOf(c);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        return error.substring(0, cut).trim();
    }

    /** Raw review rows ({@link RawReviews#SCHEMA}) to {@link #SCORED} rows. */
    static final class RawLayout implements MinibatchScoring.Layout, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String modelName;
        private final String hash;

        RawLayout(String modelName, String hash) {
            this.modelName = modelName;
            this.hash = hash;
        }

        @Override
        public String text(Row in) {
            return in.getAs(RawReviews.TEXT);
        }

        @Override
        public String error(Row in) {
            return in.getAs(RawReviews.ERROR);
        }

        @Override
        public Row scored(Row in, EncodedReview e, double p) {
            return RowFactory.create(in.getAs(RawReviews.ID), in.getAs(RawReviews.LABEL), p,
                    BinaryMetrics.predictedLabel(p), modelName, hash, e.tokenCount(), e.oovCount(), e.truncated(),
                    in.getAs(RawReviews.SOURCE), null, null);
        }

        @Override
        public Row rejected(Row in, String reason) {
            String text = in.getAs(RawReviews.TEXT);
            String snippet = text == null ? null : text.substring(0, Math.min(SNIPPET, text.length()));
            return RowFactory.create(in.getAs(RawReviews.ID), in.getAs(RawReviews.LABEL), null, null, modelName, hash,
                    null, null, null, in.getAs(RawReviews.SOURCE), reason, snippet);
        }
    }
}
