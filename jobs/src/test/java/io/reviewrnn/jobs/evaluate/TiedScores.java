package io.reviewrnn.jobs.evaluate;

import java.util.Random;

/**
 * Random labels and scores in [0, 1] that depend on them, rounded to a coarse grid so that ties are common (within
 * and across tasks or ranges, and at 0 and 1): the input of the exact-AUC tests.
 */
record TiedScores(double[] scores, int[] labels) {

    /**
     * @param separation how far the positives' mean score is above the negatives'
     * @param levels     grid steps between 0 and 1
     */
    static TiedScores draw(Random r, int n, double separation, int levels) {
        double[] scores = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            double s = Math.min(1, Math.max(0, 0.5 + separation * (labels[i] - 0.5) + 0.3 * r.nextGaussian()));
            scores[i] = Math.round(s * levels) / (double) levels;
        }
        return new TiedScores(scores, labels);
    }
}
