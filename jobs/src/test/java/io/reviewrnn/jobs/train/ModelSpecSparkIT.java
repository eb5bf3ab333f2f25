package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spec networks, including the custom GRU layer, Keras initializers and the one-hot preprocessor, train under
 * DL4J Spark parameter averaging on local[2]: configurations travel to the workers and parameters change.
 */
class ModelSpecSparkIT {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSpecSparkIT.class);
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        // The JVM's shared local[2] session: Spark allows one context per JVM.
        sc = JavaSparkContext.fromSparkContext(io.reviewrnn.jobs.testing.LocalSpark.get().sparkContext());
    }

    @ParameterizedTest
    @ValueSource(strings = {"simplernn-onehot", "simplernn-embedding", "lstm", "lstm-dropout", "lstm-2layer", "gru"})
    void specTrainsUnderParameterAveraging(String name) {
        Path root = Path.of(System.getProperty("project.root", ".."));
        ModelSpec spec = ModelSpec.load(root.resolve("conf/models/" + name + ".yaml").toUri().toString());
        int numWords = 500;
        MultiLayerNetwork net = ModelFactory.network(spec, numWords);
        INDArray before = net.params().dup();

        List<DataSet> data = new ArrayList<>();
        Random rnd = new Random(3);
        for (int i = 0; i < 256; i++) {
            float[] ids = new float[40];
            for (int t = 10; t < ids.length; t++) {
                ids[t] = 1 + rnd.nextInt(numWords - 1);
            }
            data.add(new DataSet(Nd4j.create(ids, 1, ids.length), Nd4j.create(new float[] {i % 2}, 1, 1)));
        }
        JavaRDD<DataSet> rdd = sc.parallelize(data, 2);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(16)
                .batchSizePerWorker(16).averagingFrequency(2).workerPrefetchNumBatches(0)
                // Direct: DL4J's export check accepts only local[N] masters, and the shared session is local[2,2]
                .rddTrainingApproach(RDDTrainingApproach.Direct).build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, tm);
        spark.fit(rdd);
        MultiLayerNetwork trained = spark.getNetwork();
        LOG.info("{} trained on Spark: score {}", name, spark.getScore());

        assertEquals(before.length(), trained.params().length());
        assertNotEquals(before, trained.params(), "parameter averaging must update the network");
        assertTrue(Double.isFinite(spark.getScore()));
        INDArray out = trained.output(data.get(0).getFeatures());
        assertEquals(DataType.FLOAT, out.dataType());
        double p = out.getDouble(0);
        assertTrue(p > 0 && p < 1, "probability " + p);
    }
}
