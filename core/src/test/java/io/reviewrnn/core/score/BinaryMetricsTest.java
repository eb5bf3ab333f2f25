package io.reviewrnn.core.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    @Test
    void aucOfTinyKnownCases() {
        // perfect ranking, reversed ranking, all tied
        assertEquals(1.0, BinaryMetrics.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new int[] {0, 0, 1, 1}), 1e-12);
        assertEquals(0.0, BinaryMetrics.auc(new double[] {0.9, 0.8, 0.2, 0.1}, new int[] {0, 0, 1, 1}), 1e-12);
        assertEquals(0.5, BinaryMetrics.auc(new double[] {0.5, 0.5, 0.5, 0.5}, new int[] {0, 1, 0, 1}), 1e-12);
        // sklearn.metrics.roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) == 0.75
        assertEquals(0.75, BinaryMetrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}), 1e-12);
        // one tie between a positive and a negative counts one half: pairs (n,p) = 4, correct 3 + 0.5
        assertEquals(3.5 / 4, BinaryMetrics.auc(new double[] {0.2, 0.6, 0.6, 0.9}, new int[] {0, 0, 1, 1}), 1e-12);
        assertTrue(Double.isNaN(BinaryMetrics.auc(new double[] {0.2, 0.3}, new int[] {1, 1})));
    }

    @Test
    void aucEqualsPairCountingOnRandomScores() {
        Random r = new Random(3);
        int n = 300;
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            s[i] = Math.round((r.nextDouble() + 0.3 * y[i]) * 20) / 20.0; // coarse, so ties occur
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, BinaryMetrics.auc(s, y), 1e-12);
    }

    @Test
    void aucOfSortedClassScoresEqualsPairCounting() {
        // one tie: pairs 4, correct 3 + 0.5; perfect; reversed; all tied; a class missing
        assertEquals(3.5 / 4, BinaryMetrics.aucOfSorted(new double[] {0.6, 0.9}, new double[] {0.2, 0.6}), 1e-12);
        assertEquals(1.0, BinaryMetrics.aucOfSorted(new double[] {0.8, 0.9}, new double[] {0.1, 0.2}), 1e-12);
        assertEquals(0.0, BinaryMetrics.aucOfSorted(new double[] {0.1, 0.2}, new double[] {0.8, 0.9}), 1e-12);
        assertEquals(0.5, BinaryMetrics.aucOfSorted(new double[] {0.5, 0.5}, new double[] {0.5, 0.5, 0.5}), 1e-12);
        assertTrue(Double.isNaN(BinaryMetrics.aucOfSorted(new double[] {0.3}, new double[0])));
        Random r = new Random(7);
        for (int round = 0; round < 20; round++) {
            double[] pos = new double[1 + r.nextInt(200)];
            double[] neg = new double[1 + r.nextInt(200)];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = Math.round((r.nextDouble() + 0.2) * 15) / 15.0; // coarse, so runs of ties occur
            }
            for (int i = 0; i < neg.length; i++) {
                neg[i] = Math.round(r.nextDouble() * 15) / 15.0;
            }
            double wins = 0;
            for (double p : pos) {
                for (double n : neg) {
                    wins += p > n ? 1 : p == n ? 0.5 : 0;
                }
            }
            java.util.Arrays.sort(pos);
            java.util.Arrays.sort(neg);
            assertEquals(wins / ((double) pos.length * neg.length), BinaryMetrics.aucOfSorted(pos, neg), 1e-12);
        }
    }

    @Test
    void precisionRecallF1AccuracyFromTheConfusionMatrix() {
        // tn 5, fp 1, fn 2, tp 4: precision 4/5, recall 4/6, F1 = 2PR/(P+R) = 8/11, accuracy 9/12
        BinaryMetrics m = BinaryMetrics.of(new BinaryMetrics.Confusion(5, 1, 2, 4), 6.0, 0.9);
        assertEquals(12, m.examples());
        assertEquals(0.8, m.precision(), 1e-12);
        assertEquals(4.0 / 6, m.recall(), 1e-12);
        assertEquals(8.0 / 11, m.f1(), 1e-12);
        assertEquals(0.75, m.accuracy(), 1e-12);
        assertEquals(0.5, m.loss(), 1e-12);
        assertEquals(0.9, m.rocAuc(), 0);
        // no predicted positives: precision and F1 are 0, not NaN
        BinaryMetrics none = BinaryMetrics.of(new BinaryMetrics.Confusion(3, 0, 2, 0), 1.0, 0.5);
        assertEquals(0.0, none.precision());
        assertEquals(0.0, none.f1());
        assertEquals(0.6, none.accuracy(), 1e-12);
    }

    @Test
    void lossIsClippedBinaryCrossEntropy() {
        assertEquals(-Math.log(0.8), BinaryMetrics.loss(0.8, 1), 1e-12);
        assertEquals(-Math.log(0.2), BinaryMetrics.loss(0.8, 0), 1e-12);
        assertEquals(-Math.log(BinaryMetrics.CLIP), BinaryMetrics.loss(0.0, 1), 1e-12);
        assertEquals(-Math.log(BinaryMetrics.CLIP), BinaryMetrics.loss(1.0, 0), 1e-9);
        assertEquals(1, BinaryMetrics.predictedLabel(0.5));
        assertEquals(0, BinaryMetrics.predictedLabel(0.4999));
    }
}
