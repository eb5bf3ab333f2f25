package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.jobs.score.ScoreJob;
import io.reviewrnn.jobs.score.ScoreResult;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn score}: batch scoring of raw reviews with a checkpoint, on Spark. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores raw reviews (labelled or not; aclImdb, CSV/TSV, JSONL, Parquet, or text with one review",
            "per line) with a checkpoint: writes id, probability, predicted label, model and content hash, token",
            "count and truncation flag as Parquet or CSV, and every unusable record with its reason to rejects/."},
        footer = {"", "Example:",
            "  review-rnn score --model runs/gru/checkpoints/best --input new-reviews.csv --output runs/scored"})
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--config", paramLabel = "YAML", description = "Score config file (local, file:// or hdfs://).")
    String configFile;

    @Option(names = {"-m", "--model"}, paramLabel = "CHECKPOINT", description = "Checkpoint directory, or champion/previous/vN with --registry (key model).")
    String model;

    @picocli.CommandLine.Mixin
    ModelReference modelReference;

    @Option(names = {"-i", "--input"}, paramLabel = "PATH", description = "Reviews to score (key input.path).")
    String input;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "auto, aclimdb, csv, tsv, jsonl, parquet, text (default: guessed from the path).")
    String format;

    @Option(names = "--text-column", paramLabel = "NAME", description = "Text column (default: review, else text).")
    String textColumn;

    @Option(names = "--label-column", paramLabel = "NAME", description = "Label column, if any.")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "NAME", description = "Id column (default: id if present).")
    String idColumn;

    @Option(names = "--labels", paramLabel = "VALUE=CLASS", split = ",", description = "Label mapping.")
    Map<String, Integer> labels;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output directory.")
    String output;

    @Option(names = "--output-format", paramLabel = "parquet|csv", description = "Predictions format (parquet).")
    String outputFormat;

    @Option(names = "--expect-hash", paramLabel = "SHA256",
            description = "Refuse the checkpoint unless its content hash is this one.")
    String expectedHash;

    @Option(names = "--batch-size", paramLabel = "N", description = "Reviews per network call (256).")
    Integer batchSize;

    @Option(names = "--max-review-chars", paramLabel = "N", description = "Longer reviews are rejected (1000000).")
    Integer maxReviewChars;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions after reading (default 2 per core).")
    Integer partitions;

    @Option(names = "--progress-seconds", paramLabel = "N", description = "Interval of progress lines (10).")
    Integer progressSeconds;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    Boolean overwrite;

    ScoreConfig config() {
        return ConfigOverrides.from(configFile)
                .set("model", modelReference.checkpoint(model))
                .set("input.path", input)
                .set("input.format", format == null ? null : CorpusFormat.parse(format))
                .set("input.text_column", textColumn)
                .set("input.label_column", labelColumn)
                .set("input.id_column", idColumn)
                .set("input.labels", labels)
                .set("output", output)
                .set("output_format", outputFormat)
                .set("expected_hash", expectedHash)
                .set("batch_size", batchSize)
                .set("max_review_chars", maxReviewChars)
                .set("partitions", partitions)
                .set("progress_seconds", progressSeconds)
                .set("overwrite", overwrite)
                .bind(ScoreConfig.class, configFile == null ? "command line" : configFile);
    }

    @Override
    public Integer call() throws Exception {
        ScoreResult r = new ScoreJob(config()).run(spark.session("score"));
        var out = spec.commandLine().getOut();
        out.printf("scored %d of %d records in %.1f s (%.0f records/s) -> %s%n", r.scored(), r.recordsIn(),
                r.seconds(), r.recordsPerSecond(), r.predictions());
        out.printf("  model %s  sha256 %s%n", r.modelName(), r.modelHash());
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
