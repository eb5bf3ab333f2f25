package io.reviewrnn.jobs.train;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.PreparedCorpus;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.registry.RetrainLock;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.train.Averaging;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.RunReport;
import io.reviewrnn.jobs.SparkEnvironment;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code train} stage: distributed training of a model spec on a prepared corpus with DL4J's
 * {@link ParameterAveragingTrainingMaster} and an averaging rule on top of it (block momentum by default, see
 * {@link io.reviewrnn.core.train.BlockMomentum}), Keras-style per-epoch validation, best/last checkpoints (written in
 * the background while the next epoch trains), early stopping and resume.
 *
 * <p>Data path: see {@link TrainingData}. Every example is fitted in every epoch: DL4J caps each worker at
 * {@code averaging_frequency} minibatches per round and silently skips whatever else a partition holds, so the
 * rounds are laid out to fit that cap exactly (docs/TRAINING.md); the examples actually fitted are counted and
 * logged.
 *
 * <p>Reproducibility: with a fixed seed the minibatch composition, the per-epoch order and the weight
 * initialization are fixed; the parameters after an epoch are then reproducible up to floating-point
 * non-associativity in the native kernels, and a resumed run continues as the uninterrupted one would.
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    public static final String CONFIG_FILE = RunDirectory.CONFIG_FILE;
    public static final String MODEL_FILE = RunDirectory.MODEL_FILE;
    public static final String RESULT_FILE = RunDirectory.RESULT_FILE;
    public static final String EXPORT_DIR = RunDirectory.EXPORT_DIR;

    /**
     * Called after each epoch once its history and checkpoints are written, on the training thread, before the next
     * epoch starts (tests use it to simulate a crash right after an epoch is durable). A job with a listener
     * therefore writes each epoch synchronously; without one, writes run in the background and are coalesced when
     * the file system is slower than the epochs ({@link EpochWriter}).
     */
    public interface EpochListener {
        void afterEpoch(EpochMetrics metrics, EarlyStopping.State state) throws Exception;
    }

    private final TrainConfig config;
    private final boolean resume;
    private EpochListener listener;

    public TrainJob(TrainConfig config) {
        this(config, false);
    }

    private TrainJob(TrainConfig config, boolean resume) {
        this.config = config;
        this.resume = resume;
    }

    /** A job that continues the run in {@code runDir} from its last checkpoint, with the run's effective config. */
    public static TrainJob resume(String runDir) {
        return resume(runDir, null);
    }

    /**
     * A resume that also changes the epoch limit (e.g. to train a finished run further); null keeps it. The run
     * continues in {@code runDir} itself, wherever the run was started and whatever directory it was started from:
     * a run directory that was copied or moved resumes where it now is.
     */
    public static TrainJob resume(String runDir, Integer maxEpochs) {
        Path dir = new Path(runDir);
        try {
            dir = dir.getFileSystem(new org.apache.hadoop.conf.Configuration()).makeQualified(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open run directory " + runDir + ": " + e.getMessage(), e);
        }
        String file = new Path(dir, CONFIG_FILE).toString();
        var tree = Yaml.readTree(file);
        String recorded = tree.path("run_dir").asText(null);
        if (!dir.toString().equals(recorded)) {
            LOG.info("resuming the run in {} (its config records run_dir {})", dir, recorded);
        }
        tree.put("run_dir", dir.toString());
        if (!tree.has("averaging")) {
            tree.put("averaging", Averaging.MEAN.key()); // a run from before the averaging rules trained with the mean
        }
        if (maxEpochs != null) {
            tree.put("max_epochs", maxEpochs);
        }
        return new TrainJob(Yaml.bind(tree, TrainConfig.class, file), true);
    }

    public TrainJob withEpochListener(EpochListener l) {
        this.listener = l;
        return this;
    }

    public TrainConfig config() {
        return config;
    }

    public TrainResult run(SparkSession spark) throws Exception {
        long started = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        PreparedCorpus corpus = openCorpus(sc);
        RunDirectory dir = RunDirectory.open(sc.hadoopConfiguration(), config.runDir());
        try (RetrainLock.Lease lock = dir.lock("train " + (resume ? "--resume " : "") + "(Spark application "
                + sc.sc().applicationId() + ")")) {
            TrainingRun run = resume ? TrainingRun.resume(dir, corpus, config)
                    : TrainingRun.start(dir, corpus, config, sc.hadoopConfiguration(), sc.defaultParallelism());
            TrainingData data = TrainingData.load(spark, sc, run);
            writeEnvironment(spark, dir);
            logStart(run, data);
            EpochTimes times = new EpochTimes();
            try (EpochWriter writer = listener == null ? new EpochWriter(dir)
                    : EpochWriter.synchronous(dir, listener)) {
                while (!run.stopped()) {
                    EpochMetrics m = trainEpoch(spark, sc, run, data);
                    writer.submit(run.record(m));
                    times.add(m);
                    logEpoch(run, m, times);
                }
                writer.finish();
            }
            data.release();
            return finish(run, (System.nanoTime() - started) / 1e9, times);
        }
    }

    /** The prepared corpus, which must have training and validation reviews. */
    private PreparedCorpus openCorpus(JavaSparkContext sc) throws java.io.IOException {
        PreparedCorpus corpus = PreparedCorpus.open(sc.hadoopConfiguration(), config.corpus());
        if (corpus.count(PreparedLayout.TRAIN) == 0 || corpus.count(PreparedLayout.VALIDATION) == 0) {
            throw new ConfigException("corpus", corpus.path().toString(), "must have non-empty train and validation"
                    + " splits (prepare with validation_split > 0)");
        }
        return corpus;
    }

    /** One epoch: the distributed fit, then validation of the averaged model. */
    private static EpochMetrics trainEpoch(SparkSession spark, JavaSparkContext sc, TrainingRun run,
            TrainingData data) {
        TrainConfig c = run.config;
        int epoch = run.nextEpoch();
        long start = System.nanoTime();
        spark.sparkContext().setJobDescription("train: epoch " + epoch);
        LongAccumulator examples = sc.sc().longAccumulator("examples");
        LongAccumulator minibatches = sc.sc().longAccumulator("minibatches");
        DoubleAccumulator lossSum = sc.sc().doubleAccumulator("loss");
        LongAccumulator correct = sc.sc().longAccumulator("correct");
        MetricsHook hook = new MetricsHook(examples, minibatches, lossSum, correct, c.trainAccuracy());
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, run.network,
                KnownCountTrainingMaster.forEpoch(c, hook, epoch, run.rule));
        int total = (int) Math.ceil((double) run.corpus.count(PreparedLayout.TRAIN) / c.batchSizePerWorker());
        data.fitEpoch(sc, sparkNet, c, epoch, new EpochProgress("epoch " + epoch + "/" + c.maxEpochs(), total,
                c.progressSeconds()));
        run.network = sparkNet.getNetwork();
        double trainSec = (System.nanoTime() - start) / 1e9;

        long evalStart = System.nanoTime();
        spark.sparkContext().setJobDescription("train: validation after epoch " + epoch);
        EvalMetrics v = evaluate(sc, run.network, data.validation);
        double evalSec = (System.nanoTime() - evalStart) / 1e9;
        spark.sparkContext().setJobDescription(null);

        long n = examples.value();
        long expected = run.corpus.count(PreparedLayout.TRAIN);
        if (n < expected) {
            LOG.warn("epoch {}: only {} of {} training examples were fitted ({} minibatches); DL4J skipped the rest",
                    epoch, n, expected, minibatches.value());
        }
        return new EpochMetrics(epoch, n == 0 ? Double.NaN : lossSum.value() / n,
                c.trainAccuracy() && n > 0 ? (double) correct.value() / n : Double.NaN, v.loss(), v.accuracy(), n,
                trainSec, evalSec, n / trainSec);
    }

    /** Validation over the broadcast network. */
    static EvalMetrics evaluate(JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> batches) {
        Broadcast<NetBroadcastTuple> b = sc.broadcast(new NetBroadcastTuple(net.getLayerWiseConfigurations(),
                net.params(), null));
        try {
            return batches.mapPartitions(new EvaluateFunction(b)).fold(EvalMetrics.EMPTY, EvalMetrics::plus);
        } finally {
            b.destroy();
        }
    }

    /** {@code environment.json} for the run's report: where this invocation trains (rewritten on resume). */
    private static void writeEnvironment(SparkSession spark, RunDirectory dir) throws java.io.IOException {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("recorded_at", java.time.Instant.now().toString());
        env.putAll(SparkEnvironment.of(spark));
        env.put("application_id", spark.sparkContext().applicationId());
        env.put("driver_host", java.net.InetAddress.getLocalHost().getHostName());
        env.put("java_vm", System.getProperty("java.vm.name"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        HadoopFiles.writeAtomically(dir.fs(), dir.file(RunReport.ENVIRONMENT),
                Yaml.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(env));
    }

    private static void logStart(TrainingRun run, TrainingData data) throws Exception {
        TrainConfig c = run.config;
        LOG.info("train {} ({}, {} parameters) on {}: {} training / {} validation reviews, maxlen {}, {} words",
                run.spec.name(), run.spec.kind().key(), run.network.numParams(), run.corpus.path(),
                run.corpus.count(PreparedLayout.TRAIN), run.corpus.count(PreparedLayout.VALIDATION),
                run.corpus.text().maxlen(), run.corpus.text().numWords());
        LOG.info("effective config: {}", Yaml.json().writeValueAsString(c).replaceAll("\\s+", " "));
        LOG.info("training master: ParameterAveragingTrainingMaster workers={} batchSizePerWorker={} "
                        + "averagingFrequency={} averaging={} prefetch={} saveUpdater={} approach={} ({})"
                        + " storageLevel={} seed={}", c.workers(), c.batchSizePerWorker(), c.averagingFrequency(),
                run.rule, c.prefetch(), c.averageUpdater(), c.trainingApproach().key(), data.describe(c),
                c.storageLevel(), c.seed());
    }

    private static void logEpoch(TrainingRun run, EpochMetrics m, EpochTimes times) {
        EarlyStopping.State s = run.state;
        LOG.info("epoch {}/{}: loss {} acc {} val_loss {} val_acc {} | {} samples in {} s ({}/s), validation {} s,"
                        + " epoch {} s | best epoch {} ({} {}){} | ETA {} for the epoch limit",
                m.epoch(), run.config.maxEpochs(), f4(m.trainLoss()), f4(m.trainAccuracy()), f4(m.valLoss()),
                f4(m.valAccuracy()), m.trainExamples(), f1(m.trainSeconds()), Math.round(m.samplesPerSecond()),
                f1(m.evalSeconds()), f1(times.lastWall), s.bestEpoch(), run.config.monitor().key(),
                f4(s.bestValue()), s.stopped() ? ", stopping: " + s.stopReason().key() : "",
                duration(times.meanWall() * (run.config.maxEpochs() - m.epoch())));
    }

    /** Once every epoch's writes are durable: the result, also written as result.json. */
    private static TrainResult finish(TrainingRun run, double wallSeconds, EpochTimes times) throws Exception {
        EarlyStopping.State s = run.state;
        List<EpochMetrics> h = run.history.epochs();
        EpochMetrics best = s.bestEpoch() > 0 ? h.get(s.bestEpoch() - 1) : null;
        var store = run.dir.store();
        String bestHash = Checkpoint.verify(run.dir.fs(), store.bestPath());
        boolean restoreBest = run.config.restoreBestWeights();
        org.apache.hadoop.fs.Path finalPath = restoreBest ? store.bestPath() : store.lastPath();
        String finalHash = restoreBest ? bestHash : Checkpoint.verify(run.dir.fs(), finalPath);
        TrainResult result = new TrainResult(run.dir.toString(), store.bestPath().toString(), bestHash, s.bestEpoch(),
                best, h.isEmpty() ? null : h.get(h.size() - 1), s.epoch(), run.resumedFrom, s.stopReason(),
                wallSeconds, times.samplesPerSecond(), restoreBest ? "best" : "last", finalPath.toString(),
                finalHash);
        HadoopFiles.writeAtomically(run.dir.fs(), run.dir.file(RESULT_FILE), Yaml.json().writeValueAsBytes(result));
        RunReport.write(run.dir.fs(), run.dir.path());
        LOG.info("training stopped after epoch {} ({}); best epoch {}: val_loss {} val_acc {}; final model {} ({})",
                s.epoch(), s.stopReason().key(), s.bestEpoch(), best == null ? "-" : f4(best.valLoss()),
                best == null ? "-" : f4(best.valAccuracy()), result.finalModel(), finalPath);
        return result;
    }

    /** Wall time and fitted examples of the epochs this invocation ran (for the ETA and the result). */
    private static final class EpochTimes {
        private final long created = System.nanoTime();
        private long lastEnd = created;
        private double wallSum;
        private double fitSeconds;
        private long fitExamples;
        private int epochs;
        double lastWall;

        void add(EpochMetrics m) {
            long now = System.nanoTime();
            lastWall = (now - lastEnd) / 1e9;
            lastEnd = now;
            wallSum += lastWall;
            fitSeconds += m.trainSeconds();
            fitExamples += m.trainExamples();
            epochs++;
        }

        double meanWall() {
            return epochs == 0 ? 0 : wallSum / epochs;
        }

        double samplesPerSecond() {
            return fitSeconds > 0 ? fitExamples / fitSeconds : 0;
        }
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4f", v);
    }

    private static String f1(double v) {
        return String.format("%.1f", v);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
