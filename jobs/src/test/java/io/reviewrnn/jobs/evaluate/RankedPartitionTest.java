package io.reviewrnn.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.score.BinaryMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The exact AUC of evaluate's one job, without Spark: scores range-partitioned by {@link ScoreRanges}, each range
 * sorted and summarized by {@link RankedPartition.Summarize}, equal the in-memory Mann-Whitney AUC of
 * {@link BinaryMetrics#auc}, ties and rejects included.
 */
class RankedPartitionTest {

    private static List<RankedPartition> summarize(double[] scores, int[] labels, int ranges, int rejects) {
        ScoreRanges partitioner = new ScoreRanges(ranges);
        List<List<Tuple2<Double, Object>>> parts = new ArrayList<>();
        for (int i = 0; i < ranges; i++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < scores.length; i++) {
            parts.get(partitioner.getPartition(scores[i])).add(new Tuple2<>(scores[i],
                    RankedPartition.pack(labels[i], i % 3 == 0, 10 + i % 7, i % 5)));
        }
        for (int i = 0; i < rejects; i++) {
            parts.get(partitioner.getPartition(Double.NaN)).add(new Tuple2<>(Double.NaN, "empty review"));
        }
        List<RankedPartition> out = new ArrayList<>();
        for (int i = 0; i < ranges; i++) {
            List<Tuple2<Double, Object>> p = parts.get(i);
            p.sort(Comparator.comparing(Tuple2::_1)); // what repartitionAndSortWithinPartitions does
            out.add(new RankedPartition.Summarize(10).call(i, p.iterator()));
        }
        return out;
    }

    @Test
    void rangesSortedApartGiveTheExactAucWithTies() {
        Random r = new Random(3);
        int n = 5000;
        TiedScores drawn = TiedScores.draw(r, n, 0.25, 40);
        double[] scores = drawn.scores();
        int[] labels = drawn.labels();
        double want = BinaryMetrics.auc(scores, labels);
        for (int ranges : new int[] {1, 3, 8}) {
            List<RankedPartition> parts = summarize(scores, labels, ranges, 7);
            assertEquals(want, RankedPartition.auc(parts), 1e-12, ranges + " ranges");
            long rejected = parts.stream().mapToLong(RankedPartition::rejected).sum();
            long positives = parts.stream().mapToLong(RankedPartition::positives).sum();
            assertEquals(7, rejected);
            assertEquals(java.util.Arrays.stream(labels).sum(), positives);
        }
        assertTrue(want > 0.6 && want < 0.95, "a non-trivial ranking: " + want);
    }

    @Test
    void confusionLossAndPackedCountsAreSummed() {
        double[] scores = {0.1, 0.7, 0.5, 0.2, 0.9};
        int[] labels = {0, 0, 1, 1, 1};
        List<RankedPartition> parts = summarize(scores, labels, 4, 0);
        long tn = 0, fp = 0, fn = 0, tp = 0, tokens = 0, oov = 0, truncated = 0;
        double loss = 0;
        for (RankedPartition p : parts) {
            tn += p.tn;
            fp += p.fp;
            fn += p.fn;
            tp += p.tp;
            loss += p.lossSum;
            tokens += p.tokens;
            oov += p.oov;
            truncated += p.truncated;
        }
        assertEquals(List.of(1L, 1L, 1L, 2L), List.of(tn, fp, fn, tp));
        double want = 0;
        for (int i = 0; i < scores.length; i++) {
            want += BinaryMetrics.loss(scores[i], labels[i]);
        }
        assertEquals(want, loss, 1e-12);
        assertEquals(10 + 11 + 12 + 13 + 14, tokens);
        assertEquals(0 + 1 + 2 + 3 + 4, oov);
        assertEquals(2, truncated); // i = 0 and 3
        assertEquals(BinaryMetrics.auc(scores, labels), RankedPartition.auc(parts), 1e-12);
    }
}
