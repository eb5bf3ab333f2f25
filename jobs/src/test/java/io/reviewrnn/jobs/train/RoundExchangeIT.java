package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.train.Averaging;
import io.reviewrnn.core.train.BlockMomentum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.impl.SerializedDataSetLoader;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The {@code exchange} rounds (one Spark job per epoch, tasks exchanging results with the driver after each round)
 * against the {@code jobs} rounds (one Spark job per round) on {@code local[2]}: the same parameters, optimizer state,
 * rule state and counters bit for bit, a failed task that starts the epoch over without waiting for a timeout, and the
 * fallback where the workers do not fit the task slots.
 */
class RoundExchangeIT {
    private static final EpochProgress NO_PROGRESS = new EpochProgress("exchange", 0, 0);
    /** Minibatches that {@link FailingHook} lets through before it throws once (-1: never). */
    private static final AtomicInteger FITS_BEFORE_FAILURE = new AtomicInteger(-1);

    /** Two workers, averaging every 2 minibatches, 11 files: rounds of 4, 4 and 3 files, the last split 1 + 2. */
    private record Run(MultiLayerNetwork net, BlockMomentum rule, int jobs) {
    }

    @ParameterizedTest(name = "averaging={0}")
    @EnumSource(value = Averaging.class, names = {"MEAN", "BMUF"})
    void exchangedEpochsEqualRoundJobsBitForBit(Averaging averaging) throws Exception {
        Fixture f = new Fixture("bits-" + averaging.key(), 11);
        Run jobs = f.train(averaging, TrainConfig.Rounds.JOBS, null);
        Run exchanged = f.train(averaging, TrainConfig.Rounds.EXCHANGE, null);

        assertEquals(6, jobs.jobs(), "jobs: one Spark job per round, 3 rounds in each of 2 epochs");
        assertEquals(2, exchanged.jobs(), "exchange: one Spark job per epoch");
        assertSame(jobs, exchanged, f);
    }

    @Test
    void aFailedTaskStartsTheEpochOverAsRoundJobs() throws Exception {
        Fixture f = new Fixture("failure", 11);
        Run jobs = f.train(Averaging.BMUF, TrainConfig.Rounds.JOBS, null);
        // the 7th minibatch fails: in the second of the first epoch's 3 rounds, after the first was folded
        FITS_BEFORE_FAILURE.set(6);
        Run exchanged;
        try {
            // a peer left waiting for the failed task would hold its slot for spark.rpc.askTimeout (120 s), and
            // the epoch's round jobs would wait for it
            exchanged = assertTimeoutPreemptively(Duration.ofSeconds(90),
                    () -> f.train(Averaging.BMUF, TrainConfig.Rounds.EXCHANGE, new FailingHook()));
        } finally {
            FITS_BEFORE_FAILURE.set(-1);
        }
        assertEquals(-1, FITS_BEFORE_FAILURE.get(), "the failure was injected");
        assertEquals(1 + 3 + 1, exchanged.jobs(), "epoch 1: the failed exchange job, then its 3 round jobs; epoch 2:"
                + " one exchange job");
        assertSame(jobs, exchanged, f);
    }

