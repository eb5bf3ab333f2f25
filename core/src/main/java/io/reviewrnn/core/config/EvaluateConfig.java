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
        batchSize = ScoringInput.atLeast("batch_size", batchSize, DEFAULT_BATCH_SIZE, 1);
        maxReviewChars = ScoringInput.atLeast("max_review_chars", maxReviewChars,
                PrepareConfig.DEFAULT_MAX_REVIEW_CHARS, 1);
        partitions = ScoringInput.atLeast("partitions", partitions, 0, 0);
        rocPoints = rocPoints == null ? 1000 : rocPoints;
        if (rocPoints < 2) {
            throw new ConfigException("roc_points", rocPoints, "must be >= 2");
        }
        overwrite = overwrite != null && overwrite;
    }

    public static EvaluateConfig of(String model, CorpusSource input, String output) {
        return new EvaluateConfig(model, input, output, null, null, null, null, null, null, null);
    }
}
