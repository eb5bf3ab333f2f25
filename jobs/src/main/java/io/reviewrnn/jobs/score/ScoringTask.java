package io.reviewrnn.jobs.score;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.jobs.Rdds;
import io.reviewrnn.jobs.io.OutputFormat;
import io.reviewrnn.jobs.io.RawReviews;
import io.reviewrnn.jobs.io.Rejects;
import io.reviewrnn.jobs.io.RowSink;
import io.reviewrnn.jobs.io.TaskOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * One task of {@code score}'s single pass: reads its partition of raw reviews, scores them in minibatches with the
 * JVM's pooled network ({@link MinibatchScoring}), writes each record to this attempt's predictions file or rejects
 * file as it goes, and returns the counts of what it read and wrote ({@link ScoredPartition}).
 */
final class ScoringTask implements Rdds.PartitionFunction<Row, ScoredPartition> {
    private static final long serialVersionUID = 1L;

    /** Columns of {@code predictions/}, followed by the kept input columns ({@link #predictions}). */
    static final StructType PREDICTIONS = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, true)
            .add("probability", DataTypes.DoubleType, true)
            .add("predicted_label", DataTypes.IntegerType, true)
            .add("model", DataTypes.StringType, true)
            .add("model_sha256", DataTypes.StringType, true)
            .add("token_count", DataTypes.IntegerType, true)
            .add("oov_count", DataTypes.IntegerType, true)
            .add("truncated", DataTypes.BooleanType, true);

    private final Broadcast<ModelBroadcast> model;
    private final StructType schema;
    private final int batchSize;
    private final TaskOutput output;
    private final OutputFormat format;
    private final LongAccumulator progress;

    /** @param schema the predictions' columns, {@link #predictions} of the kept columns */
    ScoringTask(Broadcast<ModelBroadcast> model, StructType schema, int batchSize, TaskOutput output,
                OutputFormat format, LongAccumulator progress) {
        this.model = model;
        this.schema = schema;
        this.batchSize = batchSize;
        this.output = output;
        this.format = format;
        this.progress = progress;
    }

    /**
     * {@link #PREDICTIONS} followed by the input columns {@code kept}, as strings; a kept name the predictions
     * already have (in any case, as Spark SQL resolves names) is refused naming {@code keep_columns}.
     */
    static StructType predictions(List<String> kept) {
        StructType s = PREDICTIONS;
        for (String k : kept) {
            for (String f : PREDICTIONS.fieldNames()) {
                if (f.equalsIgnoreCase(k)) {
                    throw new ConfigException("keep_columns", k, "must not name a column the predictions already"
                            + " have " + List.of(PREDICTIONS.fieldNames()));
                }
            }
            s = s.add(k, DataTypes.StringType, true);
        }
        return s;
    }

    @Override
    public ScoredPartition call(int partition, Iterator<Row> rows) throws IOException {
        ScoredPartition result = new ScoredPartition();
        String[] names = schema.fieldNames();
        long[] keptWithValue = new long[names.length - PREDICTIONS.size()];
        Counting in = new Counting(rows);
        var m = model.value().get();
        Iterator<Row> scored = new MinibatchScoring(in, m, batchSize, new Layout(m.modelName(), m.contentHash(),
                schema.size() - PREDICTIONS.size()), progress);
        TaskOutput.Opened predictions = null;
        TaskOutput.Opened rejects = null;
        try {
            while (scored.hasNext()) {
                Row r = scored.next();
                if (Rejects.isReject(r)) {
                    if (rejects == null) {
                        rejects = output.open(ScoreJob.REJECTS, partition, OutputFormat.JSON, Rejects.SCHEMA);
                    }
                    rejects.sink().write(r);
                    result.byReason.merge(Rejects.reasonKind(r.getString(2)), 1L, Long::sum);
                } else {
                    if (predictions == null) {
                        predictions = output.open(ScoreJob.PREDICTIONS, partition, format, schema);
                    }
                    predictions.sink().write(r);
                    result.tokens += r.getInt(6);
                    result.oov += r.getInt(7);
                    result.truncated += r.getBoolean(8) ? 1 : 0;
                    result.positive += r.getInt(3);
                    for (int i = 0; i < keptWithValue.length; i++) {
                        keptWithValue[i] += r.isNullAt(PREDICTIONS.size() + i) ? 0 : 1;
                    }
                }
            }
        } finally {
            result.scored = close(predictions, ScoreJob.PREDICTIONS, result);
            result.rejected = close(rejects, ScoreJob.REJECTS, result);
        }
        result.read = in.count;
        for (int i = 0; i < keptWithValue.length; i++) {
            result.keptWithValue.put(names[PREDICTIONS.size() + i], keptWithValue[i]);
        }
        if (result.read != result.scored + result.rejected) {
            throw new IllegalStateException("partition " + partition + ": read " + result.read + " records but wrote "
                    + result.scored + " predictions and " + result.rejected + " rejects");
        }
        return result;
    }

    private static long close(TaskOutput.Opened o, String name, ScoredPartition result) throws IOException {
        if (o == null) {
            return 0;
        }
        RowSink s = o.sink();
        s.close();
        result.files.put(name, o.file());
        return s.rows();
    }

    /** Counts the records the reader delivers. */
    private static final class Counting implements Iterator<Row> {
        private final Iterator<Row> in;
        long count;

        Counting(Iterator<Row> in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public Row next() {
            Row r = in.next();
            count++;
            return r;
        }
    }

    /** Raw review rows ({@link RawReviews#SCHEMA}) to prediction rows or reject rows. */
    static final class Layout implements MinibatchScoring.Layout, Serializable {
        private static final long serialVersionUID = 1L;
        private static final int ID = RawReviews.SCHEMA.fieldIndex(RawReviews.ID);
        private static final int LABEL = RawReviews.SCHEMA.fieldIndex(RawReviews.LABEL);
        private static final int TEXT = RawReviews.SCHEMA.fieldIndex(RawReviews.TEXT);
        private static final int KEPT = RawReviews.SCHEMA.size();
        private final String modelName;
        private final String hash;
        private final int kept;

        /** @param kept input columns after the raw review's own ({@link RawReviews#schema}), copied to the end */
        Layout(String modelName, String hash, int kept) {
            this.modelName = modelName;
            this.hash = hash;
            this.kept = kept;
        }

        @Override
        public String text(Row in) {
            return in.getString(TEXT);
        }

        @Override
        public String error(Row in) {
            return Rejects.problem(in);
        }

        @Override
        public Row scored(Row in, EncodedReview e, double p) {
            Object[] v = new Object[PREDICTIONS.size() + kept];
            v[0] = in.getString(ID);
            v[1] = in.isNullAt(LABEL) ? null : in.getInt(LABEL);
            v[2] = p;
            v[3] = BinaryMetrics.predictedLabel(p);
            v[4] = modelName;
            v[5] = hash;
            v[6] = e.tokenCount();
            v[7] = e.oovCount();
            v[8] = e.truncated();
            for (int i = 0; i < kept; i++) {
                v[PREDICTIONS.size() + i] = in.get(KEPT + i);
            }
            return RowFactory.create(v);
        }

        @Override
        public Row rejected(Row in, String reason) {
            return Rejects.row(in, reason);
        }
    }
}
