package io.reviewrnn.jobs.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.store.CheckpointMismatchException;
import io.reviewrnn.core.score.PackagedModel;
import io.reviewrnn.core.score.ReviewClassifier;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.jobs.io.RawReviews;
import io.reviewrnn.jobs.score.MinibatchScoring;
import io.reviewrnn.jobs.score.ModelBroadcast;
import io.reviewrnn.jobs.score.ScoreJob;
import io.reviewrnn.jobs.score.ScoreResult;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The {@code evaluate} stage: test metrics of a checkpoint on labelled reviews. Raw input is encoded on the
 * executors with the checkpoint's own vocabulary and text spec (nothing refit); a prepared corpus is accepted only
 * when its vocabulary and text spec are the checkpoint's. Inference runs distributed in minibatches like
 * {@code score}; the metrics are sums over partitions, and the ROC AUC is exact (Spark's
 * {@link BinaryClassificationMetrics} without binning: a distributed sort of the distinct scores). Only the
 * plotted ROC curve is down-sampled, to at most {@code roc_points} points.
 */
public final class EvaluateJob {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
    public static final String METRICS = "metrics.json";
    public static final String ROC_PNG = "roc.png";

    static final StructType EVALUATED = new StructType()
            .add("label", DataTypes.IntegerType, true)
            .add("probability", DataTypes.DoubleType, true)
            .add("loss", DataTypes.DoubleType, true)
            .add("token_count", DataTypes.IntegerType, true)
            .add("oov_count", DataTypes.IntegerType, true)
            .add("truncated", DataTypes.BooleanType, true)
            .add("reason", DataTypes.StringType, true);

    private final EvaluateConfig config;

    public EvaluateJob(EvaluateConfig config) {
        this.config = config;
    }

