package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Evidence for the Direct-vs-Export finding (docs/TRAINING.md): DL4J's Direct approach sizes its averaging rounds
 * from the declared {@code rddDataSetNumExamples}, while each worker stops after {@code averagingFrequency}
 * minibatches per round and skips the rest of its partition. With minibatch-sized DataSets but the declared size 1
 * (the per-example default of many examples), one worker receives every minibatch and fits only
 * {@code averagingFrequency} of them: most of the epoch is never trained on.
 */
class DirectApproachIT {

    @Test
    void directWithMisstatedExampleCountSilentlySkipsMostOfTheEpoch() throws Exception {
        SparkSession spark = TrainFixtures.spark();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String corpus = TrainFixtures.corpus(2000, 0.2);
        JavaRDD<DataSet> batches = spark.read().parquet(corpus + "/train").select("ids", "label").javaRDD()
                .repartition(2).mapPartitions(new Minibatches(32, 100));
        long total = batches.map(DataSet::numExamples).reduce(Integer::sum);
        assertEquals(1600, total);

        LongAccumulator examples = sc.sc().longAccumulator();
        LongAccumulator minibatches = sc.sc().longAccumulator();
        DoubleAccumulator loss = sc.sc().doubleAccumulator();
        MetricsHook hook = new MetricsHook(examples, minibatches, loss, sc.sc().longAccumulator(), false);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(2, 1)
                .batchSizePerWorker(32).averagingFrequency(5).rddTrainingApproach(RDDTrainingApproach.Direct)
                .trainingHooks(hook).rngSeed(1).build();
        ModelSpec spec = ModelSpec.load(Path.of(TrainFixtures.lstmSpec("direct", 16, 8, 0.01)));
        // DL4J's export check accepts a local file system only with a 'local[N]' master, and the shared IT session
        // is local[2,2] (task retries on). The default FS is set to the test's flaky: scheme (the local file system
        // under another name, no failures armed) for this fit; the export directory stays a file: URI.
        org.apache.hadoop.conf.Configuration hadoop = sc.hadoopConfiguration();
        String defaultFs = hadoop.get("fs.defaultFS");
        hadoop.set("fs.defaultFS", "flaky:///");
        try {
            new SparkDl4jMultiLayer(sc, ModelFactory.network(spec, 500), tm).fit(batches);
        } finally {
            hadoop.set("fs.defaultFS", defaultFs);
        }

        assertEquals(5, minibatches.value(), "one worker, averagingFrequency minibatches, then the round ends");
        assertTrue(examples.value() <= 5 * 32, "fitted " + examples.value() + " of " + total + " examples");
    }

    @Test
    void dl4jExportAlsoSkipsTheRemainderOfItsRounds() throws Exception {
        SparkSession spark = TrainFixtures.spark();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String corpus = TrainFixtures.corpus(2000, 0.2);
        // 1600 examples in minibatches of 24: 67 exported files; rounds of 2 x 5 files leave a remainder that
        // balancedRandomSplit spreads over the 6 rounds, and every 11th/12th file of a round is never fitted.
        JavaRDD<DataSet> batches = spark.read().parquet(corpus + "/train").select("ids", "label").javaRDD()
                .coalesce(1).mapPartitions(new Minibatches(24, 100));
        LongAccumulator examples = sc.sc().longAccumulator();
        LongAccumulator minibatches = sc.sc().longAccumulator();
        MetricsHook hook = new MetricsHook(examples, minibatches, sc.sc().doubleAccumulator(),
                sc.sc().longAccumulator(), false);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(2, 24)
                .batchSizePerWorker(24).averagingFrequency(5).rddTrainingApproach(RDDTrainingApproach.Export)
                .exportDirectory(TrainFixtures.root().resolve("dl4j-export").toUri().toString())
                .trainingHooks(hook).rngSeed(1).build();
        ModelSpec spec = ModelSpec.load(Path.of(TrainFixtures.lstmSpec("export", 16, 8, 0.01)));
        // DL4J's export check accepts a local file system only with a 'local[N]' master, and the shared IT session
        // is local[2,2] (task retries on). The default FS is set to the test's flaky: scheme (the local file system
        // under another name, no failures armed) for this fit; the export directory stays a file: URI.
        org.apache.hadoop.conf.Configuration hadoop = sc.hadoopConfiguration();
        String defaultFs = hadoop.get("fs.defaultFS");
        hadoop.set("fs.defaultFS", "flaky:///");
        try {
            new SparkDl4jMultiLayer(sc, ModelFactory.network(spec, 500), tm).fit(batches);
        } finally {
            hadoop.set("fs.defaultFS", defaultFs);
        }

        assertTrue(minibatches.value() <= 60 && minibatches.value() >= 30,
                "at most 6 rounds x 2 workers x 5 minibatches of 67: " + minibatches.value());
        assertTrue(examples.value() < 1600, "fitted " + examples.value() + " of 1600 examples");
    }
}
