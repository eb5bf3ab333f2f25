package io.reviewrnn.core.score;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Binary classification metrics at threshold 0.5 from a confusion matrix, the summed binary cross-entropy and a
 * ROC AUC computed elsewhere (exactly, over all scores). Precision, recall and F1 are for class 1 (positive) and
 * are 0 when undefined (no predicted or no actual positives), as scikit-learn's {@code zero_division=0}.
 */
public record BinaryMetrics(
        @JsonProperty("examples") long examples,
        @JsonProperty("accuracy") double accuracy,
        @JsonProperty("loss") double loss,
        @JsonProperty("precision") double precision,
        @JsonProperty("recall") double recall,
        @JsonProperty("f1") double f1,
        @JsonProperty("roc_auc") double rocAuc,
        @JsonProperty("confusion_matrix") Confusion confusion) {

    /** Counts of actual x predicted; {@code tn} = actual 0 predicted 0, {@code fp} = actual 0 predicted 1, ... */
    public record Confusion(
            @JsonProperty("tn") long tn,
            @JsonProperty("fp") long fp,
            @JsonProperty("fn") long fn,
            @JsonProperty("tp") long tp) {
        public long total() {
            return tn + fp + fn + tp;
        }
    }

    /** Same clipping as DL4J's {@code LossBinaryXENT}, so evaluate's loss is the training loss. */
    public static final double CLIP = 1e-5;

    /** Threshold of the predicted label. */
    public static final double THRESHOLD = 0.5;

    public static BinaryMetrics of(Confusion c, double lossSum, double auc) {
        long n = c.total();
        double precision = c.tp() + c.fp() == 0 ? 0 : (double) c.tp() / (c.tp() + c.fp());
        double recall = c.tp() + c.fn() == 0 ? 0 : (double) c.tp() / (c.tp() + c.fn());
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new BinaryMetrics(n, n == 0 ? Double.NaN : (double) (c.tp() + c.tn()) / n,
                n == 0 ? Double.NaN : lossSum / n, precision, recall, f1, auc, c);
    }

    /** Binary cross-entropy of one prediction, clipped to {@code [CLIP, 1 - CLIP]}. */
    public static double loss(double probability, int label) {
        double q = Math.min(Math.max(probability, CLIP), 1 - CLIP);
        return label == 1 ? -Math.log(q) : -Math.log(1 - q);
    }

    public static int predictedLabel(double probability) {
        return probability >= THRESHOLD ? 1 : 0;
    }

    /**
     * Exact ROC AUC of a small in-memory sample: the probability that a random positive scores above a random
     * negative, ties counting one half (equal to the trapezoidal area under the ROC curve). NaN without both
     * classes. For reference and tests; the Spark jobs compute the same quantity distributed.
     */
    public static double auc(double[] scores, int[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        long pos = 0;
        long neg = 0;
        double rankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
            for (int k = i; k < j; k++) {
                if (labels[order[k]] == 1) {
                    pos++;
                    rankSum += midRank;
                } else {
                    neg++;
                }
            }
            i = j;
        }
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Exact ROC AUC from each class's scores in ascending order, in one merge pass: for every positive, the negatives
     * below it plus half of those equal to it. The same quantity as {@link #auc(double[], int[])}; NaN without both
     * classes.
     */
    public static double aucOfSorted(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return Double.NaN;
        }
        double twice = 0;
        int below = 0; // negatives < the current positive
        int upTo = 0; // negatives <= the current positive
        for (double p : positives) {
            while (below < negatives.length && negatives[below] < p) {
                below++;
            }
            upTo = Math.max(upTo, below);
            while (upTo < negatives.length && negatives[upTo] == p) {
                upTo++;
            }
            twice += below + (double) upTo;
        }
        return twice / (2.0 * positives.length * negatives.length);
    }
}