    public EvaluateResult run(SparkSession spark) throws IOException {
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        PackagedModel model = PackagedModel.load(config.model(), config.expectedHash(), hadoop);
        LOG.info("evaluating model {} ({}, sha256 {}) on {}", model.modelName(), config.model(), model.contentHash(),
                config.input().path());
        Path prepared = preparedSplit(hadoop, model);
        int parts = config.partitions() > 0 ? config.partitions() : 2 * spark.sparkContext().defaultParallelism();
        Broadcast<ModelBroadcast> bc = ModelBroadcast.of(spark, model);
        int batch = config.batchSize();
        JavaRDD<Row> rows;
        long recordsIn;
        if (prepared != null) {
            Dataset<Row> in = spark.read().parquet(prepared.toString()).select(PreparedLayout.COL_LABEL,
                    PreparedLayout.COL_IDS, PreparedLayout.COL_TOKEN_COUNT, PreparedLayout.COL_OOV_COUNT,
                    PreparedLayout.COL_TRUNCATED);
            recordsIn = in.count();
            rows = in.javaRDD().mapPartitions(it -> new MinibatchScoring(it, bc.value().get(), batch, new PreparedRows(),
                    null));
        } else {
            Dataset<Row> in = ScoreJob.readRaw(spark, config.asScoreConfig(), parts, true)
                    .withColumn(RawReviews.ERROR, RawReviews.flag(col(RawReviews.LABEL).isNull(), "missing label"));
            recordsIn = in.count();
            rows = in.javaRDD().mapPartitions(it -> new MinibatchScoring(it, bc.value().get(), batch, new RawRows(), null));
        }
        Dataset<Row> all = spark.createDataFrame(rows, EVALUATED).persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            Dataset<Row> good = all.filter(col("reason").isNull());
            Row agg = good.agg(count(lit(1)),
                    sum(when(col("label").equalTo(0).and(col("probability").lt(BinaryMetrics.THRESHOLD)), 1)
                            .otherwise(0)),
                    sum(when(col("label").equalTo(0).and(col("probability").geq(BinaryMetrics.THRESHOLD)), 1)
                            .otherwise(0)),
                    sum(when(col("label").equalTo(1).and(col("probability").lt(BinaryMetrics.THRESHOLD)), 1)
                            .otherwise(0)),
                    sum(when(col("label").equalTo(1).and(col("probability").geq(BinaryMetrics.THRESHOLD)), 1)
                            .otherwise(0)),
                    sum("loss"), sum("token_count"), sum("oov_count"), sum(col("truncated").cast("long"))).first();
            long n = agg.getLong(0);
            if (n == 0) {
                throw new IOException("no labelled, usable reviews in " + config.input().path());
            }
            Map<String, Long> byReason = new TreeMap<>();
            long rejected = 0;
            for (Row r : all.filter(col("reason").isNotNull()).groupBy("reason").count().collectAsList()) {
                byReason.merge(ScoreJob.reasonKind(r.getString(0)), r.getLong(1), Long::sum);
                rejected += r.getLong(1);
            }
            if (n + rejected != recordsIn) {
                throw new IllegalStateException("record count mismatch: read " + recordsIn + ", evaluated " + n
                        + ", rejected " + rejected);
            }
            BinaryMetrics.Confusion cm = new BinaryMetrics.Confusion(agg.getLong(1), agg.getLong(2), agg.getLong(3),
                    agg.getLong(4));
            JavaRDD<Tuple2<Object, Object>> scoreAndLabel = good.select("probability", "label").javaRDD()
                    .map(r -> new Tuple2<>(r.getDouble(0), (double) r.getInt(1)));
            BinaryClassificationMetrics exact = new BinaryClassificationMetrics(scoreAndLabel.rdd(), 0);
            boolean bothClasses = (cm.tn() + cm.fp()) > 0 && (cm.fn() + cm.tp()) > 0;
            double auc = bothClasses ? exact.areaUnderROC() : Double.NaN;
            List<double[]> curve = new ArrayList<>();
            if (bothClasses) {
                BinaryClassificationMetrics binned = new BinaryClassificationMetrics(scoreAndLabel.rdd(),
                        config.rocPoints());
                for (Tuple2<Object, Object> p : binned.roc().toJavaRDD().collect()) {
                    curve.add(new double[] {(Double) p._1(), (Double) p._2()});
                }
                binned.unpersist();
            }
            exact.unpersist();
            BinaryMetrics metrics = BinaryMetrics.of(cm, agg.getDouble(5), auc);
            ScoreResult.Drift drift = ScoreJob.drift(hadoop, model, config.model(), n, agg.getLong(6),
                    agg.getLong(7), agg.getLong(8));
            String output = null;
            EvaluateResult result = new EvaluateResult(config.model(), model.modelName(), model.contentHash(),
                    config.input().path(), prepared != null ? "prepared" : "raw", recordsIn, rejected, byReason,
                    metrics, drift, null, (System.nanoTime() - t0) / 1e9);
            if (config.output() != null) {
                Path outPath = new Path(config.output());
                FileSystem fs = outPath.getFileSystem(hadoop);
                try (AtomicDirectory out = AtomicDirectory.begin(fs, outPath, config.overwrite(), METRICS)) {
                    output = out.target().toString();
                    result = new EvaluateResult(result.model(), result.modelName(), result.modelHash(), result.input(),
                            result.inputKind(), recordsIn, rejected, byReason, metrics, drift, output,
                            result.seconds());
                    HadoopFiles.write(fs, new Path(out.temp(), METRICS), Yaml.json().writeValueAsBytes(result));
                    if (!curve.isEmpty()) {
                        HadoopFiles.write(fs, new Path(out.temp(), ROC_PNG), RocPlot.png(curve, auc,
                                "ROC of " + model.modelName() + " on " + new Path(config.input().path()).getName()));
                    }
                    out.commit();
                }
            }
            ScoreJob.logDrift(drift);
            LOG.info("evaluated {} reviews ({} rejected {}): accuracy {} loss {} precision {} recall {} F1 {} "
                    + "AUC {} confusion {}", n, rejected, byReason, f(metrics.accuracy()), f(metrics.loss()),
                    f(metrics.precision()), f(metrics.recall()), f(metrics.f1()), f(metrics.rocAuc()), cm);
            return result;
        } finally {
            all.unpersist();
        }
    }

    private static String f(double v) {
        return String.format("%.4f", v);
    }

    /**
     * The prepared split to read when the input is a prepared corpus (its root: the test split; or one split
     * directory), after checking that it was encoded with the checkpoint's vocabulary and text spec; null for
     * raw input.
     */
    private Path preparedSplit(Configuration hadoop, PackagedModel model) throws IOException {
        Path p = new Path(config.input().path());
        FileSystem fs = p.getFileSystem(hadoop);
        if (!fs.exists(p)) {
            throw new java.io.FileNotFoundException("input path does not exist: " + fs.makeQualified(p));
        }
        Path root;
        Path split;
        if (fs.exists(new Path(p, PreparedLayout.MANIFEST))) {
            root = p;
            split = new Path(p, PreparedLayout.TEST);
        } else if (p.getParent() != null && fs.exists(new Path(p.getParent(), PreparedLayout.MANIFEST))
                && PreparedLayout.SPLITS.contains(p.getName())) {
            root = p.getParent();
            split = p;
        } else {
            return null;
        }
        PrepareManifest m = PrepareManifest.read(fs, root);
        if (!model.text().equals(m.text())) {
            throw new CheckpointMismatchException("prepared corpus " + fs.makeQualified(root) + " was encoded with "
                    + m.text() + " but checkpoint " + config.model() + " expects " + model.text()
                    + "; evaluate the raw reviews instead");
        }
        Vocabulary v;
        try (var in = new InputStreamReader(fs.open(new Path(root, PreparedLayout.VOCABULARY)),
                StandardCharsets.UTF_8)) {
            v = Vocabulary.read(in);
        }
        if (!model.vocabulary().equals(v)) {
            throw new CheckpointMismatchException("prepared corpus " + fs.makeQualified(root)
                    + " has another vocabulary than checkpoint " + config.model()
                    + "; evaluate the raw reviews instead, they are encoded with the checkpoint's vocabulary");
        }
        LOG.info("input is the prepared split {} (vocabulary and text spec match the checkpoint)", split);
        return fs.makeQualified(split);
    }

    private static Row evaluated(int label, EncodedReview e, double p) {
        return RowFactory.create(label, p, BinaryMetrics.loss(p, label), e.tokenCount(), e.oovCount(),
                e.truncated(), null);
    }

    /** Raw reviews ({@link RawReviews#SCHEMA}). */
    static final class RawRows implements MinibatchScoring.Layout, java.io.Serializable {
        private static final long serialVersionUID = 1L;

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
            return evaluated(in.<Integer>getAs(RawReviews.LABEL), e, p);
        }

        @Override
        public Row rejected(Row in, String reason) {
            return RowFactory.create(in.getAs(RawReviews.LABEL), null, null, null, null, null, reason);
        }
    }

    /** Prepared rows: label, ids, token_count, oov_count, truncated. */
    static final class PreparedRows implements MinibatchScoring.Layout, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String text(Row in) {
            return null;
        }

        @Override
        public String error(Row in) {
            return null;
        }

        @Override
        public EncodedReview encode(Row in, ReviewClassifier classifier) {
            List<Integer> ids = in.getList(1);
            int[] a = new int[ids.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = ids.get(i);
            }
            return new EncodedReview(a, in.getInt(2), in.getInt(3), in.getBoolean(4));
        }

        @Override
        public Row scored(Row in, EncodedReview e, double p) {
            return evaluated(in.getInt(0), e, p);
        }

        @Override
        public Row rejected(Row in, String reason) {
            return RowFactory.create(in.getInt(0), null, null, null, null, null, reason);
        }
    }
}
