package io.reviewrnn.core.corpus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.reviewrnn.core.text.TextSpec;
import java.util.Map;

/**
 * {@code manifest.json} of a prepared corpus: what was read, how it was encoded, and what came out. Readers
 * take the {@link TextSpec} from here, so training and scoring encode text exactly as {@code prepare} did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrepareManifest(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("text") TextSpec text,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("vocabulary_size") int vocabularySize,
        @JsonProperty("distinct_train_tokens") long distinctTrainTokens,
        @JsonProperty("splits") Map<String, SplitStats> splits,
        @JsonProperty("unlabelled_skipped") long unlabelledSkipped,
        @JsonProperty("rejects") RejectStats rejects,
        @JsonProperty("stage_seconds") Map<String, Double> stageSeconds,
        @JsonProperty("environment") Map<String, String> environment) {

    public static final int FORMAT_VERSION = 1;

    /** Counts and length statistics of one split. */
    public record SplitStats(
            @JsonProperty("count") long count,
            @JsonProperty("labels") Map<String, Long> labels,
            @JsonProperty("tokens") long tokens,
            @JsonProperty("oov_tokens") long oovTokens,
            @JsonProperty("oov_rate") double oovRate,
            @JsonProperty("truncated") long truncated,
            @JsonProperty("truncated_share") double truncatedShare,
            @JsonProperty("token_count_mean") double tokenCountMean,
            @JsonProperty("token_count_percentiles") Map<String, Double> tokenCountPercentiles) {
    }

    /** Rejected input records by reason. */
    public record RejectStats(
            @JsonProperty("count") long count,
            @JsonProperty("by_reason") Map<String, Long> byReason,
            @JsonProperty("path") String path) {
    }

    /** Reads {@code manifest.json} of the prepared corpus in {@code dir}. */
    public static PrepareManifest read(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path dir)
            throws java.io.IOException {
        return io.reviewrnn.core.base.Yaml.json().readValue(io.reviewrnn.core.base.HadoopFiles.read(fs,
                new org.apache.hadoop.fs.Path(dir, PreparedLayout.MANIFEST)), PrepareManifest.class);
    }
}
