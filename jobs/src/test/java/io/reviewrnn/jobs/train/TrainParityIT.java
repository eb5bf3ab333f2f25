package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.train.Averaging;
import io.reviewrnn.core.train.BlockMomentum;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.impl.SerializedDataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Parity with single-machine DL4J (the idea of DL4J's TestCompareParameterAveragingSparkVsSingleMachine): with one
 * worker, parameter averaging is the identity, so the job's training path (its training master, exported files,
 * epoch order and averaging rounds) must give the same parameters and optimizer state as {@code net.fit} on the
 * same minibatches in the same order.
 */
class TrainParityIT {
    private static final DataSetLoader LOADER = new SerializedDataSetLoader();
    private static final EpochProgress NO_PROGRESS = new EpochProgress("parity", 0, 0);

    @ParameterizedTest(name = "averagingFrequency={0}")
    @ValueSource(ints = {1, 3})
    void oneWorkerMatchesSingleMachineFit(int averagingFrequency) throws Exception {
        SparkSession spark = TrainFixtures.spark();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String corpus = TrainFixtures.corpus(2000, 0.2);
        Path dir = Files.createTempDirectory(TrainFixtures.root(), "parity");

        // 7 full minibatches of 16, exported like the job does. (A smaller minibatch would be merged with the next
        // file of the same averaging round by DL4J's worker iterator, so only full ones compare file by file.)
        List<MinibatchExport.Batch> batches = minibatches(spark, corpus, dir, 7);

        ModelSpec spec = ModelSpec.load(Path.of(TrainFixtures.lstmSpec("parity", 16, 8, 0.01)));
        MultiLayerNetwork single = ModelFactory.network(spec, 500);
        MultiLayerNetwork distributed = ModelFactory.network(spec, 500);
        assertEquals(single.params(), distributed.params(), "same seed, same initial parameters");

        TrainConfig c = TrainConfig.builder().setCorpus(corpus).setModel("m").setRunDir(dir.toString())
                .optMaxEpochs(1).optBatchSizePerWorker(16).optAveragingFrequency(averagingFrequency).optWorkers(1)
                .optSeed(42L).build();
        // the default rule (bmuf) with one worker is the identity: momentum 1 - 1/1 = 0, block learning rate 1
        assertTrue(c.blockMomentumRule().isPlainMean(), c.blockMomentumRule().toString());
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, distributed, KnownCountTrainingMaster.forEpoch(c, null, 1,
                c.blockMomentumRule()));
        for (int epoch = 1; epoch <= 2; epoch++) {
            TrainingData.fitExported(sc, sparkNet, batches, 1, averagingFrequency, 42L, epoch, LOADER, NO_PROGRESS,
                    TrainConfig.Rounds.JOBS);
            for (MinibatchExport.Batch mb : TrainingData.epochOrder(batches, 42L, epoch)) {
                DataSet ds = new DataSet();
                ds.load(Path.of(java.net.URI.create(mb.path())).toFile());
                single.fit(ds);
            }
        }

