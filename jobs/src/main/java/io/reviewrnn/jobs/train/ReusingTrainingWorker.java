package io.reviewrnn.jobs.train;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Collection;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's parameter averaging worker with two per-round costs removed; the training math is unchanged.
 * <ul>
 *   <li>The round's parameters, updater state and iteration/epoch counters travel inside the worker, i.e. inside
 *       the Spark task that Spark ships anyway, instead of in a second broadcast per round that also re-serialized
 *       the whole network configuration. The configuration is broadcast once per training master.</li>
 *   <li>A task does not build a new network every round: it takes a network of the same configuration that an
 *       earlier task of this JVM finished with, and overwrites its parameters, updater state and counters with the
 *       round's values, which is all a network freshly built by DL4J's worker would differ in.</li>
 * </ul>
 *
 * <p>A network is checked out by one task at a time and handed back when the task has produced its result, which
 * holds copies of the parameters and updater state (DL4J's result references the network's own arrays, which the
 * next task would overwrite). A task that fails never hands its network back. Networks are pooled per configuration
 * key ({@link #key}); a different key empties the pool. The pool is static (one per executor JVM) and guarded by
 * its own lock; a worker instance itself is used by one task.
 */
final class ReusingTrainingWorker extends ParameterAveragingTrainingWorker {
    private static final long serialVersionUID = 1L;

    /** More networks than concurrent tasks are never needed; the bound only guards against surprises. */
    private static final int MAX_POOLED = 16;
    private static final Object LOCK = new Object();
    private static final ArrayDeque<MultiLayerNetwork> POOL = new ArrayDeque<>();
    private static String pooledKey;
    private static long reused;
    private static long withoutReadAhead;

    private final Broadcast<NetBroadcastTuple> configuration;
    private final String key;
    private final Start start;
    private final boolean saveUpdater;
    private final WorkerConfiguration workerConfiguration;
    private final Collection<TrainingHook> hooks;
    private boolean readAhead = true;

    /**
     * What a worker starts a round from: the parameters the driver hands out, its updater state and the network's
     * iteration and epoch counters. Workers only read the arrays.
     *
     * @param params        the round's parameters
     * @param updaterState  the round's updater state, or null for a stateless updater
     */
    record Start(INDArray params, INDArray updaterState, int iterationCount, int epochCount) implements Serializable {
    }

    /**
     * @param configuration the network configuration (parameters and updater state in it are ignored)
     * @param key           {@link #key} of that configuration
     * @param start         the round's start
     */
    ReusingTrainingWorker(Broadcast<NetBroadcastTuple> configuration, String key, Start start, boolean saveUpdater,
            WorkerConfiguration workerConfiguration, Collection<TrainingHook> hooks) {
        super(configuration, saveUpdater, workerConfiguration, hooks, null, null);
        this.configuration = configuration;
        this.key = key;
        this.start = start;
        this.saveUpdater = saveUpdater;
        this.workerConfiguration = workerConfiguration;
        this.hooks = hooks;
    }

    /** The same worker for another round (a worker instance fits one round of one task). */
    ReusingTrainingWorker forRound(Start next) {
        return new ReusingTrainingWorker(configuration, key, next, saveUpdater, workerConfiguration, hooks);
    }

    /**
     * This task's minibatches are fitted without DL4J's read-ahead thread ({@code prefetch}): for minibatches that
     * are already in memory it only adds a hand-off between two threads per minibatch, which costs a core's time
     * slice when every core is training (docs/TRAINING.md).
     */
    void withoutReadAhead() {
        readAhead = false;
        synchronized (LOCK) {
            withoutReadAhead++;
        }
    }

    @Override
    public WorkerConfiguration getDataConfiguration() {
        WorkerConfiguration c = super.getDataConfiguration();
        if (readAhead || c.getPrefetchNumBatches() == 0) {
            return c;
        }
        return new WorkerConfiguration(c.isGraphNetwork(), c.getDataSetObjectSizeExamples(), c.getBatchSizePerWorker(),
                c.getMaxBatchesPerWorker(), 0, c.isCollectTrainingStats());
    }

    @Override
    public MultiLayerNetwork getInitialModel() {
        MultiLayerNetwork net = checkOut(key);
        if (net == null) {
            // What DL4J's worker does every round: a network from a copy of the configuration, with copies of the
            // parameters and updater state (each task deserializes its own, but the network must never share them).
            MultiLayerConfiguration conf = configuration.getValue().getConfiguration().clone();
            conf.setIterationCount(start.iterationCount());
            conf.setEpochCount(start.epochCount());
            net = new MultiLayerNetwork(conf);
            net.init(start.params().dup(), false);
            if (start.updaterState() != null) {
                net.setUpdater(new MultiLayerUpdater(net, start.updaterState().dup()));
            }
        } else {
            // Learning-rate schedules and Adam's bias correction read these counters.
            net.setIterationCount(start.iterationCount());
            net.setEpochCount(start.epochCount());
            for (Layer l : net.getLayers()) {
                l.setIterationCount(start.iterationCount());
                l.setEpochCount(start.epochCount());
            }
            net.params().assign(start.params());
            INDArray own = net.getUpdater().getStateViewArray();
            if (start.updaterState() != null) {
                own.assign(start.updaterState());
            } else if (own != null) {
                own.assign(0); // DL4J's fresh network would start from a new, zero updater state
            }
            net.clearLayersStates();
        }
        Nd4j.getExecutioner().commit();
        return net;
    }

    @Override
    public ParameterAveragingTrainingResult getFinalResult(MultiLayerNetwork network) {
        INDArray state = null;
        if (saveUpdater) {
            Updater u = network.getUpdater();
            if (u != null && u.getStateViewArray() != null) {
                state = u.getStateViewArray().dup();
            }
        }
        ParameterAveragingTrainingResult r = new ParameterAveragingTrainingResult(network.params().dup(), state,
                network.score(), null, null, null);
        Nd4j.getExecutioner().commit();
        checkIn(key, network);
        return r;
    }

    private static MultiLayerNetwork checkOut(String key) {
        synchronized (LOCK) {
            MultiLayerNetwork net = key.equals(pooledKey) ? POOL.pollFirst() : null;
            if (net != null) {
                reused++;
            }
            return net;
        }
    }

    private static void checkIn(String key, MultiLayerNetwork net) {
        synchronized (LOCK) {
            if (!key.equals(pooledKey)) {
                POOL.clear();
                pooledKey = key;
            }
            if (POOL.size() < MAX_POOLED) {
                POOL.addFirst(net);
            }
        }
    }

    /** The pool key of a configuration: its JSON without the iteration and epoch counts. */
    static String key(MultiLayerConfiguration conf) {
        MultiLayerConfiguration c = conf.clone();
        c.setIterationCount(0);
        c.setEpochCount(0);
        return c.toJson();
    }

    /** How many tasks of this JVM fitted their minibatches without read-ahead (tests). */
    static long withoutReadAheadCount() {
        synchronized (LOCK) {
            return withoutReadAhead;
        }
    }

    /** How many tasks of this JVM took a pooled network (tests). */
    static long reusedCount() {
        synchronized (LOCK) {
            return reused;
        }
    }
}
