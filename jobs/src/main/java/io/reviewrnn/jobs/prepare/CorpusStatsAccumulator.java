package io.reviewrnn.jobs.prepare;

import org.apache.spark.util.AccumulatorV2;

/** Spark accumulator over {@link CorpusStats}; updated only inside the output-writing action. */
final class CorpusStatsAccumulator extends AccumulatorV2<CorpusStats, CorpusStats> {
    private static final long serialVersionUID = 1L;
    private CorpusStats stats = new CorpusStats();

    @Override
    public boolean isZero() {
        return stats.isEmpty();
    }

    @Override
    public AccumulatorV2<CorpusStats, CorpusStats> copy() {
        CorpusStatsAccumulator c = new CorpusStatsAccumulator();
        c.stats.merge(stats);
        return c;
    }

    @Override
    public void reset() {
        stats = new CorpusStats();
    }

    @Override
    public void add(CorpusStats v) {
        stats.merge(v);
    }

    @Override
    public void merge(AccumulatorV2<CorpusStats, CorpusStats> other) {
        stats.merge(other.value());
    }

    @Override
    public CorpusStats value() {
        return stats;
    }
}