        INDArray a = single.params();
        INDArray b = sparkNet.getNetwork().params();
        double maxDiff = a.sub(b).amax().getDouble(0);
        double moved = a.sub(ModelFactory.network(spec, 500).params()).amax().getDouble(0);
        assertTrue(moved > 1e-2, "training moved the parameters (max change " + moved + ")");
        assertTrue(maxDiff < 1e-6, "max |param difference| " + maxDiff);
        double updDiff = single.getUpdater().getStateViewArray().sub(sparkNet.getNetwork().getUpdater()
                .getStateViewArray()).amax().getDouble(0);
        assertTrue(updDiff < 1e-6, "max |optimizer state difference| " + updDiff);
    }

    /**
     * The job's averaging rounds (one plain Spark job per round, pooled networks, parameters inside the task) against
     * DL4J's stock ParameterAveragingTrainingMaster on the same settings, with two workers so that averaging is not
     * the identity, Adam (which reads the iteration count), a short last round, and a fresh master per epoch as in
     * the job: the same parameters, optimizer state and counters.
     */
    @ParameterizedTest(name = "averageUpdater={0}")
    @ValueSource(booleans = {true, false})
    void roundsMatchDl4jStockMaster(boolean averageUpdater) throws Exception {
        SparkSession spark = TrainFixtures.spark();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String corpus = TrainFixtures.corpus(2000, 0.2);
        Path dir = Files.createTempDirectory(TrainFixtures.root(), "rounds");
        List<MinibatchExport.Batch> batches = minibatches(spark, corpus, dir, 11); // rounds of 4, 4 and 3 files

        ModelSpec spec = ModelSpec.load(Path.of(TrainFixtures.lstmSpec("rounds", 16, 8, 0.01)));
        TrainConfig c = TrainConfig.builder().setCorpus(corpus).setModel("m").setRunDir(dir.toString())
                .optMaxEpochs(1).optBatchSizePerWorker(16).optAveragingFrequency(2).optWorkers(2).optSeed(42L)
                .optAveraging(Averaging.MEAN).optAverageUpdater(averageUpdater).build();
        MultiLayerNetwork ours = ModelFactory.network(spec, 500);
        MultiLayerNetwork stock = ModelFactory.network(spec, 500);
        long reusedBefore = ReusingTrainingWorker.reusedCount();
        long hitsBefore = CachedMinibatchLoader.stats()[0];
        long withoutReadAheadBefore = ReusingTrainingWorker.withoutReadAheadCount();
        // ours reads the minibatches through the per-JVM cache, DL4J's stock master from the files
        DataSetLoader cached = new CachedMinibatchLoader("parity-" + averageUpdater, 64L << 20);
        for (int epoch = 1; epoch <= 2; epoch++) {
            SparkDl4jMultiLayer a = new SparkDl4jMultiLayer(sc, ours, KnownCountTrainingMaster.forEpoch(c, null, epoch,
                    BlockMomentum.mean()));
            TrainingData.fitExported(sc, a, batches, 2, 2, 42L, epoch, cached, NO_PROGRESS, TrainConfig.Rounds.JOBS);
            ours = a.getNetwork();
            SparkDl4jMultiLayer b = new SparkDl4jMultiLayer(sc, stock,
                    KnownCountTrainingMaster.settings(c, null, epoch).build());
            TrainingData.fitExported(sc, b, batches, 2, 2, 42L, epoch, LOADER, NO_PROGRESS, TrainConfig.Rounds.JOBS);
            stock = b.getNetwork();
        }
        assertTrue(ReusingTrainingWorker.reusedCount() > reusedBefore, "the rounds reused pooled networks");
        assertTrue(CachedMinibatchLoader.stats()[0] >= batches.size() + hitsBefore,
                "epoch 2 took its minibatches from the cache");
        assertTrue(ReusingTrainingWorker.withoutReadAheadCount() >= withoutReadAheadBefore + 6,
                "epoch 2: all 6 tasks (3 rounds x 2 workers) had every minibatch cached and fitted without read-ahead");
        double moved = stock.params().sub(ModelFactory.network(spec, 500).params()).amax().getDouble(0);
        assertTrue(moved > 1e-2, "training moved the parameters (max change " + moved + ")");
        double maxDiff = ours.params().sub(stock.params()).amax().getDouble(0);
        assertTrue(maxDiff < 1e-6, "max |param difference| " + maxDiff);
        double updDiff = ours.getUpdater().getStateViewArray().sub(stock.getUpdater().getStateViewArray()).amax()
                .getDouble(0);
        assertTrue(updDiff < 1e-6, "max |optimizer state difference| " + updDiff);
        assertEquals(stock.getLayerWiseConfigurations().getIterationCount(),
                ours.getLayerWiseConfigurations().getIterationCount(), "iteration count");
        assertEquals(stock.getLayerWiseConfigurations().getEpochCount(),
                ours.getLayerWiseConfigurations().getEpochCount(), "epoch count");
    }

    /** {@code n} full minibatches of 16 training rows, saved like the job's export. */
    static List<MinibatchExport.Batch> minibatches(SparkSession spark, String corpus, Path dir, int n)
            throws Exception {
        List<Row> rows = spark.read().parquet(corpus + "/train").select("ids", "label").limit(16 * n)
                .collectAsList();
        List<MinibatchExport.Batch> batches = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += 16) {
            DataSet ds = Minibatches.toDataSet(rows.subList(i, Math.min(rows.size(), i + 16)), 100);
            Path f = dir.resolve("mb-" + i + ".bin");
            try (OutputStream out = Files.newOutputStream(f)) {
                ds.save(out);
            }
            batches.add(new MinibatchExport.Batch(f.toUri().toString(), ds.numExamples()));
        }
        return batches;
    }
}
