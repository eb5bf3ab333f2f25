package io.reviewrnn.core.config;

import io.reviewrnn.core.base.ConfigException;

/**
 * What the configs of {@code score} and {@code evaluate} share, under the same keys: the checkpoint and the hash it
 * must have, the raw input and how inference reads it. The static checks are the one copy of their validation.
 */
public interface ScoringInput {
    /** {@code score}'s reviews per network call: its output rows are held per minibatch too. */
    int DEFAULT_BATCH_SIZE = 256;
    /**
     * {@code evaluate}'s: it keeps nothing per review but its score, and a quarter of the network calls saved 8 % of
     * its job time on IMDB's test split (docs/BENCHMARKS.md).
     */
    int DEFAULT_EVALUATE_BATCH_SIZE = 1024;

    String model();

    CorpusSource input();

    String expectedHash();

    Integer batchSize();

    Integer maxReviewChars();

    Integer partitions();

    /** Checks the required keys and the hash's form. */
    static void checkRequired(String model, CorpusSource input, String expectedHash) {
        if (model == null || model.isBlank()) {
            throw new ConfigException("model", model, "must be set");
        }
        if (input == null) {
            throw new ConfigException("input", null, "must be set");
        }
        if (expectedHash != null && !expectedHash.matches("[0-9a-fA-F]{64}")) {
            throw new ConfigException("expected_hash", expectedHash, "must be 64 hex digits");
        }
    }

    /**
     * What the builders of {@link ScoreConfig} and {@link EvaluateConfig} share, DJL style: {@code setModel} and
     * {@code setInput} are required, every {@code optX} may be left out (or given null) for its default. The
     * record's {@code build()} runs the same validation as a YAML file, so a missing or bad value fails with a
     * {@link ConfigException} naming its key.
     *
     * @param <B> the config's own builder, which every setter returns
     */
    abstract class Builder<B extends Builder<B>> {
        String model;
        CorpusSource input;
        String expectedHash;
        Integer batchSize;
        Integer maxReviewChars;
        Integer partitions;

        Builder() {
        }

        abstract B self();

        /** Takes the shared values of {@code c}. */
        B copy(ScoringInput c) {
            return setModel(c.model()).setInput(c.input()).optExpectedHash(c.expectedHash())
                    .optBatchSize(c.batchSize()).optMaxReviewChars(c.maxReviewChars()).optPartitions(c.partitions());
        }

        /** {@code model}: a checkpoint directory (any Hadoop FS). */
        public B setModel(String model) {
            this.model = model;
            return self();
        }

        /** {@code input}. */
        public B setInput(CorpusSource input) {
            this.input = input;
            return self();
        }

        /** {@code expected_hash} (default none: any intact checkpoint). */
        public B optExpectedHash(String expectedHash) {
            this.expectedHash = expectedHash;
            return self();
        }

        /** {@code batch_size} (default {@value ScoringInput#DEFAULT_BATCH_SIZE}). */
        public B optBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
            return self();
        }

        /** {@code max_review_chars} (default {@value PrepareConfig#DEFAULT_MAX_REVIEW_CHARS}). */
        public B optMaxReviewChars(Integer maxReviewChars) {
            this.maxReviewChars = maxReviewChars;
            return self();
        }

        /** {@code partitions} (default 0: 2 per core). */
        public B optPartitions(Integer partitions) {
            this.partitions = partitions;
            return self();
        }
    }

    /** {@code value}, or {@code dflt} when null; must be at least {@code min}. */
    static int atLeast(String key, Integer value, int dflt, int min) {
        int v = value == null ? dflt : value;
        if (v < min) {
            throw new ConfigException(key, v, min == 1 ? "must be > 0" : "must be >= " + min);
        }
        return v;
    }
}