    /**
     * A minibatch file that cannot be read fails the epoch, naming the file, on both paths. DL4J's read-ahead thread
     * (prefetch 2, the file not yet cached) would leave the task waiting for that minibatch forever.
     */
    @ParameterizedTest(name = "rounds={0}")
    @EnumSource(value = TrainConfig.Rounds.class, names = {"JOBS", "EXCHANGE"})
    void anUnreadableMinibatchFailsTheEpochNamingTheFile(TrainConfig.Rounds rounds) throws Exception {
        Fixture f = new Fixture("unreadable-" + rounds.key(), 11);
        String missing = f.batches.get(5).path();
        Files.delete(Path.of(java.net.URI.create(missing)));
        DataSetLoader loader = new CachedMinibatchLoader("unreadable-" + rounds.key(), 64L << 20);
        String group = "unreadable-" + rounds.key();
        Exception e;
        try {
            e = assertThrows(Exception.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                f.sc.setJobGroup(group, "an unreadable minibatch", true);
                return f.train(Averaging.BMUF, rounds, null, loader);
            }));
        } finally {
            // A task left waiting (the fault this test exists for) would hold its task slot for good.
            f.sc.cancelJobGroup(group);
        }
        Throwable cause = e;
        while (cause != null && !(cause.getMessage() != null && cause.getMessage().contains("cannot load minibatch")
                && cause.getMessage().contains(missing))) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, "the failure names the file: " + e);
        // The interrupt that woke the waiting task is cleared: the executor's pooled threads train on normally.
        Fixture next = new Fixture("after-unreadable-" + rounds.key(), 11);
        Run run = next.train(Averaging.BMUF, rounds, null,
                new CachedMinibatchLoader("after-" + rounds.key(), 64L << 20));
        assertEquals(rounds == TrainConfig.Rounds.JOBS ? 6 : 2, run.jobs(), "no fallback, no retried job");
    }

    @Test
    void moreWorkersThanTaskSlotsRunAsRoundJobsUnlessExchangeIsRequired() throws Exception {
        Fixture f = new Fixture("slots", 7);
        MultiLayerNetwork net = ModelFactory.network(f.spec, 500);
        TrainConfig c = f.config(Averaging.MEAN, 3);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(f.sc, net, KnownCountTrainingMaster.forEpoch(c, null, 1,
                c.blockMomentumRule()));
        ConfigException e = assertThrows(ConfigException.class, () -> TrainingData.fitExported(f.sc, sparkNet,
                f.batches, 3, 2, 42L, 1, new SerializedDataSetLoader(), NO_PROGRESS, TrainConfig.Rounds.EXCHANGE));
        assertTrue(e.getMessage().contains("rounds") && e.getMessage().contains("3 workers but 2 task slots"),
                e.getMessage());
        int before = f.jobs.get();
        TrainingData.fitExported(f.sc, sparkNet, f.batches, 3, 2, 42L, 1, new SerializedDataSetLoader(), NO_PROGRESS,
                TrainConfig.Rounds.AUTO);
        assertEquals(2, f.jobs.get() - before, "auto: 7 files in rounds of 6 and 1, one Spark job each");
    }

    private static void assertSame(Run expected, Run actual, Fixture f) {
        double moved = expected.net().params().sub(ModelFactory.network(f.spec, 500).params()).amax().getDouble(0);
        assertTrue(moved > 1e-2, "training moved the parameters (max change " + moved + ")");
        assertArrayEquals(floats(expected.net().params()), floats(actual.net().params()), "parameters");
        assertArrayEquals(floats(expected.net().getUpdater().getStateViewArray()),
                floats(actual.net().getUpdater().getStateViewArray()), "optimizer state");
        INDArray buffer = expected.rule().state();
        if (buffer == null) {
            assertEquals(null, actual.rule().state(), "the plain mean keeps no block momentum");
        } else {
            assertArrayEquals(floats(buffer), floats(actual.rule().state()), "block momentum buffer");
        }
        assertEquals(expected.net().getLayerWiseConfigurations().getIterationCount(),
                actual.net().getLayerWiseConfigurations().getIterationCount(), "iteration count");
        assertEquals(expected.net().getLayerWiseConfigurations().getEpochCount(),
                actual.net().getLayerWiseConfigurations().getEpochCount(), "epoch count");
    }

    private static float[] floats(INDArray a) {
        return a.dup().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatVector();
    }

    /** A corpus's minibatch files, a model spec and a job counter on the shared local[2] session. */
    private static final class Fixture {
        final JavaSparkContext sc;
        final List<MinibatchExport.Batch> batches;
        final ModelSpec spec;
        final AtomicInteger jobs = new AtomicInteger();
        private final String corpus;
        private final Path dir;

        Fixture(String name, int files) throws Exception {
            SparkSession spark = TrainFixtures.spark();
            sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            corpus = TrainFixtures.corpus(2000, 0.2);
            dir = Files.createTempDirectory(TrainFixtures.root(), "exchange-" + name);
            batches = TrainParityIT.minibatches(spark, corpus, dir, files);
            spec = ModelSpec.load(Path.of(TrainFixtures.lstmSpec("exchange-" + name, 16, 8, 0.01)));
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart start) {
                    jobs.incrementAndGet();
                }
            });
        }

        TrainConfig config(Averaging averaging, int workers) {
            return TrainConfig.builder().setCorpus(corpus).setModel("m").setRunDir(dir.toString()).optMaxEpochs(2)
                    .optBatchSizePerWorker(16).optAveragingFrequency(2).optWorkers(workers).optSeed(42L)
                    .optAveraging(averaging).build();
        }

        /** Two epochs as the job runs them (a fresh master per epoch, the rule's state carried over). */
        Run train(Averaging averaging, TrainConfig.Rounds rounds, TrainingHook hook) throws Exception {
            return train(averaging, rounds, hook, new SerializedDataSetLoader());
        }

        Run train(Averaging averaging, TrainConfig.Rounds rounds, TrainingHook hook, DataSetLoader loader)
                throws Exception {
            TrainConfig c = config(averaging, 2);
            BlockMomentum rule = c.blockMomentumRule();
            MultiLayerNetwork net = ModelFactory.network(spec, 500);
            sc.sc().listenerBus().waitUntilEmpty();
            int before = jobs.get();
            for (int epoch = 1; epoch <= 2; epoch++) {
                SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, KnownCountTrainingMaster.forEpoch(c,
                        hook, epoch, rule));
                TrainingData.fitExported(sc, sparkNet, batches, 2, 2, 42L, epoch, loader, NO_PROGRESS, rounds);
                net = sparkNet.getNetwork();
            }
            sc.sc().listenerBus().waitUntilEmpty();
            return new Run(net, rule, jobs.get() - before);
        }
    }

    /** Throws once, before the minibatch after {@link #FITS_BEFORE_FAILURE} (local mode: one JVM). */
    private static final class FailingHook implements TrainingHook {
        private static final long serialVersionUID = 1L;

        @Override
        public void preUpdate(DataSet minibatch, Model model) {
            if (FITS_BEFORE_FAILURE.getAndUpdate(n -> n < 0 ? n : n - 1) == 0) {
                throw new IllegalStateException("injected failure");
            }
        }

        @Override
        public void postUpdate(DataSet minibatch, Model model) {
        }

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
        }
    }
}
