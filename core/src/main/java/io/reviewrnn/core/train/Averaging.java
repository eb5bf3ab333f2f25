package io.reviewrnn.core.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the driver turns the workers' parameters after an averaging round (a "block") into the next global model.
 * Every rule first takes DL4J's plain mean of the workers' parameters (and, with {@code average_updater}, of their
 * optimizer state); the rules differ in what they do with the mean's distance from the block's start point. See
 * {@link BlockMomentum} for the arithmetic and docs/TRAINING.md for the measurements behind the default.
 */
public enum Averaging {
    /** DL4J's parameter averaging: the mean becomes the model. An epoch makes about 1/N of one worker's progress. */
    MEAN,
    /**
     * Block-wise model-update filtering (Chen and Huo, ICASSP 2016): the mean's delta from the block start is
     * treated as a block gradient and filtered with block momentum (default {@code 1 - 1/N}, at most 0.75) and a block
     * learning rate (default 1, {@code N/4} beyond four workers), workers starting each block from the Nesterov
     * look-ahead. The default.
     */
    BMUF,
    /** The mean delta times a block learning rate (default N), no momentum: a "server learning rate" of N. */
    SCALED_DELTA;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Averaging parse(String s) {
        for (Averaging a : values()) {
            if (a.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(values()).map(Averaging::key)
                .collect(Collectors.joining(", ")) + ", was '" + s + "'");
    }

    /**
     * The longest memory, in blocks, of {@code bmuf}'s default momentum: {@code 1 / (1 - mu)} is N blocks up to
     * N = 4 and this many beyond (docs/TRAINING.md).
     */
    public static final int MAX_MOMENTUM_BLOCKS = 4;

    /**
     * The block momentum this rule uses with {@code workers} workers when none is configured: for {@code bmuf}
     * Chen and Huo's {@code 1 - 1/N} up to N = {@link #MAX_MOMENTUM_BLOCKS}, and {@code 1 - 1/4} beyond, where
     * {@link #defaultLearningRate} makes up the rest of the steady-state gain {@code eta / (1 - mu) = N}. A memory
     * of N blocks is an epoch of stale direction at N = 8 on the IMDB exercise (about eight blocks an epoch), which
     * then needed up to 1.33x the epochs of one worker; a block learning rate above 1 at N = 2 made Adam at 1e-3
     * oscillate (docs/BENCHMARKS.md).
     */
    public double defaultMomentum(int workers) {
        return this == BMUF ? 1.0 - 1.0 / Math.min(workers, MAX_MOMENTUM_BLOCKS) : 0.0;
    }

    /**
     * The block learning rate this rule uses with {@code workers} workers when none is configured: for {@code bmuf}
     * 1 up to N = {@link #MAX_MOMENTUM_BLOCKS} and {@code N / 4} beyond; N for {@code scaled_delta}.
     */
    public double defaultLearningRate(int workers) {
        return this == SCALED_DELTA ? workers
                : this == BMUF ? Math.max(1.0, (double) workers / MAX_MOMENTUM_BLOCKS) : 1.0;
    }
}
