package io.reviewrnn.jobs.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.registry.LockHeldException;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.retrain.RetrainOutcome;
import io.reviewrnn.core.retrain.RetrainResult;
import io.reviewrnn.core.retrain.Retrainer;
import io.reviewrnn.jobs.testing.LocalSpark;
import io.reviewrnn.jobs.testing.MiniHdfs;
import io.reviewrnn.jobs.testing.TestCorpora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * retrain with the real Spark stages (prepare, train, evaluate) against a registry on an in-process HDFS: the first
 * run promotes v1, a deliberately worse challenger is rejected and the champion stays, a concurrent run is refused
 * naming the holder, and rollback restores the previous champion.
 */
class RetrainIT {
    @TempDir
    static Path dir;
    static MiniHdfs hdfs;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        // 4000 training reviews: on fewer, an LSTM memorizes the generated corpus instead of generalizing.
        hdfs = new MiniHdfs(dir.resolve("hdfs"));
        spark = LocalSpark.get();
        Path corpus = TestCorpora.write(dir, "corpus.tar.gz", CorpusFormat.ACLIMDB, true, 4000, 400);
        hdfs.fs().copyFromLocalFile(new org.apache.hadoop.fs.Path(corpus.toUri()),
                new org.apache.hadoop.fs.Path(hdfs.uri() + "/data/corpus.tar.gz"));
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    private static RetrainConfig config(String name, double learningRate, int epochs) throws Exception {
        Path spec = dir.resolve(name + ".yaml");
        Files.writeString(spec, String.join("\n", "name: " + name, "kind: lstm", "input: {type: embedding, dim: 16}",
                "units: 8", "optimizer: {type: adam, learning_rate: " + learningRate + "}", "seed: 42", "impl: fast", ""));
        String yaml = String.join("\n",
                "work_dir: " + hdfs.uri() + "/retrain",
                "prepare:",
                "  input: {path: " + hdfs.uri() + "/data/corpus.tar.gz}",
                "model: " + spec,
                "train: {max_epochs: " + epochs + ", patience: 2, batch_size_per_worker: 32}",
                "compare: {metric: accuracy, min_delta: 0.01}",
                "registry: {path: " + hdfs.uri() + "/registry, keep_last: 5}",
                "lock: {timeout_minutes: 10, heartbeat_minutes: 1}", "");
        return Yaml.read(new java.io.ByteArrayInputStream(yaml.getBytes()), RetrainConfig.class, name);
    }

    private static RetrainResult retrain(RetrainConfig c, String runId) throws Exception {
        return new Retrainer(c, new SparkRetrainStages(spark), spark.sparkContext().hadoopConfiguration()).run(runId);
    }

    @Test
    void promotesFirstRejectsWorseRefusesConcurrentAndRollsBack() throws Exception {
        RetrainResult first = retrain(config("good", 3e-3, 4), "run-1");
        assertEquals(RetrainOutcome.PROMOTED, first.outcome(), first.toString());
        assertEquals(1, first.championAfter());
        double championAccuracy = first.challengerMetrics().get("accuracy");
        assertTrue(championAccuracy > 0.6, "the first model should learn: " + first.challengerMetrics());

        // A challenger that cannot learn (learning rate 1e-7) is evaluated next to the champion and rejected.
        RetrainResult worse = retrain(config("worse", 1e-7, 1), "run-2");
        assertEquals(RetrainOutcome.NOT_PROMOTED, worse.outcome(), worse.toString());
        assertEquals(3, worse.outcome().exitCode());
        assertEquals(1, worse.championAfter());
        assertEquals(championAccuracy, worse.championMetrics().get("accuracy"), 1e-9,
                "the champion is evaluated on the same held-out reviews");
        ModelRegistry registry = ModelRegistry.open(hdfs.uri() + "/registry", spark.sparkContext().hadoopConfiguration());
        assertEquals(1, registry.champion().orElseThrow().version());

        // A second retrain while one holds the lock fails fast and names the holder; nothing changes.
        try (var lease = registry.lock().acquire("someone-else", Duration.ofMinutes(10))) {
            LockHeldException e = assertThrows(LockHeldException.class, () -> retrain(config("good", 1e-2, 1), "run-3"));
            assertTrue(e.getMessage().contains("someone-else"), e.getMessage());
        }
        assertEquals(2, registry.versionNumbers().size());

        // Promote the rejected v2 by hand, then roll back: v1 is champion again.
        registry.promote(2, "test");
        assertEquals(2, registry.champion().orElseThrow().version());
        registry.rollback("test");
        assertEquals(1, registry.champion().orElseThrow().version());
    }
}
