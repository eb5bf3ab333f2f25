package io.reviewrnn.jobs.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress inside an epoch, logged at most every {@code progress_seconds}: minibatches done out of the epoch's,
 * samples/s so far and the ETA of the epoch. An epoch on a real corpus can take many minutes; the per-epoch line
 * alone would leave the log silent meanwhile. Not thread-safe: one thread at a time reports the rounds (the driver's
 * training thread, or the exchange's coordinator while the training thread waits for the epoch's job).
 */
final class EpochProgress {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    private final String label;
    private final int totalMinibatches;
    private final double intervalSeconds;
    private final long start = System.nanoTime();
    private long lastLog = start;
    private int minibatches;
    private long examples;

    /**
     * @param label            e.g. "epoch 3/100"
     * @param totalMinibatches minibatches in the epoch
     * @param intervalSeconds  at most one line per this many seconds; 0 turns it off
     */
    EpochProgress(String label, int totalMinibatches, double intervalSeconds) {
        this.label = label;
        this.totalMinibatches = totalMinibatches;
        this.intervalSeconds = intervalSeconds;
    }

    /** The epoch starts over (Spark retries its stage): the counts go back to zero. */
    void restart() {
        minibatches = 0;
        examples = 0;
    }

    /** An averaging round of {@code roundMinibatches} minibatches with {@code roundExamples} examples finished. */
    void round(int roundMinibatches, long roundExamples) {
        minibatches += roundMinibatches;
        examples += roundExamples;
        long now = System.nanoTime();
        if (intervalSeconds <= 0 || (now - lastLog) / 1e9 < intervalSeconds || minibatches >= totalMinibatches) {
            return;
        }
        lastLog = now;
        double elapsed = (now - start) / 1e9;
        double eta = elapsed / minibatches * (totalMinibatches - minibatches);
        LOG.info("{}: {}/{} minibatches, {} samples in {} s ({}/s), ETA {} s for the epoch", label, minibatches,
                totalMinibatches, examples, String.format("%.1f", elapsed), Math.round(examples / elapsed),
                String.format("%.0f", eta));
    }
}
