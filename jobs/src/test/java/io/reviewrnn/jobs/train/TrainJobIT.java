package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.registry.LockHeldException;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.TrainingHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** End-to-end training on local[2] with the generated corpus. */
class TrainJobIT {

    private static TrainConfig config(String corpus, String model, Path runDir, String extraYaml) throws Exception {
        String yaml = "corpus: " + corpus + "\nmodel: " + model + "\nrun_dir: " + runDir.toUri() + "\n" + extraYaml;
        return Yaml.read(new java.io.ByteArrayInputStream(yaml.getBytes()), TrainConfig.class, "test");
    }

    @Test
    void learnsOnLocal2AndWritesRunDirectory() throws Exception {
        SparkSession spark = TrainFixtures.spark();
        // The generated task is noisy (opinions agree with the label 62% of the time): below a few thousand
        // reviews an LSTM memorizes instead of generalizing, so this test uses 4000 training reviews.
        String corpus = TrainFixtures.corpus(5000, 0.2);
        Path run = TrainFixtures.root().resolve("learns");
        TrainConfig c = config(corpus, TrainFixtures.lstmSpec("learns", 16, 8, 0.003), run,
                "max_epochs: 4\npatience: 5\nbatch_size_per_worker: 32\nmonitor: val_accuracy\n");

        TrainResult r = new TrainJob(c).run(spark);

        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<EpochMetrics> h = TrainingHistory.read(fs, new org.apache.hadoop.fs.Path(run.toUri())).epochs();
        assertEquals(4, h.size());
        assertEquals(4, r.epochs());
        assertEquals(EarlyStopping.StopReason.MAX_EPOCHS, r.stopReason());
        for (EpochMetrics m : h) {
            assertEquals(4000, m.trainExamples(), "every training example is fitted in every epoch: " + m);
        }
        assertTrue(h.get(3).trainLoss() < h.get(0).trainLoss() - 0.01, "training loss falls: " + h);
        assertTrue(h.stream().mapToDouble(EpochMetrics::valLoss).min().getAsDouble() < h.get(0).valLoss(),
                "validation loss falls below its first-epoch value: " + h);
        // Measured 0.856 (best epoch 4; two workers averaging with block momentum, the default since BMUF; the run is
        // deterministic for a fixed seed). The bound sits more than halfway from chance (0.5) to it: 0.68, while
        // chance on 1000 validation reviews is 0.5 +- 0.016.
        assertTrue(r.best().valAccuracy() > 0.68, "validation accuracy clearly beats chance: " + r.best());
        for (String f : List.of("config.yaml", "model.yaml", "history.json", "loss.png", "accuracy.png",
                "result.json", "environment.json", "report.html", "checkpoints/best/_SUCCESS",
                "checkpoints/last/_SUCCESS")) {
            assertTrue(Files.exists(run.resolve(f)), f + " exists");
        }
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("stopped after epoch 4: max_epochs") && report.contains(r.bestContentHash())
                && report.contains("<th>spark_master</th><td>local[2"),
                report.replaceAll("base64,[A-Za-z0-9+/=]+", "IMG"));
        assertTrue(!Files.exists(run.resolve(TrainJob.EXPORT_DIR)), "the export is removed when the run ends");
        Checkpoint best = Checkpoint.load(run.resolve("checkpoints/best").toUri().toString());
        assertEquals(r.bestEpoch(), best.epoch());
        assertEquals(r.bestContentHash(), best.contentHash());
        assertEquals(2, Yaml.yaml().readTree(run.resolve("config.yaml").toFile()).get("workers").asInt(),
                "workers default to the local[2] parallelism and are written to the effective config");

        // The checkpointed network reproduces the validation metrics recorded for its epoch.
        EvalMetrics v = validation(spark, corpus, best);
        assertEquals(best.metadata().metrics().valLoss(), v.loss(), 1e-5);
        assertEquals(best.metadata().metrics().valAccuracy(), v.accuracy(), 1e-9);

