package io.reviewrnn.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.text.TextSpec;
import java.io.Serializable;

/**
 * Configuration of the {@code prepare} job: which corpus to read, how to encode it, and where to write it.
 *
 * @param input the corpus; its test part (aclImdb {@code test/}, or rows whose split column says {@code test})
 *              becomes the test split
 * @param testInput optional separate test corpus, for formats with no split of their own
 * @param output directory of the prepared corpus (see {@code PreparedLayout})
 * @param validationSplit share of the training part held out for validation, per label, chosen by a seeded hash
 * @param testSplit for input without a test part and without {@code test_input}: share of the training part held
 *                  out as the test split (per label, by the same seeded hash, before the validation reviews); 0 (the
 *                  default) leaves the test split empty, with a warning
 * @param onBadRecord {@code fail} stops at the first unusable record; {@code skip} writes it to {@code rejects/}
 * @param maxReviewChars longer reviews are bad records, so one huge record cannot exhaust memory
 * @param partitions partitions for the work after reading; 0 means 2 per core
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrepareConfig(
        @JsonProperty("input") CorpusSource input,
        @JsonProperty("test_input") CorpusSource testInput,
        @JsonProperty("output") String output,
        @JsonProperty("text") TextSpec text,
        @JsonProperty("validation_split") Double validationSplit,
        @JsonProperty("seed") Long seed,
        @JsonProperty("on_bad_record") BadRecordPolicy onBadRecord,
        @JsonProperty("max_review_chars") Integer maxReviewChars,
        @JsonProperty("overwrite") Boolean overwrite,
        @JsonProperty("partitions") Integer partitions,
        @JsonProperty("test_split") Double testSplit) implements Serializable {

    public static final int DEFAULT_MAX_REVIEW_CHARS = 1_000_000;

    public PrepareConfig {
        if (input == null) {
            throw new ConfigException("input", null, "must be set");
        }
        if (output == null || output.isBlank()) {
            throw new ConfigException("output", output, "must be set");
        }
        if (text == null) {
            text = TextSpec.defaults();
        }
        validationSplit = validationSplit == null ? 0.2 : validationSplit;
        seed = seed == null ? 42L : seed;
        maxReviewChars = maxReviewChars == null ? DEFAULT_MAX_REVIEW_CHARS : maxReviewChars;
        overwrite = overwrite != null && overwrite;
        partitions = partitions == null ? 0 : partitions;
        if (!(validationSplit >= 0.0 && validationSplit < 1.0)) {
            throw new ConfigException("validation_split", validationSplit, "must be in [0, 1)");
        }
        testSplit = testSplit == null ? 0.0 : testSplit;
        if (!(testSplit >= 0.0 && testSplit + validationSplit < 1.0)) {
            throw new ConfigException("test_split", testSplit, "must be >= 0 with test_split + validation_split < 1"
                    + " (validation_split is " + validationSplit + ")");
        }
        if (testSplit > 0 && testInput != null) {
            throw new ConfigException("test_split", testSplit, "must not be set with test_input (the test split is"
                    + " test_input's reviews)");
        }
        if (onBadRecord == null) {
            onBadRecord = BadRecordPolicy.FAIL;
        }
        if (maxReviewChars <= 0) {
            throw new ConfigException("max_review_chars", maxReviewChars, "must be > 0");
        }
        if (partitions < 0) {
            throw new ConfigException("partitions", partitions, "must be >= 0");
        }
    }

    /** Defaults of the reference exercise: 20% validation, seed 42, fail on bad records. */
    public static PrepareConfig of(CorpusSource input, String output) {
        return builder().setInput(input).setOutput(output).build();
    }

    /** A builder: {@code setX} for the required keys, {@code optX} for the rest; {@link Builder#build} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a config in code, DJL style: {@code setInput} and {@code setOutput} are required, every {@code optX} may
     * be left out (or given null) for its default. {@link #build} runs the same validation as a YAML file, so a
     * missing or bad value fails with a {@link ConfigException} naming its key.
     */
    public static final class Builder {
        private CorpusSource input;
        private CorpusSource testInput;
        private String output;
        private TextSpec text;
        private Double validationSplit;
        private Long seed;
        private BadRecordPolicy onBadRecord;
        private Integer maxReviewChars;
        private Boolean overwrite;
        private Integer partitions;
        private Double testSplit;

        private Builder() {
        }

        /** A builder holding every value of {@code c}. */
        public static Builder from(PrepareConfig c) {
            return new Builder().setInput(c.input).optTestInput(c.testInput).setOutput(c.output).optText(c.text)
                    .optValidationSplit(c.validationSplit).optSeed(c.seed).optOnBadRecord(c.onBadRecord)
                    .optMaxReviewChars(c.maxReviewChars).optOverwrite(c.overwrite).optPartitions(c.partitions)
                    .optTestSplit(c.testSplit);
        }

        /** {@code input}. */
        public Builder setInput(CorpusSource input) {
            this.input = input;
            return this;
        }

        /** {@code output}. */
        public Builder setOutput(String output) {
            this.output = output;
            return this;
        }

        /** {@code test_input} (default none). */
        public Builder optTestInput(CorpusSource testInput) {
            this.testInput = testInput;
            return this;
        }

        /** {@code text} (default {@link TextSpec#defaults()}). */
        public Builder optText(TextSpec text) {
            this.text = text;
            return this;
        }

        /** {@code validation_split} (default 0.2). */
        public Builder optValidationSplit(Double validationSplit) {
            this.validationSplit = validationSplit;
            return this;
        }

        /** {@code seed} (default 42). */
        public Builder optSeed(Long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code on_bad_record} (default fail). */
        public Builder optOnBadRecord(BadRecordPolicy onBadRecord) {
            this.onBadRecord = onBadRecord;
            return this;
        }

        /** {@code max_review_chars} (default {@value PrepareConfig#DEFAULT_MAX_REVIEW_CHARS}). */
        public Builder optMaxReviewChars(Integer maxReviewChars) {
            this.maxReviewChars = maxReviewChars;
            return this;
        }

        /** {@code overwrite} (default false). */
        public Builder optOverwrite(Boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /** {@code partitions} (default 0: 2 per core). */
        public Builder optPartitions(Integer partitions) {
            this.partitions = partitions;
            return this;
        }

        /** {@code test_split} (default 0). */
        public Builder optTestSplit(Double testSplit) {
            this.testSplit = testSplit;
            return this;
        }

        public PrepareConfig build() {
            return new PrepareConfig(input, testInput, output, text, validationSplit, seed, onBadRecord,
                    maxReviewChars, overwrite, partitions, testSplit);
        }
    }
}
