package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.jobs.train.TrainJob;
import io.reviewrnn.jobs.train.TrainResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn train}: distributed training with parameter averaging, checkpoints and early stopping. */
@Command(name = "train",
        header = "Trains a model spec on a prepared corpus, with checkpoints and early stopping.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a model spec on a prepared corpus with DL4J parameter averaging on Spark, validating",
            "after every epoch. Writes the effective config, history.json, loss.png, accuracy.png, the best and last",
            "checkpoints and result.json into the run directory; stops early as Keras' EarlyStopping does."},
        footer = {"", "Options override the keys of --config (see docs/TRAINING.md). Examples:",
            "  review-rnn train --corpus runs/prepared --model-spec lstm --run-dir runs/lstm",
            "  review-rnn train --resume runs/lstm"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--config", paramLabel = "YAML", description = "Train config file (local, file:// or hdfs://).")
    String configFile;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its last checkpoint, with its own config.")
    String resume;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Prepared corpus (output of prepare).")
    String corpus;

    @Option(names = "--model-spec", paramLabel = "SPEC",
            description = "Model spec: a bundled one by name (${COMPLETION-CANDIDATES}) or a YAML file, e.g. "
                    + "conf/models/lstm.yaml (key model).", completionCandidates = BundledSpecs.class)
    String modelSpec;

    @Option(names = "--model", hidden = true, paramLabel = "SPEC")
    void deprecatedModel(String v) {
        DeprecatedOption.warn(spec, "--model", "--model-spec", "--model names a checkpoint in evaluate, score and"
                + " predict");
        modelSpec = v;
    }

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (local, file:// or hdfs://).")
    String runDir;

    @Option(names = {"--max-epochs", "--epochs"}, paramLabel = "N", description = "Epoch limit (default 100).")
    Integer maxEpochs;

    @Option(names = "--patience", paramLabel = "N", description = "Epochs without improvement before stopping (3).")
    Integer patience;

    @Option(names = "--monitor", paramLabel = "METRIC", description = "val_loss (default) or val_accuracy.")
    String monitor;

    @Option(names = "--min-delta", paramLabel = "X", description = "Smallest change that counts as improvement (0).")
    Double minDelta;

    @Option(names = "--restore-best-weights", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Final model = best epoch's (default); --no-restore-best-weights keeps the last.")
    boolean restoreBestWeights;

    @Option(names = "--batch-size-per-worker", paramLabel = "N", description = "Minibatch size per worker (64).")
    Integer batchSize;

    @Option(names = "--batch-size", hidden = true, paramLabel = "N")
    void deprecatedBatchSize(Integer v) {
        DeprecatedOption.warn(spec, "--batch-size", "--batch-size-per-worker", "the key is batch_size_per_worker");
        batchSize = v;
    }

    @Option(names = "--averaging-frequency", paramLabel = "N", description = "Minibatches between averagings (5).")
    Integer averagingFrequency;

    @Option(names = "--workers", paramLabel = "N", description = "Workers (default: the cluster's parallelism).")
    Integer workers;

    @Option(names = "--prefetch", paramLabel = "N", description = "Minibatches prefetched per worker (2).")
    Integer prefetch;

    @Option(names = "--training-approach", paramLabel = "export|direct", description = "export (default) or direct.")
    String approach;

    @Option(names = "--rounds", paramLabel = "auto|exchange|jobs",
            description = "Averaging rounds: one Spark job per epoch (exchange) or per round (jobs); auto: exchange"
                    + " when all workers fit the cluster's task slots.")
    String rounds;

    @Option(names = "--storage-level", paramLabel = "LEVEL", description = "Spark storage level (MEMORY_AND_DISK_SER).")
    String storageLevel;

    @Option(names = "--export-dir", paramLabel = "DIR", description = "Where minibatches are exported (run dir).")
    String exportDir;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of data order and shuffling (42).")
    Long seed;

    @Option(names = "--averaging", paramLabel = "bmuf|mean|scaled_delta",
            description = "How workers' models are combined each round (bmuf when workers > 1).")
    String averaging;

    @Option(names = "--block-momentum", paramLabel = "X", description = "bmuf block momentum (1 - 1/min(workers, 4)).")
    Double blockMomentum;

    @Option(names = "--block-learning-rate", paramLabel = "X",
            description = "Step on the round's mean delta (bmuf max(1, workers/4); scaled_delta: workers).")
    Double blockLearningRate;

    @Option(names = "--trainer", hidden = true, description = "Only parameter_averaging (kept for old scripts).")
    String trainer;

    @Option(names = "--no-train-accuracy", negatable = false,
            description = "Do not report the running training accuracy.")
    Boolean noTrainAccuracy;

    @Option(names = "--overwrite", description = "Replace an existing run in the run directory.")
    Boolean overwrite;

    /** The job the options describe; values are validated (with their config key) when the config is bound. */
    TrainJob job() {
        if (resume != null) {
            if (configFile != null || corpus != null || modelSpec != null || runDir != null) {
                throw new ConfigException("--resume takes the run's own config; only --max-epochs may be changed");
            }
            return TrainJob.resume(resume, maxEpochs);
        }
        TrainConfig config = ConfigOverrides.from(configFile)
                .set("corpus", corpus)
                .set("model", modelSpec)
                .set("run_dir", runDir)
                .set("max_epochs", maxEpochs)
                .set("patience", patience)
                .set("monitor", monitor)
                .set("min_delta", minDelta)
                .set("restore_best_weights", restoreBestWeights ? null : Boolean.FALSE)
                .set("batch_size_per_worker", batchSize)
                .set("averaging_frequency", averagingFrequency)
                .set("workers", workers)
                .set("prefetch", prefetch)
                .set("training_approach", approach)
                .set("rounds", rounds)
                .set("storage_level", storageLevel)
                .set("export_dir", exportDir)
                .set("seed", seed)
                .set("averaging", averaging)
                .set("block_momentum", blockMomentum)
                .set("block_learning_rate", blockLearningRate)
                .set("trainer", trainer)
                .set("train_accuracy", noTrainAccuracy == null ? null : !noTrainAccuracy)
                .set("overwrite", overwrite)
                .bind(TrainConfig.class, configFile == null ? "command line" : configFile);
        return new TrainJob(config);
    }

    @Override
    public Integer call() throws Exception {
        TrainJob job = job();
        BackendWarmup.start(); // ND4J loads on the other core while Spark starts
        TrainResult r = job.run(spark.session("train"));
        var out = spec.commandLine().getOut();
        out.printf("trained %s in %.1f s: %d epochs (%s), %.0f samples/s%n", r.runDir(), r.wallSeconds(), r.epochs(),
                r.stopReason().key(), r.samplesPerSecond());
        if (r.best() != null) {
            out.printf("  best epoch %d: val_loss %.4f  val_accuracy %.4f  (train loss %.4f  accuracy %.4f)%n",
                    r.bestEpoch(), r.best().valLoss(), r.best().valAccuracy(), r.best().trainLoss(),
                    r.best().trainAccuracy());
        }
        out.printf("  final model (%s): %s%n  sha256 %s%n", r.finalModel(), r.finalCheckpoint(),
                r.finalContentHash());
        return 0;
    }
}
