package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.config.SimpleName;
import io.reviewrnn.core.retrain.RetrainResult;
import io.reviewrnn.core.retrain.Retrainer;
import io.reviewrnn.jobs.retrain.SparkRetrainStages;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code review-rnn retrain}: prepare a fresh corpus, train a challenger, evaluate challenger and champion on the
 * same held-out reviews, promote only a better challenger. Exit code 0 promoted, 3 not promoted, 1 failed.
 */
@Command(name = "retrain",
        header = "Retrains on fresh data and promotes the challenger only if it beats the champion.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scheduled retraining: prepare, train a challenger, evaluate it and the champion on the same "
                + "held-out reviews, and promote it in the registry only if it is better. Exit code 0 promoted, "
                + "3 not promoted (recorded as rejected with the reason), 1 failed (the registry is unchanged).")
public final class RetrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--config", required = true, paramLabel = "YAML",
            description = "Retrain config, e.g. conf/retrain.yaml (see conf/README.md).")
    String configFile;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Name of this run under work_dir: a letter or digit, then letters, digits, '_', '.', '-' "
                    + "(default: the UTC time, e.g. 20261130T101500Z).")
    String runId;

    @Override
    public Integer call() throws Exception {
        RetrainConfig config = ConfigOverrides.from(configFile).bind(RetrainConfig.class, configFile);
        String id = runId != null ? SimpleName.require("--run-id", runId)
                : DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        BackendWarmup.start(); // ND4J loads on the other core while Spark starts
        SparkSession session = spark.session("retrain");
        RetrainResult r = new Retrainer(config, new SparkRetrainStages(session),
                session.sparkContext().hadoopConfiguration()).run(id);
        var out = spec.commandLine().getOut();
        out.printf("retrain %s: %s (version v%d; champion v%s -> v%d) in %.1f s%n", r.runId(), r.outcome(),
                r.version(), r.championBefore() == null ? "-" : r.championBefore(), r.championAfter(), r.seconds());
        out.printf("  %s%n  challenger %s%n  champion   %s%n", r.decision(), r.challengerMetrics(),
                r.championMetrics() == null ? "-" : r.championMetrics());
        return r.outcome().exitCode();
    }
}
