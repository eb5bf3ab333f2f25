package io.reviewrnn.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.base.ConfigException;
import java.io.Serializable;

/**
 * Configuration of {@code evaluate}.
 *
 * @param model checkpoint directory (any Hadoop FS)
 * @param input labelled raw reviews (any format {@code prepare} reads), or a prepared corpus (its {@code test}
 *              split) or one split directory of it; a prepared corpus must carry the checkpoint's vocabulary
 * @param output directory for {@code metrics.json} and {@code roc.png} (committed atomically), or null
 * @param rocPoints at most this many points on the plotted ROC curve (the AUC is always exact)
 * @param runDir a {@code train} run directory, or null: its {@code report.html} then shows this evaluation (metrics,
 *               confusion matrix, ROC curve), written as {@code evaluation.json} and {@code evaluation-roc.png}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluateConfig(
        @JsonProperty("model") String model,
        @JsonProperty("input") CorpusSource input,
        @JsonProperty("output") String output,
        @JsonProperty("expected_hash") String expectedHash,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("max_review_chars") Integer maxReviewChars,
        @JsonProperty("partitions") Integer partitions,
        @JsonProperty("roc_points") Integer rocPoints,
        @JsonProperty("overwrite") Boolean overwrite,
        @JsonProperty("run_dir") String runDir) implements ScoringInput, Serializable {

    public EvaluateConfig {
        ScoringInput.checkRequired(model, input, expectedHash);
        batchSize = ScoringInput.atLeast("batch_size", batchSize, DEFAULT_EVALUATE_BATCH_SIZE, 1);
        maxReviewChars = ScoringInput.atLeast("max_review_chars", maxReviewChars,
                PrepareConfig.DEFAULT_MAX_REVIEW_CHARS, 1);
        partitions = ScoringInput.atLeast("partitions", partitions, 0, 0);
        rocPoints = rocPoints == null ? 1000 : rocPoints;
        if (rocPoints < 2) {
            throw new ConfigException("roc_points", rocPoints, "must be >= 2");
        }
        overwrite = overwrite != null && overwrite;
    }

    /** Defaults for everything but the paths; {@code output} may be null. */
    public static EvaluateConfig of(String model, CorpusSource input, String output) {
        return builder().setModel(model).setInput(input).optOutput(output).build();
    }

    /** A builder: {@code setX} for the required keys, {@code optX} for the rest; {@link Builder#build} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a config in code, DJL style: {@code setModel} and {@code setInput} are required, every {@code optX} may
     * be left out (or given null) for its default. {@link #build} runs the same validation as a YAML file, so a
     * missing or bad value fails with a {@link ConfigException} naming its key.
     */
    public static final class Builder extends ScoringInput.Builder<Builder> {
        private String output;
        private Integer rocPoints;
        private Boolean overwrite;
        private String runDir;

        private Builder() {
        }

        /** A builder holding every value of {@code c}. */
        public static Builder from(EvaluateConfig c) {
            return new Builder().copy(c).optOutput(c.output).optRocPoints(c.rocPoints).optOverwrite(c.overwrite)
                    .optRunDir(c.runDir);
        }

        @Override
        Builder self() {
            return this;
        }

        /** {@code output} (default none: the metrics are only returned and logged). */
        public Builder optOutput(String output) {
            this.output = output;
            return this;
        }

        /** {@code roc_points} (default 1000). */
        public Builder optRocPoints(Integer rocPoints) {
            this.rocPoints = rocPoints;
            return this;
        }

        /** {@code overwrite} (default false). */
        public Builder optOverwrite(Boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /** {@code run_dir} (default none): the {@code train} run whose report shows this evaluation. */
        public Builder optRunDir(String runDir) {
            this.runDir = runDir;
            return this;
        }

        public EvaluateConfig build() {
            return new EvaluateConfig(model, input, output, expectedHash, batchSize, maxReviewChars, partitions,
                    rocPoints, overwrite, runDir);
        }
    }
}
