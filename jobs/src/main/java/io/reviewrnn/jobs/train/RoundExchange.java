package io.reviewrnn.jobs.train;

import io.reviewrnn.core.train.BlockMomentum;
import io.reviewrnn.jobs.Rdds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.Success$;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rpc.IsolatedRpcEndpoint;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.RpcUtils;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.ExecuteWorkerPathFlatMap;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * An epoch of averaging rounds as one Spark job (the {@code exchange} rounds). Its {@code workers} tasks run
 * together in a barrier stage and keep running for the whole epoch: after each round every task sends its result to
 * an endpoint on the driver ({@link Coordinator}, on Spark's own RPC, the channel of Spark's barrier coordinator) and
 * waits; when all have reported, the driver folds them exactly as in the {@code jobs} rounds
 * ({@link KnownCountTrainingMaster#fold}: the sum in partition order, then the averaging rule) and answers each task
 * with the next round's start. Each task fits the same minibatches as the task of the same partition in the
 * {@code jobs} rounds, so an epoch gives the same parameters bit for bit; it only saves the Spark job per round
 * (submission, task launch and a task binary that carries the parameters).
 *
 * <p>Failures: Spark does not retry a barrier stage that computes a job's results, so one failed task fails the
 * epoch's job. The coordinator then fails the rounds its peers wait for (a listener sees the task end), so they end
 * at once, and the epoch starts over from its snapshot (parameters, updater state, counters, the rule's state) as
 * one Spark job per round, where Spark retries failed tasks one by one. The run's result is the same either way.
 */
final class RoundExchange {
    private static final Logger LOG = LoggerFactory.getLogger(RoundExchange.class);
    /** Head room of a round's message over its two arrays (Java serialization, the result's score). */
    private static final double MESSAGE_OVERHEAD = 1.1;

    private RoundExchange() {
    }

    /**
     * Why an epoch cannot run as exchanged rounds on this Spark context, or null if it can: all {@code workers}
     * tasks must fit the cluster's task slots at once, which dynamic allocation does not promise (and barrier
     * stages refuse), and a round's parameters and updater state must fit one RPC message.
     */
    static String unavailable(SparkContext sc, int workers, MultiLayerNetwork net) {
        SparkConf conf = sc.getConf();
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            return "spark.dynamicAllocation.enabled is true";
        }
        int slots = sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
        if (slots < workers) {
            return workers + " workers but " + slots + " task slots";
        }
        INDArray state = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
        long bytes = net.params().length() * net.params().dataType().width()
                + (state == null ? 0 : state.length() * state.dataType().width());
        long max = RpcUtils.maxMessageSizeBytes(conf);
        if (bytes * MESSAGE_OVERHEAD > max) {
            return "parameters and updater state (" + bytes + " bytes) exceed spark.rpc.message.maxSize (" + max
                    + " bytes)";
        }
        return null;
    }

    /**
     * One epoch on {@code order} (the epoch's minibatch files in order) as exchanged rounds ({@link RoundPlan}).
     * False when the epoch's job failed before its last round: the network is then back at the epoch's start, for
     * the caller to run the epoch as one job per round.
     */
    static boolean fitEpoch(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet, KnownCountTrainingMaster master,
            List<MinibatchExport.Batch> order, int workers, int averagingFrequency, DataSetLoader loader,
            EpochProgress progress) {
        String name = "review-rnn-rounds-" + UUID.randomUUID();
        RoundPlan plan = new RoundPlan(order.size(), workers, averagingFrequency);
        List<String> paths = new ArrayList<>(order.size());
        long[] roundExamples = new long[plan.rounds()];
        for (int r = 0; r < plan.rounds(); r++) {
            for (MinibatchExport.Batch b : order.subList(plan.from(r), plan.to(r))) {
                paths.add(b.path());
                roundExamples[r] += b.examples();
            }
        }
        Snapshot start = new Snapshot(sparkNet.getNetwork(), master.rule());
        Coordinator coordinator = new Coordinator(SparkEnv.get().rpcEnv(), sparkNet, master, plan, roundExamples,
                progress);
        RpcEndpointRef ref = coordinator.rpcEnv().setupEndpoint(name, coordinator);
        sc.sc().addSparkListener(coordinator.failures);
        Exception failure = null;
        try {
            // the workers' settings; each round's start comes from the coordinator
            ReusingTrainingWorker template = ((ReusingTrainingWorker) master.getWorkerInstance(sparkNet))
                    .forRound(null);
            Tasks tasks = new Tasks(name, paths, workers, averagingFrequency, template, loader,
                    BroadcastHadoopConfigHolder.get(sc));
            List<Integer> partitions = IntStream.range(0, workers).boxed().toList();
            Rdds.eachPartitionTogether(sc.parallelize(partitions, workers), tasks);
        } catch (Exception e) { // SparkException, undeclared by the Scala API
            failure = e;
        } finally {
            sc.sc().removeSparkListener(coordinator.failures);
            coordinator.rpcEnv().stop(ref);
            coordinator.close();
        }
        if (coordinator.finished()) {
            if (failure != null) {
                LOG.warn("the epoch's job failed after its last round had been folded; the epoch is complete", failure);
            }
            return true;
        }
        LOG.warn("the epoch's exchanged rounds failed at round {} of {}; the epoch starts over as one Spark job per"
                + " round", coordinator.round(), plan.rounds(), failure);
        start.restore(sparkNet.getNetwork(), master.rule());
        progress.restart();
        return false;
    }

    /** A task's report after a round (its result, null without data) and request for the next round's start. */
    record Report(int stageId, int partition, int round, KnownCountTrainingMaster.RoundResult result) {
    }

    /**
     * The messages travel as bytes: Spark's RPC deserializes a message before any task code runs, with a class
     * loader that does not see the application's jar (nor ND4J in it) on a real cluster, only Spark's own classes.
     * The arrays are in ND4J's binary format; nothing is Java-deserialized.
     */
    static final class Codec {
        private Codec() {
        }

        static byte[] report(Report r) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(r.stageId());
                out.writeInt(r.partition());
                out.writeInt(r.round());
                KnownCountTrainingMaster.RoundResult result = r.result();
                out.writeBoolean(result != null && result.params != null);
                if (result != null && result.params != null) {
                    out.writeDouble(result.score);
                    Nd4j.write(result.params, out);
                    writeNullable(result.updaterState, out);
                }
            }
            return bytes.toByteArray();
        }

        static Report report(byte[] message) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
                int stageId = in.readInt();
                int partition = in.readInt();
                int round = in.readInt();
                KnownCountTrainingMaster.RoundResult result = null;
                if (in.readBoolean()) {
                    double score = in.readDouble();
                    INDArray params = Nd4j.read(in);
                    result = new KnownCountTrainingMaster.RoundResult(params, readNullable(in), score);
                }
                return new Report(stageId, partition, round, result);
            }
        }

        /** The next round's start, or the end of the epoch for null. */
        static byte[] start(ReusingTrainingWorker.Start s) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeBoolean(s != null);
                if (s != null) {
                    out.writeInt(s.iterationCount());
                    out.writeInt(s.epochCount());
                    Nd4j.write(s.params(), out);
                    writeNullable(s.updaterState(), out);
                }
            }
            return bytes.toByteArray();
        }

        static ReusingTrainingWorker.Start start(byte[] message) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
                if (!in.readBoolean()) {
                    return null;
                }
                int iterations = in.readInt();
                int epochs = in.readInt();
                INDArray params = Nd4j.read(in);
                return new ReusingTrainingWorker.Start(params, readNullable(in), iterations, epochs);
            }
        }

        private static void writeNullable(INDArray a, DataOutputStream out) throws IOException {
            out.writeBoolean(a != null);
            if (a != null) {
                Nd4j.write(a, out);
            }
        }

        private static INDArray readNullable(DataInputStream in) throws IOException {
            return in.readBoolean() ? Nd4j.read(in) : null;
        }
    }

    /** What each task of the epoch's stage runs: its share of every round, reporting to the driver in between. */
    static final class Tasks implements Rdds.PartitionFunction<Integer, Integer> {
        private static final long serialVersionUID = 1L;
        private final String endpoint;
        private final List<String> order;
        private final RoundPlan plan;
        private final ReusingTrainingWorker template;
        private final DataSetLoader loader;
        private final Broadcast<SerializableHadoopConfig> hadoop;

        Tasks(String endpoint, List<String> order, int workers, int averagingFrequency, ReusingTrainingWorker template,
                DataSetLoader loader, Broadcast<SerializableHadoopConfig> hadoop) {
            this.endpoint = endpoint;
            this.order = new ArrayList<>(order);
            this.plan = new RoundPlan(order.size(), workers, averagingFrequency);
            this.template = template;
            this.loader = loader;
            this.hadoop = hadoop;
        }

        @Override
        public Integer call(int partition, Iterator<Integer> ignored) throws Exception {
            TaskContext task = TaskContext.get();
            SparkEnv env = SparkEnv.get();
            RpcEndpointRef driver = RpcUtils.makeDriverRef(endpoint, env.conf(), env.rpcEnv());
            RpcTimeout timeout = RpcUtils.askRpcTimeout(env.conf());
            ClassTag<byte[]> tag = ClassTag$.MODULE$.apply(byte[].class);
            KnownCountTrainingMaster.RoundResult result = null;
            int fitted = 0;
            for (int round = 0; ; round++) {
                byte[] report = Codec.report(new Report(task.stageId(), partition, round, result));
                ReusingTrainingWorker.Start start = Codec.start(driver.askSync(report, timeout, tag));
                if (start == null) {
                    return fitted;
                }
                task.killTaskIfInterrupted();
                int[] slice = plan.slice(round, partition);
                List<String> mine = order.subList(slice[0], slice[1]);
                result = null;
                if (!mine.isEmpty()) {
                    ReusingTrainingWorker worker = template.forRound(start);
                    if (!KnownCountTrainingMaster.readAhead(loader, mine)) {
                        worker.withoutReadAhead();
                    }
                    ExecuteWorkerPathFlatMap<ParameterAveragingTrainingResult> fit = new ExecuteWorkerPathFlatMap<>(
                            worker, loader, hadoop);
                    Iterator<ParameterAveragingTrainingResult> out = CachedMinibatchLoader.fit(loader,
                            () -> fit.call(mine.iterator()));
                    result = out.hasNext() ? new KnownCountTrainingMaster.RoundResult(out.next()) : null;
                    fitted += mine.size();
                }
            }
        }
    }

    /**
     * The driver's side: collects a round's reports, folds them into the driver's network and answers every task
     * with the next round's start. Reports arrive on the endpoint's own thread, task failures on Spark's listener
     * thread, and both take this object's lock. The driver's training thread waits for the job meanwhile and reads
     * the network after it.
     */
    static final class Coordinator implements IsolatedRpcEndpoint {
        private final RpcEnv rpcEnv;
        private final SparkDl4jMultiLayer sparkNet;
        private final KnownCountTrainingMaster master;
        private final RoundPlan plan;
        private final long[] roundExamples;
        private final EpochProgress progress;
        private final KnownCountTrainingMaster.RoundResult[] results;
        private final RpcCallContext[] waiting;
        final SparkListener failures = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!(end.reason() instanceof Success$)) {
                    failed(end.stageId(), "task " + end.taskInfo().index() + " of stage " + end.stageId()
                            + " ended: " + end.reason());
                }
            }
        };
        private int stageId = -1;
        private String failure;
        private int round;
        private int arrived;
        private boolean finished;

        Coordinator(RpcEnv rpcEnv, SparkDl4jMultiLayer sparkNet, KnownCountTrainingMaster master, RoundPlan plan,
                long[] roundExamples, EpochProgress progress) {
            this.rpcEnv = rpcEnv;
            this.sparkNet = sparkNet;
            this.master = master;
            this.plan = plan;
            this.roundExamples = roundExamples;
            this.progress = progress;
            this.results = new KnownCountTrainingMaster.RoundResult[plan.workers()];
            this.waiting = new RpcCallContext[plan.workers()];
        }

        @Override
        public RpcEnv rpcEnv() {
            return rpcEnv;
        }

        @Override
        public int threadCount() {
            return 1;
        }

        @Override
        public scala.PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
            return new AbstractPartialFunction<>() {
                @Override
                public boolean isDefinedAt(Object message) {
                    return message instanceof byte[];
                }

                @Override
                public <A1, B1> B1 applyOrElse(A1 message, scala.Function1<A1, B1> otherwise) {
                    if (!(message instanceof byte[] bytes)) {
                        return otherwise.apply(message);
                    }
                    Report report;
                    try {
                        report = Codec.report(bytes);
                    } catch (IOException | RuntimeException e) {
                        context.sendFailure(new IllegalStateException("unreadable report: " + e, e));
                        return unit();
                    }
                    receive(report, context);
                    return unit();
                }

                @SuppressWarnings("unchecked")
                private <B1> B1 unit() {
                    return (B1) BoxedUnit.UNIT;
                }
            };
        }

        synchronized boolean finished() {
            return finished;
        }

        synchronized int round() {
            return round;
        }

        /** No more rounds: the tasks still waiting fail. */
        synchronized void close() {
            fail("the epoch's job ended");
        }

        private synchronized void receive(Report r, RpcCallContext context) {
            if (stageId < 0) {
                stageId = r.stageId();
            }
            String wrong = failure != null ? failure
                    : r.stageId() != stageId ? "a report from stage " + r.stageId() + ", not " + stageId
                    : r.round() != round || waiting[r.partition()] != null ? "task " + r.partition() + " reported"
                            + " round " + r.round() + " while the epoch is at round " + round
                    : null;
            if (wrong != null) {
                context.sendFailure(new IllegalStateException(wrong));
                fail(wrong);
                return;
            }
            results[r.partition()] = r.result();
            waiting[r.partition()] = context;
            if (++arrived < plan.workers()) {
                return;
            }
            byte[] reply;
            ReusingTrainingWorker.Start next;
            try {
                if (round > 0) {
                    foldRound(round - 1);
                }
                next = round < plan.rounds() ? master.roundStart(sparkNet.getNetwork()) : null;
                reply = Codec.start(next);
            } catch (IOException | RuntimeException e) {
                LOG.error("folding round {} failed", round, e);
                fail("folding round " + round + " failed on the driver: " + e);
                return;
            }
            finished = next == null;
            for (int i = 0; i < waiting.length; i++) {
                waiting[i].reply(reply);
                waiting[i] = null;
                results[i] = null;
            }
            arrived = 0;
            round++;
        }

        /** What {@link TrainingData#fitExported}'s {@code jobs} rounds do on the driver after a round's job. */
        private void foldRound(int r) {
            MultiLayerNetwork net = sparkNet.getNetwork();
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
            int iterations = conf.getIterationCount();
            int partitions = plan.partitions(r);
            master.fold(sparkNet, Arrays.asList(results).subList(0, partitions), r + 1, plan.rounds());
            conf.setIterationCount(iterations + plan.iterations(r));
            net.incrementEpochCount(); // as SparkDl4jMultiLayer.fitPaths does per call
            progress.round(plan.size(r), roundExamples[r]);
        }

        private synchronized void failed(int stage, String why) {
            if (stage == stageId) {
                fail(why);
            }
        }

        /** Fails the tasks waiting for the current round, and every later report, so that the tasks end. */
        private void fail(String why) {
            if (failure == null) {
                failure = why;
            }
            for (int i = 0; i < waiting.length; i++) {
                if (waiting[i] != null) {
                    waiting[i].sendFailure(new IllegalStateException(why));
                    waiting[i] = null;
                }
                results[i] = null;
            }
            arrived = 0;
        }
    }

    /** The driver's network and rule state at the start of the epoch. */
    private static final class Snapshot {
        private final INDArray params;
        private final INDArray updaterState;
        private final int iterations;
        private final int epochs;
        private final INDArray rule;

        Snapshot(MultiLayerNetwork net, BlockMomentum rule) {
            this.params = net.params().dup();
            INDArray state = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
            this.updaterState = state == null ? null : state.dup();
            this.iterations = net.getLayerWiseConfigurations().getIterationCount();
            this.epochs = net.getLayerWiseConfigurations().getEpochCount();
            this.rule = rule.state();
        }

        void restore(MultiLayerNetwork net, BlockMomentum rule) {
            net.setParameters(params.dup());
            if (updaterState != null) {
                net.getUpdater().setStateViewArray(null, updaterState.dup(), false);
            }
            net.getLayerWiseConfigurations().setIterationCount(iterations);
            net.getLayerWiseConfigurations().setEpochCount(epochs);
            rule.restore(this.rule);
            Nd4j.getExecutioner().commit();
        }
    }
}
