package io.reviewrnn.jobs.evaluate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.jobs.score.Drift;
import java.util.Map;

/**
 * What {@code evaluate} measured; written as {@code metrics.json} when an output directory is given.
 *
 * @param inputKind {@code raw} (encoded with the checkpoint's vocabulary and text spec) or {@code prepared}
 * @param recordsIn records read; {@code recordsIn == metrics.examples + rejected}
 * @param rejected records not evaluated (bad or unlabelled), by reason in {@code rejectsByReason}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluateResult(
        @JsonProperty("model") String model,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("model_sha256") String modelHash,
        @JsonProperty("input") String input,
        @JsonProperty("input_kind") String inputKind,
        @JsonProperty("records_in") long recordsIn,
        @JsonProperty("rejected") long rejected,
        @JsonProperty("rejects_by_reason") Map<String, Long> rejectsByReason,
        @JsonProperty("metrics") BinaryMetrics metrics,
        @JsonProperty("drift") Drift drift,
        @JsonProperty("output") String output,
        @JsonProperty("seconds") double seconds) {
}
