package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.jobs.cluster.LocalClusterRig;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Training with two real executor JVMs ({@code local-cluster[2,1,2048]}), so that the broadcast network, the
 * training hook's accumulators, the exported minibatch files and nd4j's native libraries cross process
 * boundaries. Needs a SPARK_HOME whose {@code jars/} holds the Spark jars: failsafe points SPARK_HOME at
 * {@code deploy/local-cluster/target/spark-home}, which the test lays out with the rig's {@code build} when it is not
 * there yet, so it runs in CI whatever the class order.
 */
@Tag("cluster")
class LocalClusterTrainIT {

    /**
     * SPARK_HOME if it has {@code jars/}: failsafe points it at the rig's Spark home. It must be the environment
     * variable, not only {@code spark.home}: the local-cluster workers launch executors from their own SPARK_HOME
     * (without it they look for {@code ./assembly} under the working directory).
     */
    private static File sparkHome() {
        String env = System.getenv("SPARK_HOME");
        return env != null && new File(env, "jars").isDirectory() ? new File(env) : null;
    }

    @Test
    void trainsWithTwoExecutorJvms() throws Exception {
        Assumptions.assumeTrue(System.getenv("SPARK_HOME") != null, "SPARK_HOME is not set (failsafe sets it to"
                + " deploy/local-cluster/target/spark-home)");
        if (sparkHome() == null) {
            // Lay it out ourselves (the rig's 'build': Maven copies the Spark jars), whatever ran before.
            LocalClusterRig.forThisProject().build(Duration.ofMinutes(15)).requireSuccess();
        }
        File home = sparkHome();
        assertTrue(home != null, "the rig's build did not lay out " + System.getenv("SPARK_HOME") + "/jars");
        Assumptions.assumeTrue(System.getenv("SPARK_SCALA_VERSION") != null, "SPARK_SCALA_VERSION must be set "
                + "(failsafe sets it) for Spark to launch executors from a jars-only SPARK_HOME");
        String cp = System.getProperty("java.class.path");
        // One SparkContext per JVM: stop the shared local session (LocalSpark starts it again when next asked).
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkSession spark = SparkSession.builder().appName("train-local-cluster").master("local-cluster[2,1,2048]")
                .config("spark.home", home.getAbsolutePath())
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", cp)
                .config("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxbytes=1G")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        try {
            String corpus = TrainFixtures.corpus(400, 0.5);
            Path run = TrainFixtures.root().resolve("local-cluster");
            String yaml = "corpus: " + corpus + "\nmodel: " + TrainFixtures.lstmSpec("lc", 16, 8, 0.01)
                    + "\nmax_epochs: 2\nbatch_size_per_worker: 16\n";
            // rounds: exchange fails the run if the two executors' slots could not take both workers at once
            TrainResult r = new TrainJob(Yaml.read(new java.io.ByteArrayInputStream((yaml + "run_dir: " + run.toUri()
                    + "\nrounds: exchange\n").getBytes()), TrainConfig.class, "test")).run(spark);
            assertEquals(2, r.epochs());
            assertEquals(200, r.last().trainExamples(), "accumulators from the executor JVMs add up");
            assertTrue(r.last().valLoss() > 0 && r.last().valLoss() < 1.0, "validation ran: " + r.last());
            assertEquals(r.bestContentHash(), Checkpoint.load(r.bestCheckpoint()).contentHash());
            assertEquals(2, Yaml.yaml().readTree(run.resolve("config.yaml").toFile()).get("workers").asInt());

            // The same run with one Spark job per round: the rounds' results crossed the process boundary over
            // Spark's RPC instead of as task results, and the parameters are the same bit for bit.
            Path jobsRun = TrainFixtures.root().resolve("local-cluster-jobs");
            TrainResult j = new TrainJob(Yaml.read(new java.io.ByteArrayInputStream((yaml + "run_dir: "
                    + jobsRun.toUri() + "\nrounds: jobs\n").getBytes()), TrainConfig.class, "test")).run(spark);
            float[] exchanged = Checkpoint.load(r.bestCheckpoint()).network().params().toFloatVector();
            float[] jobs = Checkpoint.load(j.bestCheckpoint()).network().params().toFloatVector();
            assertEquals(r.bestEpoch(), j.bestEpoch());
            assertArrayEquals(jobs, exchanged, "exchange and jobs rounds give the same parameters");
        } finally {
            spark.stop();
        }
    }
}
