package io.reviewrnn.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.inference.InferenceEngine;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Configuration of {@code score}; the input keys it shares with {@link EvaluateConfig} are {@link ScoringInput}'s.
 *
 * @param model checkpoint directory (any Hadoop FS)
 * @param input raw reviews in any format {@code prepare} reads, plus {@code text} (one review per line)
 * @param output output directory, committed atomically: {@code predictions/}, {@code rejects/}, {@code summary.json}
 *               (with {@code outputTable}, the predictions go to the table and the directory keeps the rest)
 * @param outputFormat {@code parquet} (default) or {@code csv}: the files' format, or the table's
 * @param outputTable {@code table} or {@code database.table} in the session catalog to write the predictions to,
 *                    or null for {@code output/predictions/}
 * @param partitionBy prediction columns to partition the table by (only with {@code outputTable}), or null
 * @param keepColumns input columns carried into the predictions as strings, after the prediction columns (input
 *                    with named columns: CSV, TSV, JSON Lines, Parquet), or null; the id is carried either way
 * @param expectedHash content hash the checkpoint must have, or null for any intact checkpoint
 * @param batchSize reviews per inference minibatch
 * @param maxReviewChars longer reviews are rejected, so one huge record cannot exhaust memory
 * @param partitions partitions after reading; 0 means 2 per core
 * @param progressSeconds interval of the progress log line
 * @param engine what runs inference: {@code dl4j} (default; {@code model} is a checkpoint) or {@code onnx}
 *               ({@code model} is a directory written by {@code review-rnn export --format onnx})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreConfig(
        @JsonProperty("model") String model,
        @JsonProperty("input") CorpusSource input,
        @JsonProperty("output") String output,
        @JsonProperty("output_format") String outputFormat,
        @JsonProperty("expected_hash") String expectedHash,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("max_review_chars") Integer maxReviewChars,
        @JsonProperty("partitions") Integer partitions,
        @JsonProperty("progress_seconds") Integer progressSeconds,
        @JsonProperty("overwrite") Boolean overwrite,
        @JsonProperty("engine") InferenceEngine engine,
        @JsonProperty("output_table") String outputTable,
        @JsonProperty("partition_by") List<String> partitionBy,
        @JsonProperty("keep_columns") List<String> keepColumns) implements ScoringInput, Serializable {

    /** An unquoted catalog identifier: {@code table} or {@code database.table}. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    public ScoreConfig {
        ScoringInput.checkRequired(model, input, expectedHash);
        if (output == null || output.isBlank()) {
            throw new ConfigException("output", output, "must be set");
        }
        outputFormat = outputFormat == null ? "parquet" : outputFormat.toLowerCase(Locale.ROOT);
        if (!outputFormat.equals("parquet") && !outputFormat.equals("csv")) {
            throw new ConfigException("output_format", outputFormat, "must be parquet or csv");
        }
        batchSize = ScoringInput.atLeast("batch_size", batchSize, DEFAULT_BATCH_SIZE, 1);
        maxReviewChars = ScoringInput.atLeast("max_review_chars", maxReviewChars,
                PrepareConfig.DEFAULT_MAX_REVIEW_CHARS, 1);
        partitions = ScoringInput.atLeast("partitions", partitions, 0, 0);
        progressSeconds = progressSeconds == null ? 10 : progressSeconds;
        if (progressSeconds <= 0) {
            throw new ConfigException("progress_seconds", progressSeconds, "must be > 0");
        }
        overwrite = overwrite != null && overwrite;
        engine = engine == null ? InferenceEngine.DL4J : engine;
        if (outputTable != null && !TABLE_NAME.matcher(outputTable).matches()) {
            throw new ConfigException("output_table", outputTable, "must be table or database.table (letters, digits"
                    + " and _, not starting with a digit)");
        }
        partitionBy = distinctNames("partition_by", partitionBy);
        if (partitionBy != null && outputTable == null) {
            throw new ConfigException("partition_by", String.join(",", partitionBy),
                    "needs output_table (only a table output is partitioned)");
        }
        keepColumns = distinctNames("keep_columns", keepColumns);
    }

    /** {@code names} as an immutable list, or null when absent or empty; refuses blanks and duplicates. */
    private static List<String> distinctNames(String key, List<String> names) {
        if (names == null || names.isEmpty()) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        for (String c : names) {
            if (c == null || c.isBlank() || !seen.add(c.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(key, String.join(",", names),
                        "must list distinct, non-empty column names");
            }
        }
        return List.copyOf(names);
    }

    /** The input columns to carry into the predictions; empty for none. */
    public List<String> keptColumns() {
        return keepColumns == null ? List.of() : keepColumns;
    }

    /** Defaults for everything but the paths. */
    public static ScoreConfig of(String model, CorpusSource input, String output) {
        return builder().setModel(model).setInput(input).setOutput(output).build();
    }

    /** A builder: {@code setX} for the required keys, {@code optX} for the rest; {@link Builder#build} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a config in code, DJL style: {@code setModel}, {@code setInput} and {@code setOutput} are required, every
     * {@code optX} may be left out (or given null) for its default. {@link #build} runs the same validation as a YAML
     * file, so a missing or bad value fails with a {@link ConfigException} naming its key.
     */
    public static final class Builder extends ScoringInput.Builder<Builder> {
        private String output;
        private String outputFormat;
        private Integer progressSeconds;
        private Boolean overwrite;
        private InferenceEngine engine;
        private String outputTable;
        private List<String> partitionBy;
        private List<String> keepColumns;

        private Builder() {
        }

        /** A builder holding every value of {@code c}. */
        public static Builder from(ScoreConfig c) {
            return new Builder().copy(c).setOutput(c.output).optOutputFormat(c.outputFormat)
                    .optProgressSeconds(c.progressSeconds).optOverwrite(c.overwrite).optEngine(c.engine)
                    .optOutputTable(c.outputTable).optPartitionBy(c.partitionBy).optKeepColumns(c.keepColumns);
        }

        @Override
        Builder self() {
            return this;
        }

        /** {@code output}. */
        public Builder setOutput(String output) {
            this.output = output;
            return this;
        }

        /** {@code output_format}: {@code parquet} (default) or {@code csv}. */
        public Builder optOutputFormat(String outputFormat) {
            this.outputFormat = outputFormat;
            return this;
        }

        /** {@code progress_seconds} (default 10). */
        public Builder optProgressSeconds(Integer progressSeconds) {
            this.progressSeconds = progressSeconds;
            return this;
        }

        /** {@code overwrite} (default false). */
        public Builder optOverwrite(Boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /** {@code engine} (default {@code dl4j}). */
        public Builder optEngine(InferenceEngine engine) {
            this.engine = engine;
            return this;
        }

        /** {@code output_table} (default none: {@code output/predictions/}). */
        public Builder optOutputTable(String outputTable) {
            this.outputTable = outputTable;
            return this;
        }

        /** {@code partition_by} (default none; only with {@code output_table}). */
        public Builder optPartitionBy(List<String> partitionBy) {
            this.partitionBy = partitionBy;
            return this;
        }

        /** {@code keep_columns} (default none: only the id is carried). */
        public Builder optKeepColumns(List<String> keepColumns) {
            this.keepColumns = keepColumns;
            return this;
        }

        public ScoreConfig build() {
            return new ScoreConfig(model, input, output, outputFormat, expectedHash, batchSize, maxReviewChars,
                    partitions, progressSeconds, overwrite, engine, outputTable, partitionBy, keepColumns);
        }
    }
}
