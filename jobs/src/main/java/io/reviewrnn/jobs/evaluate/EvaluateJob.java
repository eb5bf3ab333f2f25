package io.reviewrnn.jobs.evaluate;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.store.CheckpointMismatchException;
import io.reviewrnn.core.score.PackagedModel;
import io.reviewrnn.core.score.ReviewClassifier;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.train.RunReport;
import io.reviewrnn.jobs.Rdds;
import io.reviewrnn.jobs.io.PreparedSplitReader;
import io.reviewrnn.jobs.io.RawInput;
import io.reviewrnn.jobs.io.RawReviews;
import io.reviewrnn.jobs.io.Rejects;
import io.reviewrnn.jobs.score.Drift;
import io.reviewrnn.jobs.score.ScoreProgress;
import org.apache.spark.util.LongAccumulator;
import io.reviewrnn.jobs.score.MinibatchScoring;
import io.reviewrnn.jobs.score.ModelBroadcast;
import io.reviewrnn.jobs.train.TrainJob;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The {@code evaluate} stage: test metrics of a checkpoint on labelled reviews. Raw input is encoded on the
 * executors with the checkpoint's own vocabulary and text spec (nothing refit); a prepared corpus is accepted only
 * when its vocabulary and text spec are the checkpoint's.
 *
 * <p>One Spark job computes every metric, reading the input once and scoring it in minibatches like {@code score}.
 * The exact ROC AUC needs the scores in order. A prepared split of at most {@link #DRIVER_RANKING_MAX} reviews (its
 * manifest gives the count) is one stage: each task sums the confusion matrix, loss, drift and rejects and sorts its
 * scores by class, and the driver merges the sorted scores, 8 bytes a review ({@link ClassScores}). Other input goes
 * through one shuffle that range-partitions the (probability, label and counts) pairs by probability
 * ({@link ScoreRanges}); the second stage sorts each range and sums the same metrics and the range's share of the
 * AUC ({@link RankedPartition}). Only the plotted ROC curve is binned, to at most {@code roc_points} points.
 */
public final class EvaluateJob {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
    public static final String METRICS = "metrics.json";
    public static final String ROC_PNG = "roc.png";
    static final String MISSING_LABEL = "missing label";
    /** The largest known input whose scores are ranked on the driver (8 bytes each, 32 MB) instead of by a sort. */
    public static final long DRIVER_RANKING_MAX = 4_000_000;
    /** How often the scoring pass logs its progress. */
    private static final int PROGRESS_SECONDS = 10;

    private final EvaluateConfig config;

    public EvaluateJob(EvaluateConfig config) {
        this.config = config;
    }

    public EvaluateResult run(SparkSession spark) throws IOException {
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path runDir = runDirectory(hadoop);
        PackagedModel model = PackagedModel.load(config.model(), config.expectedHash(), hadoop);
        LOG.info("evaluating model {} ({}, sha256 {}) on {}", model.modelName(), config.model(), model.contentHash(),
                config.input().path());
        PreparedSplit split = preparedSplit(hadoop, model);
        Path prepared = split == null ? null : split.path();
        LongAccumulator done = spark.sparkContext().longAccumulator("evaluate: records scored");
        JavaPairRDD<Double, Object> scored = score(spark, model, prepared, done);
        long known = split == null ? -1 : split.count();
        Ranked ranked;
        try (ScoreProgress progress = new ScoreProgress(LOG, spark.sparkContext(), "evaluate", done, known,
                PROGRESS_SECONDS)) {
            ranked = rank(spark, scored, known);
        }
        EvaluateResult result = result(hadoop, model, prepared, ranked, (System.nanoTime() - t0) / 1e9);
        List<double[]> curve = rocCurve(ranked.summaries());
        if (config.output() != null) {
            result = write(hadoop, result, curve);
        }
        if (runDir != null) {
            addToRunReport(runDir.getFileSystem(hadoop), runDir, result, curve, model.modelName());
        }
        log(result);
        return result;
    }

