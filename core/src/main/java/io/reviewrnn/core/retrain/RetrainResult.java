package io.reviewrnn.core.retrain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What a retrain run did; written to {@code <work_dir>/<run-id>/result.json} and printed by the CLI.
 *
 * @param runId the run
 * @param outcome promoted or not promoted (failed runs throw instead)
 * @param version the challenger's registry version
 * @param championBefore the champion when the run compared, or null
 * @param championAfter the champion when the run ended
 * @param decision the policy's decision and reason
 * @param challengerMetrics the challenger's test metrics
 * @param championMetrics the champion's test metrics on the same test set, or null
 * @param pruned versions deleted by retention
 * @param seconds wall time of the run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrainResult(
        @JsonProperty("run_id") String runId,
        @JsonProperty("outcome") RetrainOutcome outcome,
        @JsonProperty("version") int version,
        @JsonProperty("champion_before") Integer championBefore,
        @JsonProperty("champion_after") int championAfter,
        @JsonProperty("decision") PromotionDecision decision,
        @JsonProperty("challenger_metrics") Map<String, Double> challengerMetrics,
        @JsonProperty("champion_metrics") Map<String, Double> championMetrics,
        @JsonProperty("pruned") java.util.List<Integer> pruned,
        @JsonProperty("seconds") double seconds) {
}
