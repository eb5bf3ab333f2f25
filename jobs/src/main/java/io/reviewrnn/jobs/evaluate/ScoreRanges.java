package io.reviewrnn.jobs.evaluate;

import org.apache.spark.Partitioner;

/**
 * Range partitioning of probabilities: partition {@code i} of {@code n} holds the scores in {@code [i/n, (i+1)/n)},
 * the last also 1.0 and NaN (the rejects). Scores lie in [0, 1], so the ranges need no sampling job, and sorting
 * within each partition sorts the whole set: partition order is score order.
 */
final class ScoreRanges extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    ScoreRanges(int n) {
        this.n = n;
    }

    @Override
    public int numPartitions() {
        return n;
    }

    @Override
    public int getPartition(Object key) {
        double p = (Double) key;
        if (Double.isNaN(p)) {
            return n - 1;
        }
        return Math.max(0, Math.min(n - 1, (int) (p * n)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreRanges r && r.n == n;
    }

    @Override
    public int hashCode() {
        return n;
    }
}
