package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.jobs.score.ScoreJob;
import io.reviewrnn.jobs.score.ScoreResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn score}: batch scoring of raw reviews with a checkpoint, on Spark. */
@Command(name = "score",
        header = "Scores raw reviews with a checkpoint, at scale.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores raw reviews (labelled or not; aclImdb, CSV/TSV, JSONL, Parquet, or text with one review",
            "per line) with a checkpoint: writes id, probability, predicted label, model and content hash, token",
            "count and truncation flag as Parquet or CSV (files or a catalog table), and every unusable record with",
            "its reason to rejects/."},
        footer = {"", "Example:",
            "  review-rnn score --model runs/gru/checkpoints/best --input new-reviews.csv --output runs/scored"})
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--config", paramLabel = "YAML", description = "Score config file (local, file:// or hdfs://).")
    String configFile;

    @Mixin
    ScoringInputOptions inputOptions;

    @Option(names = "--engine", paramLabel = "dl4j|onnx",
            description = "Inference engine (key engine): dl4j (default) runs the checkpoint's network, onnx runs an "
                    + "exported model.onnx in ONNX Runtime (--model is then an export directory).")
    String engine;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output directory.")
    String output;

    @Option(names = "--output-format", paramLabel = "parquet|csv", description = "Predictions format (parquet).")
    String outputFormat;

    @Option(names = "--output-table", paramLabel = "[DB.]TABLE", description = {"Write the predictions to this table"
        + " of the session catalog (Hive metastore with Hive support) instead of DIR/predictions;",
        "rejects and summary.json stay in the output directory."})
    String outputTable;

    @Option(names = "--partition-by", paramLabel = "COL", split = ",", description = "Partition the output table by"
            + " these prediction or kept columns (comma-separated; needs --output-table).")
    List<String> partitionBy;

    @Option(names = "--keep-columns", paramLabel = "COL", split = ",", description = {"Input columns to carry into"
        + " the predictions as strings, after their own columns (comma-separated; key keep_columns;",
        "CSV, TSV, JSON Lines or Parquet input). The id is always carried."})
    List<String> keepColumns;

    @Option(names = "--progress-seconds", paramLabel = "N", description = "Interval of progress lines (10).")
    Integer progressSeconds;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    Boolean overwrite;

    ScoreConfig config() {
        // an export directory is not a registry version
        boolean onnx = "onnx".equalsIgnoreCase(engine == null ? "" : engine.trim());
        return inputOptions.apply(ConfigOverrides.from(configFile), !onnx)
                .set("output", output)
                .set("output_format", outputFormat)
                .set("output_table", outputTable)
                .set("partition_by", partitionBy)
                .set("keep_columns", keepColumns)
                .set("progress_seconds", progressSeconds)
                .set("overwrite", overwrite)
                .set("engine", engine)
                .bind(ScoreConfig.class, configFile == null ? "command line" : configFile);
    }

    @Override
    public Integer call() throws Exception {
        ScoreConfig config = config();
        BackendWarmup.start(); // ND4J loads on the other core while Spark starts
        ScoreResult r = new ScoreJob(config).run(spark.session("score"));
        var out = spec.commandLine().getOut();
        out.printf("scored %d of %d records in %.1f s (%.0f records/s) -> %s%n", r.scored(), r.recordsIn(),
                r.seconds(), r.recordsPerSecond(), r.predictions());
        out.printf("  model %s  sha256 %s  engine %s%n", r.modelName(), r.modelHash(), config.engine().key());
        out.printf("  predicted positive %d (%.1f%%)%n", r.predictedPositive(),
                r.scored() == 0 ? 0 : 100.0 * r.predictedPositive() / r.scored());
        if (r.drift() != null) {
            var d = r.drift();
            out.printf("  OOV rate %s (training %s)  truncated %s (training %s)  mean tokens %.1f%n",
                    pct(d.oovRate()), pct(d.trainOovRate()), pct(d.truncatedRate()), pct(d.trainTruncatedRate()),
                    d.meanTokens());
        }
        out.printf("  rejected %d %s -> %s%n", r.rejected(), r.rejectsByReason(), r.rejects());
        return 0;
    }

    static String pct(Double v) {
        return v == null ? "n/a" : String.format("%.2f%%", 100 * v);
    }
}
