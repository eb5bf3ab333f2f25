package io.reviewrnn.jobs.train;

import java.io.Serializable;

/**
 * How an epoch's minibatch files, in the epoch's order, fall into averaging rounds: round {@code r} holds files
 * {@code [from(r), to(r))}, {@code workers * averagingFrequency} of them except in the last round, split into as many
 * partitions as it needs (at most {@code workers}, each at most {@code averagingFrequency} files: what a DL4J worker
 * fits before it returns its parameters), the way Spark's {@code parallelize} slices a list. Both ways of running
 * the rounds ({@link TrainingData}'s round jobs and {@link RoundExchange}) lay them out by this plan.
 */
record RoundPlan(int files, int workers, int averagingFrequency) implements Serializable {

    int rounds() {
        return (files + perRound() - 1) / perRound();
    }

    int from(int round) {
        return round * perRound();
    }

    int to(int round) {
        return Math.min(files, (round + 1) * perRound());
    }

    int size(int round) {
        return to(round) - from(round);
    }

    int partitions(int round) {
        return Math.max(1, Math.min(workers, (size(round) + averagingFrequency - 1) / averagingFrequency));
    }

    /**
     * The iterations a round counts: its minibatches per worker. DL4J would add {@code averagingFrequency} even for a
     * shorter last round; Adam's bias correction reads the count.
     */
    int iterations(int round) {
        return (size(round) + partitions(round) - 1) / partitions(round);
    }

    /** Positions {@code [from, to)} in the epoch's order of partition {@code p}'s files in {@code round}. */
    int[] slice(int round, int p) {
        int n = partitions(round);
        if (p >= n) {
            return new int[] {0, 0};
        }
        long size = size(round);
        // ParallelCollectionRDD.slice's positions
        return new int[] {from(round) + (int) (p * size / n), from(round) + (int) ((p + 1) * size / n)};
    }

    private int perRound() {
        return workers * averagingFrequency;
    }
}
