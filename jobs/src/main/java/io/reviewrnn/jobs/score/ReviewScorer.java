package io.reviewrnn.jobs.score;

import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.score.PackagedModel;
import io.reviewrnn.core.text.EncodedReview;
import java.io.IOException;
import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scoring for users' own Spark code: adds {@code probability} (double) and {@code predicted_label} (int) columns
 * to any DataFrame with a string column of review text, e.g.
 *
 * <pre>
 * ReviewScorer scorer = new ReviewScorer(spark, "hdfs:///models/gru/checkpoints/best");
 * Dataset&lt;Row&gt; scored = scorer.transform(reviews, "text");
 * </pre>
 *
 * The checkpoint is loaded and verified once on the driver and broadcast; executors score in minibatches inside
 * {@code mapPartitions} with one network per task slot. Rows whose text is null or blank get null columns.
 * Lazy like any transformation. Thread-safe.
 */
public final class ReviewScorer implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String PROBABILITY = "probability";
    public static final String PREDICTED_LABEL = "predicted_label";

    private final Broadcast<ModelBroadcast> model;
    private final int batchSize;

    /** Loads the checkpoint at {@code checkpoint} (any Hadoop FS URI), accepting any intact checkpoint. */
    public ReviewScorer(SparkSession spark, String checkpoint) throws IOException {
        this(spark, checkpoint, null, 256);
    }

    /**
     * @param expectedHash content hash the checkpoint must have, or null
     * @param batchSize reviews per network call
     */
    public ReviewScorer(SparkSession spark, String checkpoint, String expectedHash, int batchSize)
            throws IOException {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, was " + batchSize);
        }
        PackagedModel m = PackagedModel.load(checkpoint, expectedHash, spark.sparkContext().hadoopConfiguration());
        this.model = ModelBroadcast.of(spark, m);
        this.batchSize = batchSize;
    }

    public String contentHash() {
        return model.value().get().contentHash();
    }

    /** {@code df} with {@code probability} and {@code predicted_label} appended. */
    public Dataset<Row> transform(Dataset<Row> df, String textColumn) {
        StructType in = df.schema();
        int textIdx = in.fieldIndex(textColumn);
        if (in.fields()[textIdx].dataType() != DataTypes.StringType) {
            throw new IllegalArgumentException("column " + textColumn + " is " + in.fields()[textIdx].dataType()
                    + ", expected string");
        }
        StructType out = in.add(PROBABILITY, DataTypes.DoubleType, true).add(PREDICTED_LABEL, DataTypes.IntegerType,
                true);
        Broadcast<ModelBroadcast> bc = model;
        int batch = batchSize;
        return df.mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) it ->
                new MinibatchScoring(it, bc.value().get(), batch, new Appending(textIdx), null), org.apache.spark.sql.Encoders.row(out));
    }

    private static final class Appending implements MinibatchScoring.Layout, Serializable {
        private static final long serialVersionUID = 1L;
        private final int textIdx;

        Appending(int textIdx) {
            this.textIdx = textIdx;
        }

        @Override
        public String text(Row in) {
            return in.getString(textIdx);
        }

        @Override
        public String error(Row in) {
            String t = in.isNullAt(textIdx) ? null : in.getString(textIdx);
            return t == null || t.isBlank() ? "empty" : null;
        }

        @Override
        public Row scored(Row in, EncodedReview e, double p) {
            return append(in, p, BinaryMetrics.predictedLabel(p));
        }

        @Override
        public Row rejected(Row in, String reason) {
            return append(in, null, null);
        }

        private static Row append(Row in, Double p, Integer label) {
            Object[] v = new Object[in.length() + 2];
            for (int i = 0; i < in.length(); i++) {
                v[i] = in.get(i);
            }
            v[in.length()] = p;
            v[in.length() + 1] = label;
            return RowFactory.create(v);
        }
    }
}
