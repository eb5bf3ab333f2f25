package io.reviewrnn.jobs.train;

import java.io.Serializable;

/**
 * Sums of a distributed evaluation pass: the clipped binary cross-entropy summed over the examples, the number of
 * correct predictions at threshold 0.5, and the number of examples. Partitions' sums are added with {@link #plus}.
 */
public record EvalMetrics(double lossSum, long correct, long examples) implements Serializable {

    public static final EvalMetrics EMPTY = new EvalMetrics(0, 0, 0);

    public EvalMetrics plus(EvalMetrics o) {
        return new EvalMetrics(lossSum + o.lossSum, correct + o.correct, examples + o.examples);
    }

    /** Mean loss per example (NaN without examples). */
    public double loss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    /** Accuracy (NaN without examples). */
    public double accuracy() {
        return examples == 0 ? Double.NaN : (double) correct / examples;
    }
}
