package io.reviewrnn.jobs.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What {@code score} produced; also written as {@code summary.json} next to the predictions.
 *
 * @param recordsIn records read from the input (an independent pass over it)
 * @param scored rows in {@code predictions/}
 * @param rejected rows in {@code rejects/}; {@code recordsIn == scored + rejected} is asserted by the job
 * @param rejectsByReason rejected rows by the first words of their reason
 * @param drift OOV and truncation rates of the scored set next to the training corpus's
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreResult(
        @JsonProperty("output") String output,
        @JsonProperty("predictions") String predictions,
        @JsonProperty("rejects") String rejects,
        @JsonProperty("model") String model,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("model_sha256") String modelHash,
        @JsonProperty("records_in") long recordsIn,
        @JsonProperty("scored") long scored,
        @JsonProperty("rejected") long rejected,
        @JsonProperty("rejects_by_reason") Map<String, Long> rejectsByReason,
        @JsonProperty("predicted_positive") long predictedPositive,
        @JsonProperty("drift") Drift drift,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("records_per_second") double recordsPerSecond) {

    /**
     * OOV and truncation of the scored reviews against the training split the model was trained on (null when
     * the training corpus manifest is not readable). Rates: OOV tokens / tokens, truncated reviews / reviews.
     *
     * <p>{@link #warnings()} names every shift past the documented thresholds (docs/SCORING.md): an OOV rate more
     * than {@link #OOV_FACTOR} times the training rate and at least {@link #OOV_POINTS} above it, a truncated share
     * {@link #TRUNCATED_POINTS} above, a mean review length more than {@link #LENGTH_FACTOR} times longer or
     * shorter.
     */
    public record Drift(
            @JsonProperty("oov_rate") double oovRate,
            @JsonProperty("truncated_rate") double truncatedRate,
            @JsonProperty("mean_tokens") double meanTokens,
            @JsonProperty("train_oov_rate") Double trainOovRate,
            @JsonProperty("train_truncated_rate") Double trainTruncatedRate,
            @JsonProperty("train_mean_tokens") Double trainMeanTokens) {
        public static final double OOV_FACTOR = 2.0;
        public static final double OOV_POINTS = 0.05;
        public static final double TRUNCATED_POINTS = 0.20;
        public static final double LENGTH_FACTOR = 2.0;

        /** The shifts past the thresholds, each as one phrase; empty when there are none or no training figures. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public java.util.List<String> warnings() {
            java.util.List<String> w = new java.util.ArrayList<>();
            if (trainOovRate != null && oovRate > OOV_FACTOR * trainOovRate && oovRate - trainOovRate >= OOV_POINTS) {
                w.add(String.format(java.util.Locale.ROOT, "OOV rate %.1f%% vs %.1f%% in training", 100 * oovRate,
                        100 * trainOovRate));
            }
            if (trainTruncatedRate != null && truncatedRate - trainTruncatedRate >= TRUNCATED_POINTS) {
                w.add(String.format(java.util.Locale.ROOT, "%.1f%% of reviews truncated vs %.1f%% in training",
                        100 * truncatedRate, 100 * trainTruncatedRate));
            }
            if (trainMeanTokens != null && trainMeanTokens > 0 && meanTokens > 0
                    && Math.max(meanTokens / trainMeanTokens, trainMeanTokens / meanTokens) > LENGTH_FACTOR) {
                w.add(String.format(java.util.Locale.ROOT, "mean length %.1f tokens vs %.1f in training (%.1fx)",
                        meanTokens, trainMeanTokens, meanTokens / trainMeanTokens));
            }
            return w;
        }
    }
}
