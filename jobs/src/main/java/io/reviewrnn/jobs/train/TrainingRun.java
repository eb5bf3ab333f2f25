package io.reviewrnn.jobs.train;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.PreparedCorpus;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.model.ModelSpecSource;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.CheckpointStore;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.train.BlockMomentum;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.TrainingHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a training run carries from epoch to epoch: the effective config, the model spec, the network, the
 * averaging rule's state, the early-stopping state and the history. A run either starts fresh ({@link #start}:
 * the effective config and spec are written to the run directory) or continues from its last checkpoint
 * ({@link #resume}). Not thread-safe: the driver's training thread owns it.
 */
final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    final RunDirectory dir;
    final PreparedCorpus corpus;
    final TrainConfig config;
    final ModelSpec spec;
    final BlockMomentum rule;
    final EarlyStopping policy;
    final TrainingHistory history;
    final int resumedFrom;
    MultiLayerNetwork network;
    EarlyStopping.State state;

    private TrainingRun(RunDirectory dir, PreparedCorpus corpus, TrainConfig config, ModelSpec spec,
            MultiLayerNetwork network, BlockMomentum rule, EarlyStopping.State state, TrainingHistory history,
            int resumedFrom) {
        this.dir = dir;
        this.corpus = corpus;
        this.config = config;
        this.spec = spec;
        this.network = network;
        this.rule = rule;
        this.history = history;
        this.resumedFrom = resumedFrom;
        this.policy = new EarlyStopping(config.monitor(), config.minDelta(), config.patience(), config.maxEpochs());
        this.state = state == null ? policy.initial() : reopened(state, config.maxEpochs());
    }

    /** A new run in {@code dir}: resolves the workers, writes the effective config and the model spec. */
    static TrainingRun start(RunDirectory dir, PreparedCorpus corpus, TrainConfig config, Configuration hadoop,
            int defaultParallelism) throws IOException {
        FileSystem fs = dir.fs();
        if (fs.exists(dir.file(RunDirectory.CONFIG_FILE))) {
            if (!config.overwrite()) {
                throw new ConfigException("run_dir", dir.toString(), "already holds a run; continue it with"
                        + " --resume " + dir + " or replace it with overwrite: true");
            }
            dir.clear();
        }
        ModelSpecSource source = ModelSpecSource.resolve(config.model(), hadoop, "model");
        ModelSpec spec = source.spec();
        int workers = config.workers() != null ? config.workers() : defaultParallelism;
        String exportDir = null;
        if (config.exportDir() != null) {
            Path export = new Path(config.exportDir());
            exportDir = export.getFileSystem(hadoop).makeQualified(export).toString();
        }
        TrainConfig effective = config.withWorkers(workers).withPaths(corpus.path().toString(), source.location(),
                dir.toString(), exportDir);
        fs.mkdirs(dir.path());
        HadoopFiles.writeAtomically(fs, dir.file(RunDirectory.CONFIG_FILE), Yaml.yaml().writeValueAsBytes(effective));
        HadoopFiles.writeAtomically(fs, dir.file(RunDirectory.MODEL_FILE),
                spec.toYaml().getBytes(StandardCharsets.UTF_8));
        return new TrainingRun(dir, corpus, effective, spec, ModelFactory.network(spec, corpus.text().numWords()),
                effective.blockMomentumRule(), null, new TrainingHistory(), 0);
    }

    /** The run in {@code dir}, continued from its last checkpoint (or from scratch if it has none yet). */
    static TrainingRun resume(RunDirectory dir, PreparedCorpus corpus, TrainConfig config) throws IOException {
        ModelSpec spec;
        try (InputStream in = dir.fs().open(dir.file(RunDirectory.MODEL_FILE))) {
            spec = ModelSpec.load(in, dir.file(RunDirectory.MODEL_FILE).toString());
        }
        BlockMomentum rule = config.blockMomentumRule();
        if (!dir.store().recover()) {
            LOG.info("resuming {}: no checkpoint yet, starting at epoch 1", dir);
            return new TrainingRun(dir, corpus, config, spec, ModelFactory.network(spec, corpus.text().numWords()),
                    rule, null, new TrainingHistory(), 0);
        }
        Checkpoint last = dir.store().loadLast();
        if (!corpus.text().equals(last.textSpec()) || !corpus.vocabulary().equals(last.vocabulary())) {
            throw new IOException("cannot resume " + dir + ": corpus " + corpus.path() + " was prepared with another"
                    + " text spec or vocabulary than the run's checkpoints");
        }
        rule.restore(last.blockMomentum());
        EarlyStopping.State state = last.metadata().earlyStopping();
        LOG.info("resuming {} after epoch {} (best epoch {}, {} epochs without improvement)", dir, last.epoch(),
                state.bestEpoch(), state.epochsWithoutImprovement());
        return new TrainingRun(dir, corpus, config, spec, last.network(), rule, state,
                new TrainingHistory(last.metadata().history()), last.epoch());
    }

    /** A run that reached its epoch limit continues when the limit was raised on resume. */
    private static EarlyStopping.State reopened(EarlyStopping.State s, int maxEpochs) {
        if (s.stopped() && s.epoch() < maxEpochs && s.stopReason() == EarlyStopping.StopReason.MAX_EPOCHS) {
            return new EarlyStopping.State(s.epoch(), s.bestEpoch(), s.bestValue(), s.epochsWithoutImprovement(),
                    null);
        }
        return s;
    }

    boolean stopped() {
        return state.stopped();
    }

    int nextEpoch() {
        return state.epoch() + 1;
    }

    /**
     * Records a finished epoch (history, early stopping) and returns what it writes: the last checkpoint, and the
     * best one when the monitored metric improved, serialized now with the averaging rule's state.
     */
    EpochWriter.Epoch record(EpochMetrics m) throws IOException {
        history.add(m);
        state = policy.observe(state, m);
        Checkpoint.Metadata meta = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, CheckpointStore.LAST,
                m.epoch(), Instant.now().toString(), spec.name(), network.numParams(), corpus.text(),
                corpus.path().toString(), Yaml.json().valueToTree(config), m, state, history.epochs());
        Checkpoint.Content last = Checkpoint.content(network, corpus.vocabulary(), spec, meta, rule.state());
        Checkpoint.Content best = EarlyStopping.improvedAt(state) ? last.withMetadata(new Checkpoint.Metadata(
                meta.formatVersion(), CheckpointStore.BEST, meta.epoch(), meta.createdAt(), meta.modelName(),
                meta.numParams(), meta.text(), meta.corpus(), meta.config(), meta.metrics(), meta.earlyStopping(),
                meta.history())) : null;
        return new EpochWriter.Epoch(m, state, List.copyOf(history.epochs()), best, last);
    }
}
