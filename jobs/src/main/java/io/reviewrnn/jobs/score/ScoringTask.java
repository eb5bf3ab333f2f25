package io.reviewrnn.jobs.score;

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

    /** Columns of {@code predictions/}. */
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
    private final int batchSize;
    private final TaskOutput output;
    private final OutputFormat format;
    private final LongAccumulator progress;

    ScoringTask(Broadcast<ModelBroadcast> model, int batchSize, TaskOutput output, OutputFormat format,
                LongAccumulator progress) {
        this.model = model;
        this.batchSize = batchSize;
        this.output = output;
        this.format = format;
        this.progress = progress;
    }

    @Override
    public ScoredPartition call(int partition, Iterator<Row> rows) throws IOException {
        ScoredPartition result = new ScoredPartition();
        Counting in = new Counting(rows);
        var m = model.value().get();
        Iterator<Row> scored = new MinibatchScoring(in, m, batchSize, new Layout(m.modelName(), m.contentHash()),
                progress);
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
                        predictions = output.open(ScoreJob.PREDICTIONS, partition, format, PREDICTIONS);
                    }
                    predictions.sink().write(r);
                    result.tokens += r.getInt(6);
                    result.oov += r.getInt(7);
                    result.truncated += r.getBoolean(8) ? 1 : 0;
                    result.positive += r.getInt(3);
                }
            }
        } finally {
            result.scored = close(predictions, ScoreJob.PREDICTIONS, result);
            result.rejected = close(rejects, ScoreJob.REJECTS, result);
        }
        result.read = in.count;
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
        private final String modelName;
        private final String hash;

        Layout(String modelName, String hash) {
            this.modelName = modelName;
            this.hash = hash;
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
            return RowFactory.create(in.getString(ID), in.isNullAt(LABEL) ? null : in.getInt(LABEL), p,
                    BinaryMetrics.predictedLabel(p), modelName, hash, e.tokenCount(), e.oovCount(), e.truncated());
        }

        @Override
        public Row rejected(Row in, String reason) {
            return Rejects.row(in, reason);
        }
    }
}