    /** {@code run_dir}, qualified, which must hold a train run; null when not given. */
    private Path runDirectory(Configuration hadoop) throws IOException {
        if (config.runDir() == null) {
            return null;
        }
        Path p = new Path(config.runDir());
        FileSystem fs = p.getFileSystem(hadoop);
        p = fs.makeQualified(p);
        if (!fs.exists(new Path(p, TrainJob.CONFIG_FILE))) {
            throw new ConfigException("run_dir", config.runDir(), "must be a train run directory (with "
                    + TrainJob.CONFIG_FILE + "); not found: " + new Path(p, TrainJob.CONFIG_FILE));
        }
        return p;
    }

    /** {@code evaluation.json} and {@code evaluation-roc.png} in the run directory, then its report again. */
    private static void addToRunReport(FileSystem fs, Path runDir, EvaluateResult result, List<double[]> curve,
            String modelName) throws IOException {
        HadoopFiles.writeAtomically(fs, new Path(runDir, RunReport.EVALUATION), Yaml.json()
                .writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
        if (!curve.isEmpty()) {
            HadoopFiles.writeAtomically(fs, new Path(runDir, RunReport.EVALUATION_ROC), RocPlot.png(curve,
                    result.metrics().rocAuc(), "ROC of " + modelName + " on " + new Path(result.input()).getName()));
        }
        Path report = RunReport.write(fs, runDir);
        LOG.info("evaluation added to {}", report);
    }

    private int partitions(SparkSession spark) {
        return config.partitions() > 0 ? config.partitions() : 2 * spark.sparkContext().defaultParallelism();
    }

    /** The map side of the job: the input read once and scored; (probability, packed record) per review. */
    private JavaPairRDD<Double, Object> score(SparkSession spark, PackagedModel model, Path prepared,
            LongAccumulator done) throws IOException {
        Broadcast<ModelBroadcast> bc = ModelBroadcast.of(spark, model);
        if (prepared != null) {
            JavaRDD<Row> in = PreparedSplitReader.read(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    prepared);
            return Rdds.mapPartitionsToPair(in, new Pairs(bc, config.batchSize(), new PreparedRows(), done));
        }
        JavaRDD<Row> in = RawInput.read(spark, config.input(), config.maxReviewChars(), partitions(spark), true);
        return Rdds.mapPartitionsToPair(in, new Pairs(bc, config.batchSize(), new RawRows(), done));
    }

    /** The tasks' summaries and the exact ROC AUC. */
    private record Ranked(List<RankedPartition> summaries, double auc) {
    }

    /** The scoring job: one stage ranked on the driver when the input is known to be small enough, else a sort. */
    private Ranked rank(SparkSession spark, JavaPairRDD<Double, Object> scored, long known) {
        if (known >= 0 && known <= DRIVER_RANKING_MAX) {
            List<ClassScores> parts = Rdds.eachPartition(scored, new ClassScores.Collect(config.rocPoints()));
            return new Ranked(parts.stream().map(c -> c.summary).toList(), ClassScores.auc(parts));
        }
        List<RankedPartition> ranked = Rdds.eachPartition(
                scored.repartitionAndSortWithinPartitions(new ScoreRanges(partitions(spark))),
                new RankedPartition.Summarize(config.rocPoints()));
        return new Ranked(ranked, RankedPartition.auc(ranked));
    }

    private EvaluateResult result(Configuration hadoop, PackagedModel model, Path prepared,
                                  Ranked ranked, double seconds) throws IOException {
        RankedPartition t = new RankedPartition(1);
        for (RankedPartition r : ranked.summaries()) {
            t.tn += r.tn;
            t.fp += r.fp;
            t.fn += r.fn;
            t.tp += r.tp;
            t.lossSum += r.lossSum;
            t.tokens += r.tokens;
            t.oov += r.oov;
            t.truncated += r.truncated;
            r.byReason.forEach((k, v) -> t.byReason.merge(k, v, Long::sum));
        }
        long n = t.positives() + t.negatives();
        if (n == 0) {
            throw new IOException("no labelled, usable reviews in " + config.input().path() + " (rejected "
                    + t.byReason + ")");
        }
        BinaryMetrics metrics = BinaryMetrics.of(new BinaryMetrics.Confusion(t.tn, t.fp, t.fn, t.tp), t.lossSum,
                ranked.auc());
        Drift drift = Drift.of(hadoop, config.model(), n, t.tokens, t.oov, t.truncated);
        return new EvaluateResult(config.model(), model.modelName(), model.contentHash(), config.input().path(),
                prepared != null ? "prepared" : "raw", n + t.rejected(), t.rejected(), t.byReason, metrics, drift,
                null, seconds);
    }

    /** ROC points (false positive rate, true positive rate) from the top bin down, (0, 0) to (1, 1). */
    private static List<double[]> rocCurve(List<RankedPartition> ranked) {
        long pos = 0;
        long neg = 0;
        int bins = ranked.isEmpty() ? 0 : ranked.get(0).binPositives.length;
        long[] binPos = new long[bins];
        long[] binNeg = new long[bins];
        for (RankedPartition r : ranked) {
            for (int b = 0; b < bins; b++) {
                binPos[b] += r.binPositives[b];
                binNeg[b] += r.binNegatives[b];
            }
            pos += r.positives();
            neg += r.negatives();
        }
        List<double[]> curve = new ArrayList<>();
        if (pos == 0 || neg == 0) {
            return curve;
        }
        curve.add(new double[] {0, 0});
        long tp = 0;
        long fp = 0;
        for (int b = bins - 1; b >= 0; b--) {
            if (binPos[b] + binNeg[b] > 0) {
                tp += binPos[b];
                fp += binNeg[b];
                curve.add(new double[] {(double) fp / neg, (double) tp / pos});
            }
        }
        return curve;
    }

    private EvaluateResult write(Configuration hadoop, EvaluateResult r, List<double[]> curve) throws IOException {
        Path outPath = new Path(config.output());
        FileSystem fs = outPath.getFileSystem(hadoop);
        try (AtomicDirectory out = AtomicDirectory.begin(fs, outPath, config.overwrite(), METRICS)) {
            EvaluateResult result = new EvaluateResult(r.model(), r.modelName(), r.modelHash(), r.input(),
                    r.inputKind(), r.recordsIn(), r.rejected(), r.rejectsByReason(), r.metrics(), r.drift(),
                    out.target().toString(), r.seconds());
            HadoopFiles.write(fs, new Path(out.temp(), METRICS), Yaml.json().writeValueAsBytes(result));
            if (!curve.isEmpty()) {
                HadoopFiles.write(fs, new Path(out.temp(), ROC_PNG), RocPlot.png(curve, r.metrics().rocAuc(),
                        "ROC of " + r.modelName() + " on " + new Path(config.input().path()).getName()));
            }
            out.commit();
            return result;
        }
    }

    private static void log(EvaluateResult r) {
        Drift.log(r.drift());
        BinaryMetrics m = r.metrics();
        LOG.info("evaluated {} reviews ({} rejected {}) in {} s: accuracy {} loss {} precision {} recall {} F1 {} "
                + "AUC {} confusion {}", m.examples(), r.rejected(), r.rejectsByReason(),
                String.format("%.1f", r.seconds()), f(m.accuracy()), f(m.loss()), f(m.precision()), f(m.recall()),
                f(m.f1()), f(m.rocAuc()), m.confusion());
    }

    private static String f(double v) {
        return String.format("%.4f", v);
    }

    /** A prepared split and its record count from the manifest (-1 when the manifest does not say). */
    private record PreparedSplit(Path path, long count) {
    }

    /**
     * The prepared split to read when the input is a prepared corpus (its root: the test split; or one split
     * directory), after checking that it was encoded with the checkpoint's vocabulary and text spec; null for
     * raw input.
     */
    private PreparedSplit preparedSplit(Configuration hadoop, PackagedModel model) throws IOException {
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
        PrepareManifest.SplitStats stats = m.splits().get(split.getName());
        return new PreparedSplit(fs.makeQualified(split), stats == null ? -1 : stats.count());
    }

    /** Scores one partition and turns each outcome into a shuffled pair: (probability, packed) or (NaN, reason kind). */
    private static final class Pairs implements PairFlatMapFunction<Iterator<Row>, Double, Object> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<ModelBroadcast> model;
        private final int batchSize;
        private final MinibatchScoring.Layout layout;
        private final LongAccumulator done;

        Pairs(Broadcast<ModelBroadcast> model, int batchSize, MinibatchScoring.Layout layout, LongAccumulator done) {
            this.model = model;
            this.batchSize = batchSize;
            this.layout = layout;
            this.done = done;
        }

        @Override
        public Iterator<Tuple2<Double, Object>> call(Iterator<Row> rows) {
            Iterator<Row> scored = new MinibatchScoring(rows, model.value().get(), batchSize, layout, done);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return scored.hasNext();
                }

                @Override
                public Tuple2<Double, Object> next() {
                    Row r = scored.next();
                    if (!r.isNullAt(1)) {
                        return new Tuple2<>(Double.NaN, Rejects.reasonKind(r.getString(1)));
                    }
                    return new Tuple2<>(r.getDouble(0), r.getLong(2));
                }
            };
        }
    }

    /** (probability, null, packed) for a scored review, (null, reason, null) for a rejected one. */
    private static Row scored(int label, EncodedReview e, double p) {
        return org.apache.spark.sql.RowFactory.create(p, null, RankedPartition.pack(label, e.truncated(),
                e.tokenCount(), e.oovCount()));
    }

    private static Row rejected(String reason) {
        return org.apache.spark.sql.RowFactory.create(null, reason, null);
    }

    /** Raw reviews ({@link RawReviews#SCHEMA}); unlabelled ones are rejected. */
    static final class RawRows implements MinibatchScoring.Layout, Serializable {
        private static final long serialVersionUID = 1L;
        private static final int LABEL = RawReviews.SCHEMA.fieldIndex(RawReviews.LABEL);
        private static final int TEXT = RawReviews.SCHEMA.fieldIndex(RawReviews.TEXT);

        @Override
        public String text(Row in) {
            return in.getString(TEXT);
        }

        @Override
        public String error(Row in) {
            String problem = Rejects.problem(in);
            return problem != null ? problem : in.isNullAt(LABEL) ? MISSING_LABEL : null;
        }

        @Override
        public Row scored(Row in, EncodedReview e, double p) {
            return EvaluateJob.scored(in.getInt(LABEL), e, p);
        }

        @Override
        public Row rejected(Row in, String reason) {
            return EvaluateJob.rejected(reason);
        }
    }

    /** Prepared rows ({@link PreparedSplitReader}). */
    static final class PreparedRows implements MinibatchScoring.Layout, Serializable {
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
            return new EncodedReview((int[]) in.get(PreparedSplitReader.IDS), in.getInt(PreparedSplitReader.TOKEN_COUNT),
                    in.getInt(PreparedSplitReader.OOV_COUNT), in.getBoolean(PreparedSplitReader.TRUNCATED));
        }

        @Override
        public Row scored(Row in, EncodedReview e, double p) {
            return EvaluateJob.scored(in.getInt(PreparedSplitReader.LABEL), e, p);
        }

        @Override
        public Row rejected(Row in, String reason) {
            return EvaluateJob.rejected(reason);
        }
    }
}
