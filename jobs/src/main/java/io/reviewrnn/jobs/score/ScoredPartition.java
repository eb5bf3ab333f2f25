package io.reviewrnn.jobs.score;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scoring task read and wrote: the counts of its committed attempt (records read, predictions and rejects
 * written, rejects by reason kind), the sums behind the drift figures, and the attempt files to commit. Merged on the
 * driver into the job's totals.
 */
final class ScoredPartition implements Serializable {
    private static final long serialVersionUID = 1L;
    long read;
    long scored;
    long rejected;
    long tokens;
    long oov;
    long truncated;
    long positive;
    final TreeMap<String, Long> byReason = new TreeMap<>();
    /** Kept column to the predictions that have a value (not null) in it. */
    final TreeMap<String, Long> keptWithValue = new TreeMap<>();
    /** Output name ({@code predictions}, {@code rejects}) to this attempt's file. */
    final TreeMap<String, String> files = new TreeMap<>();

    void merge(ScoredPartition o) {
        read += o.read;
        scored += o.scored;
        rejected += o.rejected;
        tokens += o.tokens;
        oov += o.oov;
        truncated += o.truncated;
        positive += o.positive;
        o.byReason.forEach((k, v) -> byReason.merge(k, v, Long::sum));
        o.keptWithValue.forEach((k, v) -> keptWithValue.merge(k, v, Long::sum));
    }

    Map<String, Long> byReason() {
        return byReason;
    }
}
