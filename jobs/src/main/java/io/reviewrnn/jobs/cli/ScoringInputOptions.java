package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.corpus.CorpusFormat;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options {@code score} and {@code evaluate} share: the checkpoint (a directory, or a registry version with
 * {@code --registry}), the raw input and how to read it, and how inference runs. {@link #apply} sets their config
 * keys, which {@code ScoreConfig} and {@code EvaluateConfig} name alike.
 */
public final class ScoringInputOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "CHECKPOINT",
            description = "Checkpoint directory, or champion/previous/vN with --registry (key model); with score "
                    + "--engine onnx an export directory.")
    String model;

    @Mixin
    ModelReference modelReference;

    @Option(names = {"-i", "--input"}, paramLabel = "PATH", description = "Reviews to read (key input.path).")
    String input;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "auto, aclimdb, csv, tsv, jsonl, parquet, text (default: guessed from the path).")
    String format;

    @Option(names = "--text-column", paramLabel = "NAME", description = "Text column (default: review, else text).")
    String textColumn;

    @Option(names = "--label-column", paramLabel = "NAME", description = "Label column (sentiment, else label).")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "NAME", description = "Id column (default: id if present).")
    String idColumn;

    @Option(names = "--labels", paramLabel = "VALUE=CLASS", split = ",", description = "Label mapping.")
    Map<String, Integer> labels;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--expected-hash", paramLabel = "SHA256",
            description = "Refuse the checkpoint unless its content hash is this one (key expected_hash).")
    String expectedHash;

    @Option(names = "--expect-hash", hidden = true, paramLabel = "SHA256")
    void deprecatedExpectHash(String v) {
        DeprecatedOption.warn(spec, "--expect-hash", "--expected-hash", null);
        expectedHash = v;
    }

    @Option(names = "--batch-size", paramLabel = "N", description = "Reviews per network call (score 256, evaluate 1024).")
    Integer batchSize;

    @Option(names = "--max-review-chars", paramLabel = "N", description = "Longer reviews are rejected (1000000).")
    Integer maxReviewChars;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions after reading (default 2 per core).")
    Integer partitions;

    /** Sets the keys of the options given on the command line. */
    ConfigOverrides apply(ConfigOverrides c) {
        return apply(c, true);
    }

    /** As {@link #apply(ConfigOverrides)}; {@code resolveModel} false takes {@code --model} as a path as it is. */
    ConfigOverrides apply(ConfigOverrides c, boolean resolveModel) {
        return c.set("model", resolveModel ? modelReference.checkpoint(model) : model)
                .set("input.path", input)
                .set("input.format", format == null ? null : CorpusFormat.parse(format))
                .set("input.text_column", textColumn)
                .set("input.label_column", labelColumn)
                .set("input.id_column", idColumn)
                .set("input.labels", labels)
                .set("expected_hash", expectedHash)
                .set("batch_size", batchSize)
                .set("max_review_chars", maxReviewChars)
                .set("partitions", partitions);
    }
}
