package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.config.ExperimentsConfig;
import io.reviewrnn.core.experiments.ExperimentRow;
import io.reviewrnn.jobs.experiments.ExperimentsJob;
import io.reviewrnn.jobs.experiments.ExperimentsResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn experiments}: the reference exercise end to end, with a comparison report. */
@Command(name = "experiments",
        header = "Trains, evaluates and compares several model specs on one corpus.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prepares a corpus once, trains every model spec the config lists (checkpoints, early "
                + "stopping), evaluates each best model on the test split and writes <output>/report/ (report.md, "
                + "report.html, learning curves, a validation-loss overlay). Rerun the same command to resume: "
                + "finished models are skipped and an interrupted one continues from its last checkpoint.",
        footer = {"", "Examples:",
            "  review-rnn experiments --config conf/experiments/reference.yaml --input aclImdb-labeled.tar.gz",
            "  review-rnn experiments --config conf/experiments/reference.yaml --input data/aclImdb --only lstm,gru",
            "  review-rnn experiments --config conf/experiments/tuned.yaml --input data/aclImdb   # same report"})
public final class ExperimentsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--config", required = true, paramLabel = "YAML",
            description = "Experiments config, e.g. conf/experiments/reference.yaml.")
    String configFile;

    @Option(names = {"-i", "--input"}, paramLabel = "PATH",
            description = "Raw corpus (aclImdb dir or .tar.gz, CSV, JSON Lines, Parquet); overrides the config's "
                    + "corpus.")
    String corpus;

    @Option(names = "--corpus", hidden = true, paramLabel = "PATH")
    void deprecatedCorpus(String v) {
        DeprecatedOption.warn(spec, "--corpus", "--input", "--corpus names a prepared corpus in train");
        corpus = v;
    }

    @Option(names = "--output", paramLabel = "DIR",
            description = "Root of all experiments and of report/ (overrides the config's output).")
    String output;

    @Option(names = "--only", split = ",", paramLabel = "MODEL",
            description = "Run only these models (spec file names without .yaml), e.g. --only lstm,gru.")
    List<String> only = new ArrayList<>();

    @Option(names = "--max-epochs", paramLabel = "N", description = "Override train.max_epochs (quick runs).")
    Integer maxEpochs;

    ExperimentsJob job() {
        ConfigOverrides o = ConfigOverrides.from(configFile);
        o.set(o.isObject("corpus") ? "corpus.path" : "corpus", corpus)
                .set("output", output)
                .set("train.max_epochs", maxEpochs);
        return new ExperimentsJob(o.bind(ExperimentsConfig.class, configFile), only);
    }

    @Override
    public Integer call() throws Exception {
        BackendWarmup.start(); // ND4J loads on the other core while Spark starts
        ExperimentsResult r = job().run(spark.session("experiments"));
        var out = spec.commandLine().getOut();
        out.printf("experiments %s: %d models run, %d already done, in %.0f s%n", r.experiment(), r.trained().size(),
                r.skipped().size(), r.seconds());
        out.printf("%-12s %-22s %7s %6s %5s %9s %8s %8s%n", "experiment", "model", "params", "epochs", "best",
                "val_loss", "val_acc", "test_acc");
        for (ExperimentRow row : r.rows()) {
            out.printf("%-12s %-22s %7d %6d %5d %9.4f %8.4f %8.4f%n", row.experiment(), row.model(), row.parameters(),
                    row.epochs(), row.bestEpoch(), row.bestValLoss(), row.bestValAccuracy(), row.testAccuracy());
        }
        out.printf("report: %s/report.md and report.html%n", r.report());
        return 0;
    }
}
