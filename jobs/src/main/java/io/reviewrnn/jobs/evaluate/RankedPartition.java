package io.reviewrnn.jobs.evaluate;

import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.jobs.Rdds;
import java.io.Serializable;
import java.util.Iterator;
import java.util.TreeMap;
import scala.Tuple2;

/**
 * Everything {@code evaluate} reports, summed over one partition of (probability, record) pairs sorted by
 * probability: the confusion matrix, the summed loss, the drift sums, rejects by reason kind, ROC curve bins, and
 * the partition's share of the exact ROC AUC (twice the number of concordant positive-negative pairs inside it,
 * ties counting one half). Partitions hold disjoint, ordered score ranges ({@link ScoreRanges}), so the pairs
 * across partitions follow from the per-partition class counts alone ({@link #auc}).
 */
final class RankedPartition implements Serializable {
    private static final long serialVersionUID = 1L;
    long tn;
    long fp;
    long fn;
    long tp;
    double lossSum;
    long tokens;
    long oov;
    long truncated;
    /** Twice the concordant positive-negative pairs within the partition, ties counting one. */
    long twiceConcordant;
    final long[] binPositives;
    final long[] binNegatives;
    final TreeMap<String, Long> byReason = new TreeMap<>();

    RankedPartition(int bins) {
        binPositives = new long[bins];
        binNegatives = new long[bins];
    }

    long positives() {
        return fn + tp;
    }

    long negatives() {
        return tn + fp;
    }

    long rejected() {
        return byReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Packs what the summary needs of one evaluated review into the shuffled value. */
    static long pack(int label, boolean truncated, int tokens, int oov) {
        return (label & 1L) | (truncated ? 2L : 0L) | ((tokens & 0x7fffffffL) << 2) | ((oov & 0x7fffffffL) << 33);
    }

    /** Adds one scored review ({@link #pack packed}) to the confusion matrix, sums and bins, not to the pairs. */
    void add(double p, long packed) {
        boolean positive = (packed & 1) == 1;
        boolean predictedPositive = BinaryMetrics.predictedLabel(p) == 1;
        int bin = Math.max(0, Math.min(binPositives.length - 1, (int) (p * binPositives.length)));
        if (positive) {
            binPositives[bin]++;
            if (predictedPositive) {
                tp++;
            } else {
                fn++;
            }
        } else {
            binNegatives[bin]++;
            if (predictedPositive) {
                fp++;
            } else {
                tn++;
            }
        }
        lossSum += BinaryMetrics.loss(p, positive ? 1 : 0);
        truncated += (packed >>> 1) & 1;
        tokens += (packed >>> 2) & 0x7fffffffL;
        oov += packed >>> 33;
    }

    /** Counts one rejected review under its reason kind. */
    void reject(String kind) {
        byReason.merge(kind, 1L, Long::sum);
    }

    /** Summarizes one sorted partition: keys are probabilities (NaN for rejects, valued by their reason kind). */
    static final class Summarize implements Rdds.PartitionFunction<Tuple2<Double, Object>, RankedPartition> {
        private static final long serialVersionUID = 1L;
        private final int bins;

        Summarize(int bins) {
            this.bins = bins;
        }

        @Override
        public RankedPartition call(int partition, Iterator<Tuple2<Double, Object>> sorted) {
            RankedPartition s = new RankedPartition(bins);
            double current = Double.NaN;
            long groupPos = 0;
            long groupNeg = 0;
            long negBelow = 0;
            while (sorted.hasNext()) {
                Tuple2<Double, Object> t = sorted.next();
                double p = t._1();
                if (Double.isNaN(p)) {
                    s.reject((String) t._2());
                    continue;
                }
                if (p != current) {
                    s.twiceConcordant += 2 * groupPos * negBelow + groupPos * groupNeg;
                    negBelow += groupNeg;
                    groupPos = 0;
                    groupNeg = 0;
                    current = p;
                }
                long v = (Long) t._2();
                if ((v & 1) == 1) {
                    groupPos++;
                } else {
                    groupNeg++;
                }
                s.add(p, v);
            }
            s.twiceConcordant += 2 * groupPos * negBelow + groupPos * groupNeg;
            return s;
        }
    }

    /**
     * The exact ROC AUC of partitions in ascending score order: pairs inside a partition as counted there, and every
     * positive of a partition above every negative of the partitions below it. NaN without both classes.
     */
    static double auc(Iterable<RankedPartition> ascending) {
        long negBelow = 0;
        long positives = 0;
        double twice = 0;
        for (RankedPartition r : ascending) {
            twice += r.twiceConcordant + 2.0 * r.positives() * negBelow;
            negBelow += r.negatives();
            positives += r.positives();
        }
        return positives == 0 || negBelow == 0 ? Double.NaN : twice / (2.0 * positives * negBelow);
    }
}
