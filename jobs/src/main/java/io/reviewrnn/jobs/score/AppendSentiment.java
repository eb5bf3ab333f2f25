package io.reviewrnn.jobs.score;

import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.text.EncodedReview;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The per-partition function behind the Spark ML stage ({@link ReviewSentimentModel}) and the SQL function
 * ({@code review_sentiment}): each row keeps its columns and gains the probability of its text column (and, if
 * asked, the predicted class as a double, MLlib's convention), computed in minibatches with the JVM's pooled network
 * ({@link MinibatchScoring}). A row whose text is null or blank gets nulls.
 */
public final class AppendSentiment implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<ModelBroadcast> model;
    private final int batchSize;
    private final int textIndex;
    private final boolean prediction;

    public AppendSentiment(Broadcast<ModelBroadcast> model, int batchSize, int textIndex, boolean prediction) {
        this.model = model;
        this.batchSize = batchSize;
        this.textIndex = textIndex;
        this.prediction = prediction;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new MinibatchScoring(rows, model.value().get(), batchSize, new Layout(textIndex, prediction), null);
    }

    private static final class Layout implements MinibatchScoring.Layout, Serializable {
        private static final long serialVersionUID = 1L;
        private final int textIndex;
        private final boolean prediction;

        Layout(int textIndex, boolean prediction) {
            this.textIndex = textIndex;
            this.prediction = prediction;
        }

        @Override
        public String text(Row in) {
            return in.getString(textIndex);
        }

        @Override
        public String error(Row in) {
            String t = in.isNullAt(textIndex) ? null : in.getString(textIndex);
            return t == null || t.isBlank() ? "empty" : null;
        }

        @Override
        public Row scored(Row in, EncodedReview e, double p) {
            return append(in, p, (double) BinaryMetrics.predictedLabel(p));
        }

        @Override
        public Row rejected(Row in, String reason) {
            return append(in, null, null);
        }

        private Row append(Row in, Double p, Double label) {
            int n = in.length();
            Object[] v = new Object[n + (prediction ? 2 : 1)];
            for (int i = 0; i < n; i++) {
                v[i] = in.get(i);
            }
            v[n] = p;
            if (prediction) {
                v[n + 1] = label;
            }
            return RowFactory.create(v);
        }
    }
}
