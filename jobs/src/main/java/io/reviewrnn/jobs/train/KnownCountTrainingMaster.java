package io.reviewrnn.jobs.train;

import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.train.BlockMomentum;
import io.reviewrnn.jobs.Rdds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.ExecuteWorkerPathFlatMap;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.deeplearning4j.spark.util.SparkUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J's {@link ParameterAveragingTrainingMaster} with its fixed per-round costs cut down, the math unchanged. A
 * round is the same: each worker fits up to {@code averagingFrequency} minibatches starting from the driver's
 * parameters and updater state, then the driver sets the mean of the workers' parameters (and of their updater
 * states, with {@code saveUpdater}). What changed, each measured on {@code local[2]} with the tiny reference models:
 * <ul>
 *   <li>An averaging round whose size the caller already knows does not run a Spark {@code count()} job first (DL4J
 *       counts the paths of every {@code fitPaths} call only for its optional stats); {@link TrainJob} calls
 *       {@code fitPaths} once per round, so that was one extra Spark job per round.</li>
 *   <li>A round on exported minibatch paths is one plain Spark job that returns each worker's result to the driver,
 *       which averages them in partition order, instead of DL4J's {@code mapPartitions} + {@code treeAggregate}.
 *       The task function is a named class, so Spark's closure cleaner has nothing to inspect; DL4J's lambdas made
 *       it parse Spark's class files (from the classpath jars) several times per round.</li>
 *   <li>The workers reuse their networks and get the round's parameters inside the task
 *       ({@link ReusingTrainingWorker}), instead of a broadcast per round plus a network build per task.</li>
 * </ul>
 * With DL4J training listeners or training stats, or for a {@code ComputationGraph}, DL4J's own code runs.
 *
 * <p>A whole epoch of rounds can also run as one Spark job ({@link RoundExchange}); it uses this master's workers
 * ({@link #getWorkerInstance}, {@link #roundStart}) and its driver-side fold ({@link #fold}), so both ways give the
 * same parameters.
 *
 * <p>The averaging rule ({@link BlockMomentum}) is applied on top of the mean, in both our rounds and DL4J's own
 * (the {@code direct} approach): the workers start each round from {@link BlockMomentum#blockStart} and the mean
 * they return is folded into the global model by {@link BlockMomentum#update}. The rule's state outlives the
 * master (a new master per epoch), so it is passed in. DL4J's path with listeners or stats supports only the plain
 * mean.
 */
final class KnownCountTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KnownCountTrainingMaster.class);

    private transient long knownCount = -1;
    private transient MultiLayerConfiguration broadcastConf;
    private transient Broadcast<NetBroadcastTuple> confBroadcast;
    private transient String confKey;
    private final transient BlockMomentum rule;

    KnownCountTrainingMaster(Builder builder, BlockMomentum rule) {
        super(builder);
        this.rule = rule;
    }

    /**
     * The training master of one epoch (a fresh one per epoch, so its RNG depends only on seed and epoch), applying
     * the run's averaging rule, whose state carries over from epoch to epoch.
     */
    static KnownCountTrainingMaster forEpoch(TrainConfig c, TrainingHook hook, int epoch, BlockMomentum rule) {
        return new KnownCountTrainingMaster(settings(c, hook, epoch), rule);
    }

    /** The DL4J settings of {@link #forEpoch}; {@code build()} gives DL4J's stock master (tests compare both). */
    static Builder settings(TrainConfig c, TrainingHook hook, int epoch) {
        Builder b = new Builder(c.workers(), c.batchSizePerWorker())
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

    /** The number of elements of the RDD passed to the next fit call; used once, instead of counting it. */
    void nextCount(long n) {
        knownCount = n;
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> data) {
        long n = knownCount;
        knownCount = -1;
        return n >= 0 ? n : super.getTotalDataSetObjectCount(data);
    }

    private boolean stock() {
        return collectTrainingStats || (listeners != null && !listeners.isEmpty()) || statsStorage != null;
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        if (stock()) {
            if (!rule.isPlainMean()) {
                throw new IllegalStateException("averaging " + rule + " is not supported with DL4J training listeners"
                        + " or stats; use averaging: mean");
            }
            return super.getWorkerInstance(network);
        }
        MultiLayerNetwork net = network.getNetwork();
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (conf != broadcastConf) {
            // Once per training master: the configuration (workers only read it to build a network).
            confBroadcast = network.getSparkContext().broadcast(new NetBroadcastTuple(conf, null, null));
            confKey = ReusingTrainingWorker.key(conf);
            broadcastConf = conf;
        }
        WorkerConfiguration wc = new WorkerConfiguration(false, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, false);
        return new ReusingTrainingWorker(confBroadcast, confKey, roundStart(net), saveUpdater, wc, trainingHookList);
    }

    /**
     * What the workers of the next round start from: the rule's block start of the driver's parameters, the
     * driver's updater state and counters.
     */
    ReusingTrainingWorker.Start roundStart(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        return new ReusingTrainingWorker.Start(rule.blockStart(net.params()), net.getUpdater().getStateViewArray(),
                conf.getIterationCount(), conf.getEpochCount());
    }

    /** The averaging rule (the exchange snapshots its state and restores it when an epoch's job fails). */
    BlockMomentum rule() {
        return rule;
    }

    /** Whether the rounds run in this class's own code (not DL4J's stock path with listeners or stats). */
    boolean ownRounds() {
        return !stock();
    }

    @Override
    protected void doIterationPaths(SparkDl4jMultiLayer network, SparkComputationGraph graph, JavaRDD<String> split,
            int splitNum, int numSplits, int dataSetObjectNumExamples, DataSetLoader dsLoader,
            MultiDataSetLoader mdsLoader) {
        if (network == null || dsLoader == null || stock()) {
            super.doIterationPaths(network, graph, split, splitNum, numSplits, dataSetObjectNumExamples, dsLoader,
                    mdsLoader);
            return;
        }
        JavaSparkContext sc = network.getSparkContext();
        JavaRDD<String> data = SparkUtils.repartition(split, repartition, repartitionStrategy,
                numObjectsEachWorker(dataSetObjectNumExamples), numWorkers);
        // DL4J's own per-partition worker loop (minibatch assembly, prefetch, the cap of averagingFrequency
        // minibatches per worker), run by a job that just returns its one result per partition.
        // Rdds: named function classes, so Spark's closure cleaner skips them.
        ParameterAveragingTrainingWorker worker = getWorkerInstance(network);
        ExecuteWorkerPathFlatMap<ParameterAveragingTrainingResult> fit = new ExecuteWorkerPathFlatMap<>(worker,
                dsLoader, BroadcastHadoopConfigHolder.get(sc));
        List<RoundResult> results = Rdds.eachPartition(data, (partition, paths) -> {
            List<String> mine = new ArrayList<>();
            paths.forEachRemaining(mine::add);
            if (!readAhead(dsLoader, mine) && worker instanceof ReusingTrainingWorker reusing) {
                reusing.withoutReadAhead();
            }
            Iterator<ParameterAveragingTrainingResult> out = CachedMinibatchLoader.fit(dsLoader,
                    () -> fit.call(mine.iterator()));
            return out.hasNext() ? new RoundResult(out.next()) : null;
        });
        fold(network, results, splitNum, numSplits);
    }

    /**
     * Whether a worker should read its minibatches ahead on a second thread ({@code prefetch}): only when some of
     * them come from files, i.e. not when the per-JVM minibatch cache holds them all.
     */
    static boolean readAhead(DataSetLoader loader, List<String> paths) {
        return !(loader instanceof CachedMinibatchLoader cache && cache.holdsAll(paths));
    }

    /** DL4J's own rounds (the direct approach): its mean, then the averaging rule on top. */
    @Override
    protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
            JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
        if (network == null || rule.isPlainMean()) {
            super.processResults(network, graph, results, splitNum, totalSplits);
            return;
        }
        MultiLayerNetwork net = network.getNetwork();
        INDArray global = net.params().dup();
        int iterations = net.getLayerWiseConfigurations().getIterationCount();
        super.processResults(network, graph, results, splitNum, totalSplits);
        // DL4J set the workers' mean, and counted the round's iterations, only if some worker had data
        if (net.getLayerWiseConfigurations().getIterationCount() != iterations) {
            net.setParameters(rule.update(global, net.params().dup()));
        }
    }

    /**
     * DL4J's processResults for a MultiLayerNetwork, summing in partition order, then the averaging rule. Results
     * are null or hold no parameters for workers without data.
     */
    void fold(SparkDl4jMultiLayer network, List<RoundResult> results, int splitNum, int numSplits) {
        INDArray params = null;
        INDArray updaterState = null;
        double scoreSum = 0;
        int n = 0;
        for (RoundResult r : results) {
            if (r == null || r.params == null) {
                continue; // a worker without data
            }
            params = params == null ? r.params : params.addi(r.params);
            if (r.updaterState != null) {
                updaterState = updaterState == null ? r.updaterState : updaterState.addi(r.updaterState);
            }
            scoreSum += r.score;
            n++;
        }
        if (params == null) {
            LOG.info("averaging round {} of {}: no worker had data", splitNum, numSplits);
            return;
        }
        MultiLayerNetwork net = network.getNetwork();
        net.setParameters(rule.update(net.params(), params.divi(n)));
        if (updaterState != null) {
            net.getUpdater().setStateViewArray(null, updaterState.divi(n), false);
        }
        network.setScore(scoreSum / n);
        Nd4j.getExecutioner().commit();
        // As DL4J: a round counts as averagingFrequency iterations (TrainJob corrects it for a short last round).
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        conf.setIterationCount(conf.getIterationCount() + averagingFrequency);
    }

    /**
     * A worker's result as the task returns it: DL4J's result type is not {@code Serializable}, which Spark's task
     * results must be under the Java serializer (DL4J only ever shipped its Serializable aggregation tuple).
     */
    static final class RoundResult implements Serializable {
        private static final long serialVersionUID = 1L;
        final INDArray params;
        final INDArray updaterState;
        final double score;

        RoundResult(ParameterAveragingTrainingResult r) {
            this(r.getParameters(), r.getUpdaterState(), r.getScore());
        }

        RoundResult(INDArray params, INDArray updaterState, double score) {
            this.params = params;
            this.updaterState = updaterState;
            this.score = score;
        }
    }
}
