package io.reviewrnn.core.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.train.Averaging;
import io.reviewrnn.core.train.BlockMomentum;
import io.reviewrnn.core.train.Monitor;
import java.io.Serializable;
import java.util.Locale;
import java.util.Set;

/**
 * Configuration of the {@code train} job (keys documented in {@code conf/README.md} and {@code docs/TRAINING.md}).
 * Defaults follow the reference exercise and issue 4: batch 64 per worker, averaging every 5 minibatches, at most
 * 100 epochs, early stopping on {@code val_loss} with patience 3, best weights restored at the end.
 *
 * @param corpus prepared corpus directory (output of {@code prepare})
 * @param model model spec YAML (see {@code conf/models})
 * @param runDir run directory: effective config, checkpoints, history, plots, result
 * @param workers parallel workers for parameter averaging; null means the cluster's default parallelism (resolved
 *                and written into the effective config when the run starts)
 * @param prefetch minibatches each worker reads ahead from files while fitting (0: none; minibatches already in the
 *                 per-JVM cache are never read ahead)
 * @param trainingApproach {@code export}: minibatches written once as files and fed split by split (default);
 *                         {@code direct}: DL4J's Direct approach on an in-memory RDD (kept for comparison, see
 *                         docs/TRAINING.md)
 * @param rounds how the averaging rounds of an epoch ({@code export} only) run on Spark: {@code exchange}, one job per
 *               epoch whose tasks stay up and exchange parameters with the driver after every round; {@code jobs},
 *               one job per round; {@code auto} (default): {@code exchange} where the cluster can run all workers at
 *               once, otherwise {@code jobs}. Both give the same parameters (docs/TRAINING.md)
 * @param storageLevel Spark storage level of the in-memory minibatch RDDs (validation, and training for direct)
 * @param exportDir where exported minibatches go; default {@code <run_dir>/minibatches}
 * @param averaging how the workers' parameters become the next model after each averaging round: {@code bmuf}
 *                  (default: block momentum, see {@link BlockMomentum}), {@code mean} (DL4J's plain mean) or
 *                  {@code scaled_delta} (the mean delta times a block learning rate)
 * @param blockMomentum block momentum of {@code bmuf}, in [0, 1); null: {@code 1 - 1/min(workers, 4)} (resolved into the
 *                      effective config when the run starts)
 * @param blockLearningRate block learning rate of {@code bmuf} (null: {@code max(1, workers/4)}) and {@code scaled_delta}
 *                          (null: workers), resolved like the momentum
 * @param blockNesterov {@code bmuf} workers start each block from the Nesterov look-ahead (default true)
 * @param averageUpdater also average the optimizer (updater) state across workers, DL4J's {@code saveUpdater}
 * @param trainAccuracy compute the running training accuracy (one extra forward pass per minibatch)
 * @param evalBatchSize minibatch size for validation forward passes
 * @param minibatchCacheMb decoded training minibatches each executor JVM keeps in memory across epochs, in MB
 *                         (default 512; 0: read and decode the exported files in every round)
 * @param progressSeconds log the progress of an epoch at most this often (default 10; 0: only per epoch)
 * @param overwrite allow a run directory that already holds a run to be replaced
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainConfig(
        @JsonProperty("corpus") String corpus,
        @JsonProperty("model") String model,
        @JsonProperty("run_dir") String runDir,
        @JsonProperty("max_epochs") @JsonAlias("epochs") Integer maxEpochs,
        @JsonProperty("patience") Integer patience,
        @JsonProperty("monitor") Monitor monitor,
        @JsonProperty("min_delta") Double minDelta,
        @JsonProperty("restore_best_weights") Boolean restoreBestWeights,
        @JsonProperty("batch_size_per_worker") Integer batchSizePerWorker,
        @JsonProperty("averaging_frequency") Integer averagingFrequency,
        @JsonProperty("workers") Integer workers,
        @JsonProperty("prefetch") Integer prefetch,
        @JsonProperty("training_approach") TrainingApproach trainingApproach,
        @JsonProperty("rounds") Rounds rounds,
        @JsonProperty("storage_level") String storageLevel,
        @JsonProperty("export_dir") String exportDir,
        @JsonProperty("seed") Long seed,
        @JsonProperty("trainer") Trainer trainer,
        @JsonProperty("averaging") Averaging averaging,
        @JsonProperty("block_momentum") Double blockMomentum,
        @JsonProperty("block_learning_rate") Double blockLearningRate,
        @JsonProperty("block_nesterov") Boolean blockNesterov,
        @JsonProperty("average_updater") Boolean averageUpdater,
        @JsonProperty("train_accuracy") Boolean trainAccuracy,
        @JsonProperty("eval_batch_size") Integer evalBatchSize,
        @JsonProperty("minibatch_cache_mb") Integer minibatchCacheMb,
        @JsonProperty("progress_seconds") Double progressSeconds,
        @JsonProperty("overwrite") Boolean overwrite) implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Spark storage levels accepted by {@code storage_level} (names of {@code StorageLevel}'s constants). */
    public static final Set<String> STORAGE_LEVELS = Set.of("NONE", "MEMORY_ONLY", "MEMORY_ONLY_SER",
            "MEMORY_AND_DISK", "MEMORY_AND_DISK_SER", "DISK_ONLY", "OFF_HEAP");

    public TrainConfig {
        require("corpus", corpus);
        require("model", model);
        require("run_dir", runDir);
        maxEpochs = maxEpochs == null ? 100 : maxEpochs;
        patience = patience == null ? 3 : patience;
        monitor = monitor == null ? Monitor.VAL_LOSS : monitor;
        minDelta = minDelta == null ? 0.0 : minDelta;
        restoreBestWeights = restoreBestWeights == null || restoreBestWeights;
        batchSizePerWorker = batchSizePerWorker == null ? 64 : batchSizePerWorker;
        averagingFrequency = averagingFrequency == null ? 5 : averagingFrequency;
        prefetch = prefetch == null ? 2 : prefetch;
        trainingApproach = trainingApproach == null ? TrainingApproach.EXPORT : trainingApproach;
        rounds = rounds == null ? Rounds.AUTO : rounds;
        storageLevel = storageLevel == null ? "MEMORY_AND_DISK_SER" : storageLevel.trim().toUpperCase(Locale.ROOT);
        seed = seed == null ? 42L : seed;
        trainer = trainer == null ? Trainer.PARAMETER_AVERAGING : trainer;
        averaging = averaging == null ? Averaging.BMUF : averaging;
        blockNesterov = blockNesterov == null || blockNesterov;
        averageUpdater = averageUpdater == null || averageUpdater;
        trainAccuracy = trainAccuracy == null || trainAccuracy;
        evalBatchSize = evalBatchSize == null ? 256 : evalBatchSize;
        minibatchCacheMb = minibatchCacheMb == null ? 512 : minibatchCacheMb;
        progressSeconds = progressSeconds == null ? 10.0 : progressSeconds;
        overwrite = overwrite != null && overwrite;
        positive("max_epochs", maxEpochs);
        if (patience < 0) {
            throw new ConfigException("patience", patience, "must be >= 0");
        }
        if (!(minDelta >= 0)) {
            throw new ConfigException("min_delta", minDelta, "must be >= 0");
        }
        positive("batch_size_per_worker", batchSizePerWorker);
        positive("averaging_frequency", averagingFrequency);
        if (workers != null) {
            positive("workers", workers);
        }
        if (prefetch < 0) {
            throw new ConfigException("prefetch", prefetch, "must be >= 0");
        }
        if (!STORAGE_LEVELS.contains(storageLevel)) {
            throw new ConfigException("storage_level", storageLevel, "must be one of " + STORAGE_LEVELS);
        }
        positive("eval_batch_size", evalBatchSize);
        if (minibatchCacheMb < 0) {
            throw new ConfigException("minibatch_cache_mb", minibatchCacheMb, "must be >= 0");
        }
        if (!(progressSeconds >= 0)) {
            throw new ConfigException("progress_seconds", progressSeconds, "must be >= 0");
        }
        if (averaging == Averaging.MEAN && (blockMomentum != null || blockLearningRate != null)) {
            throw new ConfigException(blockMomentum != null ? "block_momentum" : "block_learning_rate",
                    blockMomentum != null ? blockMomentum : blockLearningRate,
                    "applies only to averaging: bmuf or scaled_delta (averaging is mean)");
        }
        if (averaging == Averaging.SCALED_DELTA && blockMomentum != null && blockMomentum != 0) {
            throw new ConfigException("block_momentum", blockMomentum, "must be 0 or unset with averaging: scaled_delta"
                    + " (block momentum is averaging: bmuf)");
        }
        if (blockMomentum != null && !(blockMomentum >= 0 && blockMomentum < 1)) {
            throw new ConfigException("block_momentum", blockMomentum, "must be >= 0 and < 1");
        }
        if (blockLearningRate != null && !(blockLearningRate > 0 && Double.isFinite(blockLearningRate))) {
            throw new ConfigException("block_learning_rate", blockLearningRate, "must be > 0");
        }
    }

    private static void require(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, value, "must be set");
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new ConfigException(key, value, "must be > 0");
        }
    }

    /** Defaults for {@code corpus}, {@code model} and {@code runDir}. */
    public static TrainConfig of(String corpus, String model, String runDir) {
        return builder().setCorpus(corpus).setModel(model).setRunDir(runDir).build();
    }

    /**
     * A copy with the worker count fixed and the averaging rule's block momentum and learning rate resolved for it
     * (the effective config of a run; a value that was set stays).
     */
    public TrainConfig withWorkers(int n) {
        Double momentum = averaging == Averaging.MEAN ? null
                : blockMomentum != null ? blockMomentum : averaging.defaultMomentum(n);
        Double rate = averaging == Averaging.MEAN ? null
                : blockLearningRate != null ? blockLearningRate : averaging.defaultLearningRate(n);
        return Builder.from(this).optWorkers(n).optBlockMomentum(momentum).optBlockLearningRate(rate).build();
    }

    /**
     * A copy with the corpus, model spec, run directory and export directory replaced (the fully qualified paths of a
     * run, so that it resumes from any working directory and any machine).
     */
    public TrainConfig withPaths(String corpus, String model, String runDir, String exportDir) {
        return Builder.from(this).setCorpus(corpus).setModel(model).setRunDir(runDir).optExportDir(exportDir).build();
    }

    /**
     * The averaging rule of a run with {@code workers} resolved ({@link #withWorkers}): a fresh one, with a zero
     * momentum buffer.
     */
    public BlockMomentum blockMomentumRule() {
        if (workers == null) {
            throw new IllegalStateException("workers are not resolved yet (use withWorkers)");
        }
        TrainConfig c = withWorkers(workers);
        return c.averaging == Averaging.MEAN ? BlockMomentum.mean()
                : new BlockMomentum(c.averaging, c.blockMomentum, c.blockLearningRate, c.blockNesterov);
    }

    /** How training minibatches reach the workers in every epoch. */
    public enum TrainingApproach {
        EXPORT, DIRECT;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static TrainingApproach parse(String s) {
            for (TrainingApproach a : values()) {
                if (a.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("must be 'export' or 'direct', was '" + s + "'");
        }
    }

    /** How an epoch's averaging rounds run on Spark ({@code rounds}). */
    public enum Rounds {
        AUTO, EXCHANGE, JOBS;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Rounds parse(String s) {
            for (Rounds r : values()) {
                if (r.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return r;
                }
            }
            throw new IllegalArgumentException("must be 'auto', 'exchange' or 'jobs', was '" + s + "'");
        }
    }

    /** The DL4J distributed training master. */
    public enum Trainer {
        /** {@code ParameterAveragingTrainingMaster} (synchronous parameter averaging). */
        PARAMETER_AVERAGING;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Trainer parse(String s) {
            for (Trainer t : values()) {
                if (t.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return t;
                }
            }
            if ("shared".equalsIgnoreCase(s == null ? "" : s.trim())) {
                throw new IllegalArgumentException("'shared' (DL4J's gradient-sharing SharedTrainingMaster) is not "
                        + "supported; parameter averaging with 'averaging: bmuf' scales with workers "
                        + "(docs/TRAINING.md)");
            }
            throw new IllegalArgumentException("must be 'parameter_averaging', was '" + s + "'");
        }
    }

    /** A builder: {@code setX} for the required keys, {@code optX} for the rest; {@link Builder#build} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a config in code, DJL style: {@code setCorpus}, {@code setModel} and {@code setRunDir} are required,
     * every {@code optX} may be left out for its default. {@link #build} runs the same validation as a YAML file,
     * so a missing or bad value fails with a {@link ConfigException} naming its key.
     */
    public static final class Builder {
        private String corpus;
        private String model;
        private String runDir;
        private Integer maxEpochs;
        private Integer patience;
        private Monitor monitor;
        private Double minDelta;
        private Boolean restoreBestWeights;
        private Integer batchSizePerWorker;
        private Integer averagingFrequency;
        private Integer workers;
        private Integer prefetch;
        private TrainingApproach trainingApproach;
        private Rounds rounds;
        private String storageLevel;
        private String exportDir;
        private Long seed;
        private Trainer trainer;
        private Averaging averaging;
        private Double blockMomentum;
        private Double blockLearningRate;
        private Boolean blockNesterov;
        private Boolean averageUpdater;
        private Boolean trainAccuracy;
        private Integer evalBatchSize;
        private Integer minibatchCacheMb;
        private Double progressSeconds;
        private Boolean overwrite;

        private Builder() {
        }

        /** A builder holding every value of {@code c}. */
        public static Builder from(TrainConfig c) {
            Builder b = new Builder();
            b.corpus = c.corpus;
            b.model = c.model;
            b.runDir = c.runDir;
            b.maxEpochs = c.maxEpochs;
            b.patience = c.patience;
            b.monitor = c.monitor;
            b.minDelta = c.minDelta;
            b.restoreBestWeights = c.restoreBestWeights;
            b.batchSizePerWorker = c.batchSizePerWorker;
            b.averagingFrequency = c.averagingFrequency;
            b.workers = c.workers;
            b.prefetch = c.prefetch;
            b.trainingApproach = c.trainingApproach;
            b.rounds = c.rounds;
            b.storageLevel = c.storageLevel;
            b.exportDir = c.exportDir;
            b.seed = c.seed;
            b.trainer = c.trainer;
            b.averaging = c.averaging;
            b.blockMomentum = c.blockMomentum;
            b.blockLearningRate = c.blockLearningRate;
            b.blockNesterov = c.blockNesterov;
            b.averageUpdater = c.averageUpdater;
            b.trainAccuracy = c.trainAccuracy;
            b.evalBatchSize = c.evalBatchSize;
            b.minibatchCacheMb = c.minibatchCacheMb;
            b.progressSeconds = c.progressSeconds;
            b.overwrite = c.overwrite;
            return b;
        }

        /** {@code corpus}. */
        public Builder setCorpus(String corpus) {
            this.corpus = corpus;
            return this;
        }

        /** {@code model}. */
        public Builder setModel(String model) {
            this.model = model;
            return this;
        }

        /** {@code run_dir}. */
        public Builder setRunDir(String runDir) {
            this.runDir = runDir;
            return this;
        }

        /** {@code max_epochs}. */
        public Builder optMaxEpochs(Integer maxEpochs) {
            this.maxEpochs = maxEpochs;
            return this;
        }

        /** {@code patience}. */
        public Builder optPatience(Integer patience) {
            this.patience = patience;
            return this;
        }

        /** {@code monitor}. */
        public Builder optMonitor(Monitor monitor) {
            this.monitor = monitor;
            return this;
        }

        /** {@code min_delta}. */
        public Builder optMinDelta(Double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /** {@code restore_best_weights}. */
        public Builder optRestoreBestWeights(Boolean restoreBestWeights) {
            this.restoreBestWeights = restoreBestWeights;
            return this;
        }

        /** {@code batch_size_per_worker}. */
        public Builder optBatchSizePerWorker(Integer batchSizePerWorker) {
            this.batchSizePerWorker = batchSizePerWorker;
            return this;
        }

        /** {@code averaging_frequency}. */
        public Builder optAveragingFrequency(Integer averagingFrequency) {
            this.averagingFrequency = averagingFrequency;
            return this;
        }

        /** {@code workers}. */
        public Builder optWorkers(Integer workers) {
            this.workers = workers;
            return this;
        }

        /** {@code prefetch}. */
        public Builder optPrefetch(Integer prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** {@code training_approach}. */
        public Builder optTrainingApproach(TrainingApproach trainingApproach) {
            this.trainingApproach = trainingApproach;
            return this;
        }

        /** {@code rounds}. */
        public Builder optRounds(Rounds rounds) {
            this.rounds = rounds;
            return this;
        }

        /** {@code storage_level}. */
        public Builder optStorageLevel(String storageLevel) {
            this.storageLevel = storageLevel;
            return this;
        }

        /** {@code export_dir}. */
        public Builder optExportDir(String exportDir) {
            this.exportDir = exportDir;
            return this;
        }

        /** {@code seed}. */
        public Builder optSeed(Long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code trainer}. */
        public Builder optTrainer(Trainer trainer) {
            this.trainer = trainer;
            return this;
        }

        /** {@code averaging}. */
        public Builder optAveraging(Averaging averaging) {
            this.averaging = averaging;
            return this;
        }

        /** {@code block_momentum}. */
        public Builder optBlockMomentum(Double blockMomentum) {
            this.blockMomentum = blockMomentum;
            return this;
        }

        /** {@code block_learning_rate}. */
        public Builder optBlockLearningRate(Double blockLearningRate) {
            this.blockLearningRate = blockLearningRate;
            return this;
        }

        /** {@code block_nesterov}. */
        public Builder optBlockNesterov(Boolean blockNesterov) {
            this.blockNesterov = blockNesterov;
            return this;
        }

        /** {@code average_updater}. */
        public Builder optAverageUpdater(Boolean averageUpdater) {
            this.averageUpdater = averageUpdater;
            return this;
        }

        /** {@code train_accuracy}. */
        public Builder optTrainAccuracy(Boolean trainAccuracy) {
            this.trainAccuracy = trainAccuracy;
            return this;
        }

        /** {@code eval_batch_size}. */
        public Builder optEvalBatchSize(Integer evalBatchSize) {
            this.evalBatchSize = evalBatchSize;
            return this;
        }

        /** {@code minibatch_cache_mb}. */
        public Builder optMinibatchCacheMb(Integer minibatchCacheMb) {
            this.minibatchCacheMb = minibatchCacheMb;
            return this;
        }

        /** {@code progress_seconds}. */
        public Builder optProgressSeconds(Double progressSeconds) {
            this.progressSeconds = progressSeconds;
            return this;
        }

        /** {@code overwrite}. */
        public Builder optOverwrite(Boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        public TrainConfig build() {
            return new TrainConfig(corpus, model, runDir, maxEpochs, patience, monitor, minDelta, restoreBestWeights,
                    batchSizePerWorker, averagingFrequency, workers, prefetch, trainingApproach, rounds, storageLevel,
                    exportDir, seed, trainer, averaging, blockMomentum, blockLearningRate, blockNesterov,
                    averageUpdater, trainAccuracy, evalBatchSize, minibatchCacheMb, progressSeconds, overwrite);
        }
    }
}
