package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticCorpusWriter;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.train.RunReport;
import io.reviewrnn.jobs.evaluate.EvaluateJob;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.prepare.PrepareResult;
import io.reviewrnn.jobs.score.ScoreJob;
import io.reviewrnn.jobs.score.ScoreResult;
import io.reviewrnn.jobs.train.TrainJob;
import io.reviewrnn.jobs.train.TrainResult;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn demo}: the pipeline end to end on a generated corpus, offline, on the embedded default. */
@Command(name = "demo",
        header = "Runs the whole pipeline on a generated corpus, offline.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the whole pipeline on a generated corpus with nothing to download: generate-corpus, "
                + "prepare, train an LSTM (fast layers, Adam) with checkpoints and early stopping, evaluate it on "
                + "the test split, and score the test reviews. Everything lands under --dir.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    /** The demo's model spec, written first into its directory: the mark of a directory a demo may replace. */
    static final String SPEC_FILE = "demo-lstm.yaml";

    @Option(names = "--dir", defaultValue = "runs/demo", paramLabel = "DIR",
            description = "Working directory (default ${DEFAULT-VALUE}); an earlier demo's output there is replaced,"
                    + " any other non-empty directory refused.")
    String dir;

    @Option(names = "--train-size", defaultValue = "4000", paramLabel = "N",
            description = "Generated training reviews (default ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--test-size", defaultValue = "1000", paramLabel = "N",
            description = "Generated test reviews (default ${DEFAULT-VALUE}).")
    int testSize;

    @Option(names = "--max-epochs", defaultValue = "10", paramLabel = "N",
            description = "Epoch limit of the demo training (default ${DEFAULT-VALUE}; early stopping, patience 2).")
    int maxEpochs;

    @Override
    public Integer call() throws Exception {
        if (trainSize <= 0 || testSize <= 0 || maxEpochs <= 0) {
            throw new ConfigException("--train-size, --test-size and --max-epochs must be > 0, were " + trainSize
                    + ", " + testSize + " and " + maxEpochs);
        }
        var out = spec.commandLine().getOut();
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(new Configuration());
        if (fs.exists(root)) {
            // only an earlier demo's directory is replaced, never whatever --dir happens to name
            AtomicDirectory.requireReplaceable(fs, root, SPEC_FILE);
            fs.delete(root, true);
        }
        // A slightly larger LSTM than the reference exercise's, with Adam, so the demo learns in a few epochs;
        // written first, it marks the directory as the demo's.
        ModelSpec model = ModelSpec.builder().setName("demo-lstm").setKind(ModelSpec.Kind.LSTM)
                .setInput(ModelSpec.Input.embedding(32)).setUnits(16).optOptimizer(ModelSpec.Optimizer.adam(3e-3))
                .optSeed(42L).build();
        Path specFile = new Path(root, SPEC_FILE);
        try (OutputStream os = fs.create(specFile)) {
            os.write(model.toYaml().getBytes(StandardCharsets.UTF_8));
        }
        Path corpus = new Path(root, "corpus");
        long n = SyntheticCorpusWriter.write(new SyntheticCorpusGenerator(7).corpus(trainSize, testSize), fs, corpus,
                CorpusFormat.ACLIMDB, false);
        out.printf("1/5 generated %d reviews in %s%n", n, fs.makeQualified(corpus));

        BackendWarmup.start(); // ND4J loads on the other core while Spark starts
        SparkSession session = spark.session("demo");
        PrepareConfig pc = PrepareConfig.builder().setInput(CorpusSource.of(corpus.toString()))
                .setOutput(new Path(root, "prepared").toString()).optOverwrite(true).build();
        PrepareResult prepared = new PrepareJob(pc).run(session);
        out.printf("2/5 prepared %s: %d train, %d validation, %d test, vocabulary %d (%.1f s)%n", prepared.output(),
                prepared.count("train"), prepared.count("validation"), prepared.count("test"),
                prepared.manifest().vocabularySize(), prepared.seconds());

        TrainConfig tc = TrainConfig.builder().setCorpus(prepared.output()).setModel(specFile.toString())
                .setRunDir(new Path(root, "run").toString()).optMaxEpochs(maxEpochs).optPatience(2).build();
        TrainResult trained = new TrainJob(tc).run(session);
        out.printf("3/5 trained %s: best epoch %d, val_loss %.4f, val_accuracy %.4f; stopped: %s%n    run dir %s "
                        + "(history.json, loss.png, accuracy.png, report.html, checkpoints/best)%n", model.name(),
                trained.bestEpoch(), trained.best().valLoss(), trained.best().valAccuracy(), trained.stopReason(),
                trained.runDir());

        EvaluateConfig ec = EvaluateConfig.builder().setModel(trained.finalCheckpoint())
                .setInput(CorpusSource.of(new Path(prepared.output(), "test").toString()))
                .optOutput(new Path(root, "evaluation").toString()).optRunDir(trained.runDir()).build();
        var evaluated = new EvaluateJob(ec).run(session);
        BinaryMetrics m = evaluated.metrics();
        out.printf("4/5 test accuracy %.4f, loss %.4f, F1 %.4f, ROC AUC %.4f -> %s, %s%n", m.accuracy(), m.loss(),
                m.f1(), m.rocAuc(), evaluated.output(), new Path(trained.runDir(), RunReport.HTML));

        ScoreConfig sc = ScoreConfig.builder().setModel(trained.finalCheckpoint())
                .setInput(CorpusSource.of(corpus.toString())).setOutput(new Path(root, "scored").toString()).build();
        ScoreResult scored = new ScoreJob(sc).run(session);
        out.printf("5/5 scored all %d of %d generated reviews (%d rejected) -> %s%n", scored.scored(), scored.recordsIn(),
                scored.rejected(), scored.output());
        return 0;
    }
}
