package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.train.RunReport;
import io.reviewrnn.jobs.evaluate.EvaluateJob;
import io.reviewrnn.jobs.evaluate.EvaluateResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn evaluate}: test metrics of a checkpoint, distributed on Spark. */
@Command(name = "evaluate",
        header = "Evaluates a checkpoint on labelled reviews.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates a checkpoint on labelled reviews (raw, encoded with the checkpoint's own vocabulary,",
            "or a prepared corpus with the same vocabulary): accuracy, loss, precision, recall, F1, ROC AUC and the",
            "confusion matrix; with --output writes metrics.json and roc.png."},
        footer = {"", "Example:",
            "  review-rnn evaluate --model runs/gru/checkpoints/best --input data/aclImdb.tar.gz --output runs/eval"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--config", paramLabel = "YAML", description = "Evaluate config file.")
    String configFile;

    @Mixin
    ScoringInputOptions inputOptions;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to write metrics.json and roc.png.")
    String output;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "A train run directory: its report.html gets this evaluation (metrics, confusion matrix, "
                    + "ROC curve).")
    String runDir;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    Boolean overwrite;

    EvaluateConfig config() {
        return inputOptions.apply(ConfigOverrides.from(configFile))
                .set("output", output)
                .set("run_dir", runDir)
                .set("overwrite", overwrite)
                .bind(EvaluateConfig.class, configFile == null ? "command line" : configFile);
    }

    @Override
    public Integer call() throws Exception {
        EvaluateConfig config = config();
        BackendWarmup.start(); // ND4J loads on the other core while Spark starts
        EvaluateResult r = new EvaluateJob(config).run(spark.session("evaluate"));
        var out = spec.commandLine().getOut();
        BinaryMetrics m = r.metrics();
        out.printf("evaluated %s (sha256 %s) on %d reviews of %s (%s input), %d rejected %s%n", r.modelName(),
                r.modelHash(), m.examples(), r.input(), r.inputKind(), r.rejected(), r.rejectsByReason());
        out.printf("  accuracy %.4f  loss %.4f  precision %.4f  recall %.4f  F1 %.4f  ROC AUC %.4f%n", m.accuracy(),
                m.loss(), m.precision(), m.recall(), m.f1(), m.rocAuc());
        var c = m.confusion();
        out.printf("  confusion     pred 0   pred 1%n  actual 0  %8d %8d%n  actual 1  %8d %8d%n", c.tn(), c.fp(),
                c.fn(), c.tp());
        if (r.output() != null) {
            out.printf("  -> %s/%s, %s%n", r.output(), EvaluateJob.METRICS, EvaluateJob.ROC_PNG);
        }
        if (config.runDir() != null) {
            out.printf("  -> %s%n", new org.apache.hadoop.fs.Path(config.runDir(), RunReport.HTML));
        }
        return 0;
    }
}
