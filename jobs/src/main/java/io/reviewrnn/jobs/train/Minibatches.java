package io.reviewrnn.jobs.train;

import io.reviewrnn.core.corpus.PreparedLayout;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns prepared rows ({@code ids}, {@code label}) into DL4J minibatches on the executors, following the model
 * contract: features {@code [b, maxlen]} float token ids, labels {@code [b, 1]} in {0, 1}. Every minibatch has
 * {@code batchSize} examples except the last of each partition. Lazy: one minibatch in memory at a time.
 */
final class Minibatches implements FlatMapFunction<Iterator<Row>, DataSet> {
    private static final long serialVersionUID = 1L;

    /** Column order the rows must have. */
    static final String[] COLUMNS = {PreparedLayout.COL_IDS, PreparedLayout.COL_LABEL};

    private final int batchSize;
    private final int maxlen;

    Minibatches(int batchSize, int maxlen) {
        this.batchSize = batchSize;
        this.maxlen = maxlen;
    }

    @Override
    public Iterator<DataSet> call(Iterator<Row> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public DataSet next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Row> batch = new ArrayList<>(batchSize);
                while (rows.hasNext() && batch.size() < batchSize) {
                    batch.add(rows.next());
                }
                return toDataSet(batch, maxlen);
            }
        };
    }

    /** One minibatch from rows of ({@code ids} array&lt;int&gt; of length maxlen, {@code label} int). */
    static DataSet toDataSet(List<Row> batch, int maxlen) {
        int b = batch.size();
        float[] features = new float[b * maxlen];
        float[] labels = new float[b];
        for (int i = 0; i < b; i++) {
            Row r = batch.get(i);
            List<Integer> ids = r.getList(0);
            if (ids.size() != maxlen) {
                throw new IllegalArgumentException("prepared row has " + ids.size() + " ids, the corpus maxlen is "
                        + maxlen);
            }
            for (int t = 0; t < maxlen; t++) {
                features[i * maxlen + t] = ids.get(t);
            }
            int label = r.getInt(1);
            if (label != 0 && label != 1) {
                throw new IllegalArgumentException("prepared row has label " + label + ", expected 0 or 1");
            }
            labels[i] = label;
        }
        return new DataSet(Nd4j.create(features, new long[] {b, maxlen}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(labels, new long[] {b, 1}, 'c').castTo(DataType.FLOAT));
    }
}
