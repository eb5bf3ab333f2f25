package io.reviewrnn.core.config;

import io.reviewrnn.core.base.ConfigException;

/**
 * What the configs of {@code score} and {@code evaluate} share, under the same keys: the checkpoint and the hash it
 * must have, the raw input and how inference reads it. The static checks are the one copy of their validation.
 */
public interface ScoringInput {
    int DEFAULT_BATCH_SIZE = 256;

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

    /** {@code value}, or {@code dflt} when null; must be at least {@code min}. */
    static int atLeast(String key, Integer value, int dflt, int min) {
        int v = value == null ? dflt : value;
        if (v < min) {
            throw new ConfigException(key, v, min == 1 ? "must be > 0" : "must be >= " + min);
        }
        return v;
    }
}
