package io.reviewrnn.jobs.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.experiments.ExperimentRow;
import java.util.List;

/**
 * What {@code experiments} did.
 *
 * @param trained models trained (or resumed, or only evaluated) in this invocation
 * @param skipped models that were already done
 * @param rows every row of the report, including other experiments under the same output
 * @param report the report folder ({@code report.md}, {@code report.html}, PNGs)
 */
public record ExperimentsResult(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("prepared") String prepared,
        @JsonProperty("trained") List<String> trained,
        @JsonProperty("skipped") List<String> skipped,
        @JsonProperty("rows") List<ExperimentRow> rows,
        @JsonProperty("report") String report,
        @JsonProperty("seconds") double seconds) {
}
