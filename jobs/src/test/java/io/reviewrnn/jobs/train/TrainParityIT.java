package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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

    @ParameterizedTest(name = "averagingFrequency={0}")
    @ValueSource(ints = {1, 3})
    void oneWorkerMatchesSingleMachineFit(int averagingFrequency) throws Exception {
        SparkSession spark = TrainFixtures.spark();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String corpus = TrainFixtures.corpus(2000, 0.2);
        Path dir = Files.createTempDirectory(TrainFixtures.root(), "parity");

        // 7 full minibatches of 16, exported like the job does. (A smaller minibatch would be merged with the next
        // file of the same averaging round by DL4J's worker iterator, so only full ones compare file by file.)
        List<Row> rows = spark.read().parquet(corpus + "/train").select("ids", "label").limit(112).collectAsList();
        List<MinibatchExport.Batch> batches = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += 16) {
            DataSet ds = Minibatches.toDataSet(rows.subList(i, Math.min(rows.size(), i + 16)), 100);
            Path f = dir.resolve("mb-" + i + ".bin");
            try (OutputStream out = Files.newOutputStream(f)) {
                ds.save(out);
            }
            batches.add(new MinibatchExport.Batch(f.toUri().toString(), ds.numExamples()));
        }

        ModelSpec spec = ModelSpec.load(Path.of(TrainFixtures.lstmSpec("parity", 16, 8, 0.01)));
        MultiLayerNetwork single = ModelFactory.network(spec, 500);
        MultiLayerNetwork distributed = ModelFactory.network(spec, 500);
        assertEquals(single.params(), distributed.params(), "same seed, same initial parameters");

        TrainConfig c = TrainConfig.of(corpus, "m", dir.toString()).withWorkers(1);
        c = new TrainConfig(c.corpus(), c.model(), c.runDir(), 1, null, null, null, null, 16, averagingFrequency, 1,
                null, null, null, null, 42L, null, null, null, null, null);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, distributed, TrainJob.trainingMaster(c, null, 1));
        for (int epoch = 1; epoch <= 2; epoch++) {
            TrainJob.fitExported(sc, sparkNet, batches, 1, averagingFrequency, 42L, epoch);
            for (String p : TrainJob.epochOrder(batches, 42L, epoch)) {
                DataSet ds = new DataSet();
                ds.load(Path.of(java.net.URI.create(p)).toFile());
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
}
