package io.reviewrnn.jobs.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reviewrnn.core.score.BinaryMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * evaluate's one-stage ranking without Spark: tasks holding arbitrary, unsorted shares of the scores (one, two, three
 * or seven tasks, one of them empty) give the in-memory Mann-Whitney AUC of {@link BinaryMetrics#auc}, ties and
 * rejects included.
 */
class ClassScoresTest {

    @Test
    void tasksInAnyNumberGiveTheExactAucWithTies() {
        Random r = new Random(11);
        int n = 4000;
        TiedScores drawn = TiedScores.draw(r, n, 0.2, 30);
        double[] scores = drawn.scores();
        int[] labels = drawn.labels();
        double want = BinaryMetrics.auc(scores, labels);
        for (int tasks : new int[] {1, 2, 3, 7}) {
            List<List<Tuple2<Double, Object>>> shares = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                shares.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) { // task 0 stays empty when there are several
                int t = tasks == 1 ? 0 : 1 + r.nextInt(tasks - 1);
                shares.get(t).add(new Tuple2<>(scores[i], RankedPartition.pack(labels[i], false, 10, 1)));
            }
            shares.get(tasks - 1).add(new Tuple2<>(Double.NaN, "empty review"));
            List<ClassScores> parts = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                parts.add(new ClassScores.Collect(10).call(t, shares.get(t).iterator()));
            }
            assertEquals(want, ClassScores.auc(parts), 1e-12, tasks + " tasks");
            long positives = parts.stream().mapToLong(c -> c.summary.positives()).sum();
            long rejected = parts.stream().mapToLong(c -> c.summary.rejected()).sum();
            assertEquals(java.util.Arrays.stream(labels).sum(), positives, tasks + " tasks");
            assertEquals(1, rejected, tasks + " tasks");
        }
    }
}
