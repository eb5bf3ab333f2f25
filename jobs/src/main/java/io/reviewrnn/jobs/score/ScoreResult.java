package io.reviewrnn.jobs.score;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What {@code score} produced; also written as {@code summary.json} next to the predictions.
 *
 * @param recordsIn records read from the input, counted by the tasks whose output was committed
 * @param scored rows in {@code predictions/}
 * @param rejected rows in {@code rejects/}; {@code recordsIn == scored + rejected} is asserted by the job
 * @param rejectsByReason rejected rows by the first words of their reason
 * @param drift OOV and truncation rates of the scored set next to the training corpus's
 * @param keptColumnsWithoutValues kept columns ({@code keep_columns}) that are null in every prediction (e.g. a key
 *                                 no JSON Lines record has), or null when there are none or nothing was scored
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
        @JsonProperty("records_per_second") double recordsPerSecond,
        @JsonProperty("kept_columns_without_values") List<String> keptColumnsWithoutValues) {
}