        assertThrows(io.reviewrnn.core.base.ConfigException.class, () -> new TrainJob(c).run(spark),
                "an existing run is not silently replaced");
    }

    @Test
    void earlyStoppingOnOverfittingConfigRestoresBestEpoch() throws Exception {
        SparkSession spark = TrainFixtures.spark();
        // 200 training reviews, a wide LSTM and a high learning rate: it memorizes, validation loss turns up.
        String corpus = TrainFixtures.corpus(400, 0.5);
        Path run = TrainFixtures.root().resolve("overfit");
        TrainConfig c = config(corpus, TrainFixtures.lstmSpec("overfit", 64, 64, 0.02), run,
                "max_epochs: 25\npatience: 2\nbatch_size_per_worker: 16\naveraging_frequency: 2\n");

        TrainResult r = new TrainJob(c).run(spark);

        assertEquals(EarlyStopping.StopReason.EARLY_STOPPING, r.stopReason(), "stopped early: " + r);
        assertEquals(r.bestEpoch() + 2, r.epochs(), "stopped exactly `patience` epochs after the best");
        List<EpochMetrics> h = TrainingHistory.read(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(run.toUri())).epochs();
        double bestLoss = h.get(r.bestEpoch() - 1).valLoss();
        for (EpochMetrics m : h) {
            assertTrue(m.valLoss() >= bestLoss, "best epoch has the lowest val_loss: " + h);
        }
        assertTrue(h.get(h.size() - 1).trainLoss() < h.get(r.bestEpoch() - 1).trainLoss(),
                "training loss kept falling while validation loss rose (overfitting): " + h);
        assertEquals("best", r.finalModel());

        Checkpoint best = Checkpoint.load(r.bestCheckpoint());
        Checkpoint last = Checkpoint.load(run.resolve("checkpoints/last").toUri().toString());
        assertEquals(r.bestEpoch(), best.epoch());
        assertEquals(r.epochs(), last.epoch());
        EvalMetrics v = validation(spark, corpus, best);
        assertEquals(bestLoss, v.loss(), 1e-5, "the restored model is the best epoch's model");
    }

    @Test
    void resumeAfterCrashEndsWhereAnUninterruptedRunEnds() throws Exception {
        SparkSession spark = TrainFixtures.spark();
        String corpus = TrainFixtures.corpus(400, 0.5);
        String model = TrainFixtures.lstmSpec("resume", 16, 8, 0.01);
        String extra = "max_epochs: 4\npatience: 10\nbatch_size_per_worker: 16\naveraging_frequency: 2\n";

        Path straight = TrainFixtures.root().resolve("straight");
        TrainResult a = new TrainJob(config(corpus, model, straight, extra)).run(spark);

        Path crashed = TrainFixtures.root().resolve("crashed");
        List<Exception> rivals = new java.util.ArrayList<>();
        RuntimeException crash = assertThrows(RuntimeException.class, () ->
                new TrainJob(config(corpus, model, crashed, extra)).withEpochListener((m, s) -> {
                    if (m.epoch() == 1) {
                        // Two more runs on the directory while this one trains: another seed, and overwrite.
                        for (String rival : List.of("seed: 7\n", "seed: 7\noverwrite: true\n")) {
                            rivals.add(assertThrows(LockHeldException.class,
                                    () -> new TrainJob(config(corpus, model, crashed, extra + rival)).run(spark)));
                        }
                        rivals.add(assertThrows(LockHeldException.class,
                                () -> TrainJob.resume(crashed.toUri().toString()).run(spark)));
                    }
                    if (m.epoch() == 2) {
                        throw new IllegalStateException("simulated crash after epoch 2");
                    }
                }).run(spark));
        assertTrue(crash.getMessage().contains("simulated crash"));
        assertEquals(2, Checkpoint.load(crashed.resolve("checkpoints/last").toUri().toString()).epoch());
        // The rivals were refused naming the holder, and nothing of theirs is left: the run's own config stands.
        assertEquals(3, rivals.size());
        for (Exception e : rivals) {
            assertTrue(e.getMessage().contains("run-directory lock") && e.getMessage().contains("run train (Spark"
                    + " application " + spark.sparkContext().applicationId() + ")")
                    && e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertEquals(42, Yaml.yaml().readTree(crashed.resolve("config.yaml").toFile()).get("seed").asInt());

        // Every path the run records is fully qualified, and the run resumes wherever its directory now is.
        var recorded = Yaml.yaml().readTree(crashed.resolve("config.yaml").toFile());
        for (String key : List.of("corpus", "model", "run_dir")) {
            assertTrue(recorded.get(key).asText().startsWith("file:/"), key + ": " + recorded.get(key));
        }
        Path moved = Files.move(crashed, TrainFixtures.root().resolve("crashed-moved"));
        TrainResult b = TrainJob.resume(moved.toString()).run(spark);

        assertEquals(2, b.resumedFrom());
        assertEquals(a.epochs(), b.epochs());
        assertEquals(a.bestEpoch(), b.bestEpoch());
        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<EpochMetrics> ha = TrainingHistory.read(fs, new org.apache.hadoop.fs.Path(straight.toUri())).epochs();
        List<EpochMetrics> hb = TrainingHistory.read(fs, new org.apache.hadoop.fs.Path(moved.toUri())).epochs();
        assertEquals(4, hb.size(), "history continues with the same epoch counter");
        for (int i = 0; i < 4; i++) {
            assertEquals(ha.get(i).valLoss(), hb.get(i).valLoss(), 1e-4, "val_loss of epoch " + (i + 1));
            assertEquals(ha.get(i).trainLoss(), hb.get(i).trainLoss(), 1e-4, "loss of epoch " + (i + 1));
        }
        Checkpoint la = Checkpoint.load(straight.resolve("checkpoints/last").toUri().toString());
        Checkpoint lb = Checkpoint.load(moved.resolve("checkpoints/last").toUri().toString());
        assertArrayEquals(la.network().params().toFloatVector(), lb.network().params().toFloatVector(), 1e-4f,
                "final parameters equal within noise");
        assertArrayEquals(la.network().getUpdater().getStateViewArray().toFloatVector(),
                lb.network().getUpdater().getStateViewArray().toFloatVector(), 1e-4f, "optimizer state too");
        // Two workers average with block momentum by default: its buffer is checkpointed and carried by the resume.
        assertEquals("bmuf", Yaml.yaml().readTree(moved.resolve("config.yaml").toFile()).get("averaging").asText());
        assertTrue(Files.exists(moved.resolve("checkpoints/last/block_momentum.npy")), "block momentum buffer saved");
        float[] da = la.blockMomentum().toFloatVector();
        assertTrue(la.blockMomentum().norm2Number()
                .doubleValue() > 0, "the buffer holds the rule's momentum, not zeros");
        assertArrayEquals(da, lb.blockMomentum().toFloatVector(), 1e-4f, "block momentum equals the uninterrupted run's");
    }

    /** Validation metrics of a checkpoint's network, computed with the job's evaluation on the validation split. */
    static EvalMetrics validation(SparkSession spark, String corpus, Checkpoint cp) {
        JavaRDD<DataSet> val = spark.read().parquet(corpus + "/validation").select("ids", "label").javaRDD()
                .mapPartitions(new Minibatches(100, cp.textSpec().maxlen()));
        return TrainJob.evaluate(JavaSparkContext.fromSparkContext(spark.sparkContext()), cp.network(), val);
    }
}
