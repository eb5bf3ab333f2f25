package io.reviewrnn.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.reviewrnn.core.config.ConfigException;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.config.Yaml;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.CheckpointStore;
import io.reviewrnn.core.store.HadoopFiles;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.TrainingHistory;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code train} stage: distributed training of a model spec on a prepared corpus with DL4J's
 * {@link ParameterAveragingTrainingMaster}, Keras-style per-epoch validation, best/last checkpoints, early
 * stopping and resume.
 *
 * <p>Data path. Minibatches are built on the executors from the Parquet rows (in a seeded pseudo-random order, so
 * labels are mixed within minibatches). With the default {@code export} approach they are written once to
 * {@code <run_dir>/minibatches} ({@link MinibatchExport}); every epoch shuffles the list of minibatch files with
 * {@code Random(seed, epoch)} and feeds them to DL4J in groups of {@code workers * averaging_frequency} files, one
 * group per averaging round, laid out so each worker gets exactly {@code averaging_frequency} files. This uses every
 * example in every epoch: DL4J caps each worker at {@code averaging_frequency} minibatches per round and silently
 * skips whatever else a partition holds, which is what happens with its own split/repartition logic when the
 * round sizes do not line up (the Direct approach with a mis-stated {@code rddDataSetNumExamples}, and, for a few
 * files per epoch, its Export approach too); see docs/TRAINING.md. The {@code direct} approach hands the in-memory
 * minibatch RDD to DL4J's Direct approach unchanged and is kept for comparison; the examples actually fitted are
 * counted in both cases and logged.
 *
 * <p>Reproducibility: with a fixed seed the minibatch composition, the per-epoch order and the weight
 * initialization are fixed; the parameters after an epoch are then reproducible up to floating-point
 * non-associativity in the native kernels and in the order of the parameter sums (identical with one or two
 * workers in practice, see docs/TRAINING.md).
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    public static final String CONFIG_FILE = "config.yaml";
    public static final String MODEL_FILE = "model.yaml";
    public static final String RESULT_FILE = "result.json";
    public static final String EXPORT_DIR = "minibatches";

    /** Called after each epoch once its history and checkpoints are written (tests use it to simulate a crash). */
    public interface EpochListener {
        void afterEpoch(EpochMetrics metrics, EarlyStopping.State state) throws Exception;
    }

    private final TrainConfig config;
    private final boolean resume;
    private EpochListener listener = (m, s) -> { };

    public TrainJob(TrainConfig config) {
        this(config, false);
    }

    private TrainJob(TrainConfig config, boolean resume) {
        this.config = config;
        this.resume = resume;
    }

    /** A job that continues the run in {@code runDir} from its last checkpoint, with the run's effective config. */
    public static TrainJob resume(String runDir) {
        String file = new Path(runDir, CONFIG_FILE).toString();
        return new TrainJob(Yaml.bind(Yaml.readTree(file), TrainConfig.class, file), true);
    }

    /** A resume that also changes the epoch limit (e.g. to train a finished run further). */
    public static TrainJob resume(String runDir, Integer maxEpochs) {
        TrainJob j = resume(runDir);
        if (maxEpochs == null) {
            return j;
        }
        var tree = Yaml.json().valueToTree(j.config);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).put("max_epochs", maxEpochs);
        return new TrainJob(Yaml.bind(tree, TrainConfig.class, "--resume " + runDir), true);
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
        Path runDir = new Path(config.runDir());
        FileSystem fs = runDir.getFileSystem(sc.hadoopConfiguration());
        runDir = fs.makeQualified(runDir);
        CheckpointStore store = new CheckpointStore(fs, runDir);

        Path corpus = new Path(config.corpus());
        FileSystem corpusFs = corpus.getFileSystem(sc.hadoopConfiguration());
        corpus = corpusFs.makeQualified(corpus);
        if (!corpusFs.exists(new Path(corpus, PreparedLayout.SUCCESS))) {
            throw new FileNotFoundException("no prepared corpus at " + corpus + " (expected " + PreparedLayout.SUCCESS
                    + "; run 'review-rnn prepare' first)");
        }
        PrepareManifest manifest = PrepareManifest.read(corpusFs, corpus);
        Vocabulary vocabulary;
        try (InputStream in = corpusFs.open(new Path(corpus, PreparedLayout.VOCABULARY))) {
            vocabulary = Vocabulary.read(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        TextSpec text = manifest.text();
        long trainCount = count(manifest, PreparedLayout.TRAIN);
        long valCount = count(manifest, PreparedLayout.VALIDATION);
        if (valCount == 0 || trainCount == 0) {
            throw new ConfigException("corpus", corpus.toString(), "must have non-empty train and validation splits"
                    + " (prepare with validation_split > 0)");
        }

        TrainConfig effective;
        ModelSpec spec;
        MultiLayerNetwork net;
        EarlyStopping.State state;
        TrainingHistory history;
        int resumedFrom = 0;
        if (resume) {
            effective = config;
            try (InputStream in = fs.open(new Path(runDir, MODEL_FILE))) {
                spec = ModelSpec.load(in, new Path(runDir, MODEL_FILE).toString());
            }
            if (store.recover()) {
                Checkpoint last = store.loadLast();
                if (!text.equals(last.textSpec()) || !vocabulary.equals(last.vocabulary())) {
                    throw new IOException("cannot resume " + runDir + ": corpus " + corpus + " was prepared with"
                            + " another text spec or vocabulary than the run's checkpoints");
                }
                net = last.network();
                state = last.metadata().earlyStopping();
                history = new TrainingHistory(last.metadata().history());
                resumedFrom = last.epoch();
                LOG.info("resuming {} after epoch {} (best epoch {}, {} epochs without improvement)", runDir,
                        resumedFrom, state.bestEpoch(), state.epochsWithoutImprovement());
            } else {
                LOG.info("resuming {}: no checkpoint yet, starting at epoch 1", runDir);
                net = ModelFactory.network(spec, text.numWords());
                state = null;
                history = new TrainingHistory();
            }
        } else {
            Path configFile = new Path(runDir, CONFIG_FILE);
            if (fs.exists(configFile)) {
                if (!config.overwrite()) {
                    throw new ConfigException("run_dir", runDir.toString(), "already holds a run; continue it with"
                            + " --resume " + runDir + " or replace it with overwrite: true");
                }
                fs.delete(runDir, true);
            }
            Path modelPath = new Path(config.model());
            try (InputStream in = modelPath.getFileSystem(sc.hadoopConfiguration()).open(modelPath)) {
                spec = ModelSpec.load(in, config.model());
            } catch (FileNotFoundException e) {
                throw new ConfigException("model", config.model(), "must be an existing model spec file");
            }
            int workers = config.workers() != null ? config.workers() : sc.defaultParallelism();
            effective = config.withWorkers(workers);
            fs.mkdirs(runDir);
            HadoopFiles.writeAtomically(fs, configFile, Yaml.yaml().writeValueAsBytes(effective));
            HadoopFiles.writeAtomically(fs, new Path(runDir, MODEL_FILE), spec.toYaml().getBytes(StandardCharsets.UTF_8));
            net = ModelFactory.network(spec, text.numWords());
            state = null;
            history = new TrainingHistory();
        }
        EarlyStopping policy = new EarlyStopping(effective.monitor(), effective.minDelta(), effective.patience(),
                effective.maxEpochs());
        if (state == null) {
            state = policy.initial();
        }
        if (state.stopped() && state.epoch() < effective.maxEpochs()
                && state.stopReason() == EarlyStopping.StopReason.MAX_EPOCHS) {
            // the epoch limit was raised on resume: continue
            state = new EarlyStopping.State(state.epoch(), state.bestEpoch(), state.bestValue(),
                    state.epochsWithoutImprovement(), null);
        }
        LOG.info("train {} ({}, {} parameters) on {}: {} training / {} validation reviews, maxlen {}, {} words",
                spec.name(), spec.kind().key(), net.numParams(), corpus, trainCount, valCount, text.maxlen(),
                text.numWords());
        LOG.info("effective config: {}", Yaml.json().writeValueAsString(effective).replaceAll("\\s+", " "));

        int workers = effective.workers();
        int maxlen = text.maxlen();
        long seed = effective.seed();
        StorageLevel level = "NONE".equals(effective.storageLevel()) ? null
                : StorageLevel.fromString(effective.storageLevel());

        // Validation minibatches stay in memory for the whole run.
        JavaRDD<DataSet> valBatches = rows(spark, corpus, PreparedLayout.VALIDATION, null)
                .mapPartitions(new Minibatches(effective.evalBatchSize(), maxlen));
        persist(valBatches, level);

        List<MinibatchExport.Batch> exported = null;
        JavaRDD<DataSet> trainBatches = null;
        Path exportDir = effective.exportDir() != null ? new Path(effective.exportDir()) : new Path(runDir, EXPORT_DIR);
        FileSystem exportFs = exportDir.getFileSystem(sc.hadoopConfiguration());
        if (!state.stopped()) {
            // One partition per worker: each writes its share of minibatches in parallel, and at most `workers`
            // minibatches (the last of each partition) are smaller than batch_size_per_worker.
            JavaRDD<Row> trainRows = rows(spark, corpus, PreparedLayout.TRAIN, seed).coalesce(workers);
            if (effective.trainingApproach() == TrainConfig.TrainingApproach.EXPORT) {
                exported = MinibatchExport.exportOnce(sc, exportFs, exportDir, trainRows, corpus.toString(),
                        effective.batchSizePerWorker(), maxlen, seed);
            } else {
                trainBatches = trainRows.mapPartitions(new Minibatches(effective.batchSizePerWorker(), maxlen));
                persist(trainBatches, level);
            }
        }
        LOG.info("training master: ParameterAveragingTrainingMaster workers={} batchSizePerWorker={} "
                        + "averagingFrequency={} prefetch={} saveUpdater={} approach={} {} storageLevel={} seed={}",
                workers, effective.batchSizePerWorker(), effective.averagingFrequency(), effective.prefetch(),
                effective.averageUpdater(), effective.trainingApproach().key(),
                exported != null ? "(" + exported.size() + " minibatch files in " + exportFs.makeQualified(exportDir)
                        + ", " + (exported.size() + workers * effective.averagingFrequency() - 1)
                        / (workers * effective.averagingFrequency()) + " averaging rounds/epoch, repartition=Never)"
                        : "(DL4J Direct, rddDataSetNumExamples=" + effective.batchSizePerWorker()
                        + ", repartition=Always/Balanced)",
                effective.storageLevel(), seed);

        double fitSeconds = 0;
        long fitExamples = 0;
        double epochWallSum = 0;
        int epochsRun = 0;
        while (!state.stopped()) {
            int epoch = state.epoch() + 1;
            long epochStart = System.nanoTime();
            spark.sparkContext().setJobDescription("train: epoch " + epoch);
            LongAccumulator examples = sc.sc().longAccumulator("examples");
            LongAccumulator minibatches = sc.sc().longAccumulator("minibatches");
            DoubleAccumulator lossSum = sc.sc().doubleAccumulator("loss");
            LongAccumulator correct = sc.sc().longAccumulator("correct");
            MetricsHook hook = new MetricsHook(examples, minibatches, lossSum, correct, effective.trainAccuracy());
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, trainingMaster(effective, hook, epoch));
            if (exported != null) {
                fitExported(sc, sparkNet, exported, workers, effective.averagingFrequency(), seed, epoch);
            } else {
                sparkNet.fit(trainBatches);
            }
            net = sparkNet.getNetwork();
            double trainSec = (System.nanoTime() - epochStart) / 1e9;

            long evalStart = System.nanoTime();
            spark.sparkContext().setJobDescription("train: validation after epoch " + epoch);
            double[] v = evaluate(sc, net, valBatches);
            double evalSec = (System.nanoTime() - evalStart) / 1e9;
            spark.sparkContext().setJobDescription(null);

            long n = examples.value();
            if (n < trainCount) {
                LOG.warn("epoch {}: only {} of {} training examples were fitted ({} minibatches); DL4J skipped the rest",
                        epoch, n, trainCount, minibatches.value());
            }
            EpochMetrics m = new EpochMetrics(epoch, n == 0 ? Double.NaN : lossSum.value() / n,
                    effective.trainAccuracy() && n > 0 ? (double) correct.value() / n : Double.NaN,
                    v[0] / v[2], v[1] / v[2], n, trainSec, evalSec, n / trainSec);
            history.add(m);
            state = policy.observe(state, m);
            Checkpoint.Metadata meta = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, CheckpointStore.LAST,
                    epoch, Instant.now().toString(), spec.name(), net.numParams(), text, corpus.toString(),
                    Yaml.json().valueToTree(effective), m, state, history.epochs());
            try {
                history.write(fs, runDir);
                if (EarlyStopping.improvedAt(state)) {
                    store.saveBest(net, vocabulary, spec, withRole(meta, CheckpointStore.BEST));
                }
                store.saveLast(net, vocabulary, spec, meta);
            } catch (IOException e) {
                throw new CheckpointWriteException(epoch, runDir, e);
            }

            epochsRun++;
            fitSeconds += trainSec;
            fitExamples += n;
            double wall = (System.nanoTime() - epochStart) / 1e9;
            epochWallSum += wall;
            double eta = epochWallSum / epochsRun * (effective.maxEpochs() - epoch);
            LOG.info("epoch {}/{}: loss {} acc {} val_loss {} val_acc {} | {} samples in {} s ({}/s), validation {} s,"
                            + " epoch {} s | best epoch {} ({} {}){} | ETA {} for the epoch limit",
                    epoch, effective.maxEpochs(), f4(m.trainLoss()), f4(m.trainAccuracy()), f4(m.valLoss()),
                    f4(m.valAccuracy()), n, f1(trainSec), Math.round(m.samplesPerSecond()), f1(evalSec), f1(wall),
                    state.bestEpoch(), effective.monitor().key(), f4(state.bestValue()),
                    state.stopped() ? ", stopping: " + state.stopReason().key() : "", duration(eta));
            listener.afterEpoch(m, state);
        }

        valBatches.unpersist(false);
        if (trainBatches != null) {
            trainBatches.unpersist(false);
        }
        if (effective.exportDir() == null && exportFs.exists(exportDir)) {
            exportFs.delete(exportDir, true); // the run is finished; nothing will read the export again
        }

        List<EpochMetrics> h = history.epochs();
        EpochMetrics best = state.bestEpoch() > 0 ? h.get(state.bestEpoch() - 1) : null;
        String bestHash = Checkpoint.verify(fs, store.bestPath());
        TrainResult result = new TrainResult(runDir.toString(), store.bestPath().toString(), bestHash,
                state.bestEpoch(), best, h.isEmpty() ? null : h.get(h.size() - 1), state.epoch(), resumedFrom,
                state.stopReason(), (System.nanoTime() - started) / 1e9, fitSeconds > 0 ? fitExamples / fitSeconds : 0,
                effective.restoreBestWeights() ? CheckpointStore.BEST : CheckpointStore.LAST);
        HadoopFiles.writeAtomically(fs, new Path(runDir, RESULT_FILE), Yaml.json().writeValueAsBytes(result));
        LOG.info("training stopped after epoch {} ({}); best epoch {}: val_loss {} val_acc {}; final model {} ({})",
                state.epoch(), state.stopReason().key(), state.bestEpoch(), best == null ? "-" : f4(best.valLoss()),
                best == null ? "-" : f4(best.valAccuracy()), result.finalModel(),
                effective.restoreBestWeights() ? store.bestPath() : store.lastPath());
        return result;
    }

    /** One epoch on exported minibatch files: a shuffled order, one averaging round per group of files. */
    static void fitExported(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet, List<MinibatchExport.Batch> batches,
            int workers, int averagingFrequency, long seed, int epoch) {
        List<String> order = epochOrder(batches, seed, epoch);
        MultiLayerConfiguration conf = sparkNet.getNetwork().getLayerWiseConfigurations();
        int perRound = workers * averagingFrequency;
        for (int start = 0; start < order.size(); start += perRound) {
            List<String> round = order.subList(start, Math.min(order.size(), start + perRound));
            // parallelize slices evenly: each of the `workers` partitions holds at most averagingFrequency files,
            // which is exactly what a DL4J worker fits before it returns its parameters.
            int partitions = Math.max(1, Math.min(workers, (round.size() + averagingFrequency - 1) / averagingFrequency));
            int iterations = conf.getIterationCount();
            if (sparkNet.getTrainingMaster() instanceof KnownCountTrainingMaster known) {
                known.nextCount(round.size());
            }
            sparkNet.fitPaths(sc.parallelize(new ArrayList<>(round), partitions));
            // DL4J adds averagingFrequency per round even to a shorter last round, and counts every fitPaths call
            // as an epoch; Adam's bias correction reads the iteration count, so keep both counters true.
            conf.setIterationCount(iterations + (round.size() + partitions - 1) / partitions);
        }
        conf.setEpochCount(epoch);
    }

    /** The order of the minibatch files in {@code epoch}: a shuffle that depends only on seed and epoch. */
    static List<String> epochOrder(List<MinibatchExport.Batch> batches, long seed, int epoch) {
        List<String> order = new ArrayList<>(batches.size());
        batches.forEach(b -> order.add(b.path()));
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    /** The training master of one epoch (a fresh one per epoch, so its RNG depends only on seed and epoch). */
    static ParameterAveragingTrainingMaster trainingMaster(TrainConfig c, TrainingHook hook, int epoch) {
        return new KnownCountTrainingMaster(trainingMasterBuilder(c, hook, epoch));
    }

    /** The settings of {@link #trainingMaster}; {@code build()} gives DL4J's stock master (tests compare both). */
    static ParameterAveragingTrainingMaster.Builder trainingMasterBuilder(TrainConfig c, TrainingHook hook, int epoch) {
        ParameterAveragingTrainingMaster.Builder b = new ParameterAveragingTrainingMaster.Builder(c.workers(),
                c.batchSizePerWorker())
                .batchSizePerWorker(c.batchSizePerWorker())
                .averagingFrequency(c.averagingFrequency())
                .workerPrefetchNumBatches(c.prefetch())
                .saveUpdater(c.averageUpdater())
                .rngSeed(c.seed() * 31 + epoch);
        if (hook != null) {
            b.trainingHooks(hook);
        }
        if (!"NONE".equals(c.storageLevel())) {
            b.storageLevel(StorageLevel.fromString(c.storageLevel()));
        }
        if (c.trainingApproach() == TrainConfig.TrainingApproach.EXPORT) {
            // Each round's path RDD is used by exactly one job: caching it (DL4J's default) only stored blocks.
            b.rddTrainingApproach(RDDTrainingApproach.Export).repartionData(Repartition.Never).storageLevelStreams(null);
        } else {
            b.rddTrainingApproach(RDDTrainingApproach.Direct).repartionData(Repartition.Always)
                    .repartitionStrategy(RepartitionStrategy.Balanced);
        }
        return b;
    }

    /** Validation over the broadcast network: {@code [loss sum, correct, examples]}. */
    static double[] evaluate(JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> batches) {
        Broadcast<NetBroadcastTuple> b = sc.broadcast(new NetBroadcastTuple(net.getLayerWiseConfigurations(),
                net.params(), null));
        try {
            return batches.mapPartitions(new EvaluateFunction(b)).reduce((x, y) ->
                    new double[] {x[0] + y[0], x[1] + y[1], x[2] + y[2]});
        } finally {
            b.destroy();
        }
    }

    /** Rows (ids, label) of a split; with a seed, in a pseudo-random order fixed by the seed. */
    private static JavaRDD<Row> rows(SparkSession spark, Path corpus, String split, Long seed) {
        Dataset<Row> df = spark.read().parquet(new Path(corpus, split).toString());
        if (seed != null) {
            df = df.orderBy(xxhash64(col(PreparedLayout.COL_ID), lit(seed)), col(PreparedLayout.COL_ID));
        }
        return df.select(Minibatches.COLUMNS[0], Minibatches.COLUMNS[1]).javaRDD();
    }

    private static void persist(JavaRDD<?> rdd, StorageLevel level) {
        if (level != null) {
            rdd.persist(level);
        }
    }

    private static long count(PrepareManifest m, String split) {
        var s = m.splits().get(split);
        return s == null ? 0 : s.count();
    }

    private static Checkpoint.Metadata withRole(Checkpoint.Metadata m, String role) {
        return new Checkpoint.Metadata(m.formatVersion(), role, m.epoch(), m.createdAt(), m.modelName(), m.numParams(),
                m.text(), m.corpus(), m.config(), m.metrics(), m.earlyStopping(), m.history());
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
