package io.reviewrnn.jobs.prepare;

import io.reviewrnn.core.corpus.PrepareManifest;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact per-split statistics of encoded reviews, gathered while they are written: counts per label, token and
 * OOV totals, truncations, and a histogram of token counts from which percentiles are exact. Mergeable, so it
 * serves as a Spark accumulator value. Not thread-safe.
 */
final class CorpusStats implements Serializable {
    private static final long serialVersionUID = 1L;

    static final class Split implements Serializable {
        private static final long serialVersionUID = 1L;
        final TreeMap<Integer, Long> labels = new TreeMap<>();
        final TreeMap<Integer, Long> lengths = new TreeMap<>();
        long count;
        long tokens;
        long oov;
        long truncated;

        void merge(Split o) {
            o.labels.forEach((k, v) -> labels.merge(k, v, Long::sum));
            o.lengths.forEach((k, v) -> lengths.merge(k, v, Long::sum));
            count += o.count;
            tokens += o.tokens;
            oov += o.oov;
            truncated += o.truncated;
        }

        /** The smallest token count with at least {@code q} of the reviews at or below it. */
        double percentile(double q) {
            long rank = Math.max(1, (long) Math.ceil(q * count));
            long seen = 0;
            for (Map.Entry<Integer, Long> e : lengths.entrySet()) {
                seen += e.getValue();
                if (seen >= rank) {
                    return e.getKey();
                }
            }
            return lengths.isEmpty() ? 0 : lengths.lastKey();
        }
    }

    final TreeMap<String, Split> splits = new TreeMap<>();

    void add(String split, int label, int tokenCount, int oovCount, boolean truncated) {
        Split s = splits.computeIfAbsent(split, k -> new Split());
        s.count++;
        s.labels.merge(label, 1L, Long::sum);
        s.lengths.merge(tokenCount, 1L, Long::sum);
        s.tokens += tokenCount;
        s.oov += oovCount;
        if (truncated) {
            s.truncated++;
        }
    }

    void merge(CorpusStats other) {
        other.splits.forEach((k, v) -> splits.computeIfAbsent(k, x -> new Split()).merge(v));
    }

    boolean isEmpty() {
        return splits.isEmpty();
    }

    PrepareManifest.SplitStats toManifest(String split) {
        Split s = splits.getOrDefault(split, new Split());
        Map<String, Long> labels = new TreeMap<>();
        s.labels.forEach((k, v) -> labels.put(String.valueOf(k), v));
        Map<String, Double> pct = new LinkedHashMap<>();
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            pct.put("p" + Math.round(q * 100), s.percentile(q));
        }
        pct.put("max", s.lengths.isEmpty() ? 0.0 : s.lengths.lastKey());
        return new PrepareManifest.SplitStats(s.count, labels, s.tokens, s.oov,
                s.tokens == 0 ? 0 : (double) s.oov / s.tokens, s.truncated,
                s.count == 0 ? 0 : (double) s.truncated / s.count, s.count == 0 ? 0 : (double) s.tokens / s.count, pct);
    }
}
