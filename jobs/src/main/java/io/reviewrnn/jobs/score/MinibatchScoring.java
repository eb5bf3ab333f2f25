package io.reviewrnn.jobs.score;

import io.reviewrnn.core.score.PackagedModel;
import io.reviewrnn.core.score.ReviewClassifier;
import io.reviewrnn.core.text.EncodedReview;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * The inner loop of every Spark scoring path ({@code score}, {@code evaluate}, {@link ReviewSentimentModel}, {@code review_sentiment} in SQL): a lazy
 * iterator over one partition that reads {@code batchSize} rows, encodes the usable ones with the checkpoint's
 * own encoder, runs one network call per minibatch and emits exactly one output row per input row, in order.
 * At most one minibatch is in memory. The classifier is borrowed from the executor's per-JVM pool (built once
 * per concurrent task slot, keyed by content hash) and returned when the task ends.
 */
public final class MinibatchScoring implements Iterator<Row> {

    /** How input rows become output rows. */
    public interface Layout {
        /** Text to score, or null when the row must not be scored. */
        String text(Row in);

        /** The reason to reject the row before encoding, or null. */
        String error(Row in);

        Row scored(Row in, EncodedReview encoded, double probability);

        Row rejected(Row in, String reason);

        /** The model input of a usable row; by default its {@link #text} encoded with the checkpoint's encoder. */
        default EncodedReview encode(Row in, ReviewClassifier classifier) {
            return classifier.encode(text(in));
        }
    }

    private final Iterator<Row> in;
    private final PackagedModel model;
    private final int batchSize;
    private final Layout layout;
    private final LongAccumulator progress;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private ReviewClassifier classifier;

    public MinibatchScoring(Iterator<Row> in, PackagedModel model, int batchSize, Layout layout, LongAccumulator progress) {
        this.in = in;
        this.model = model;
        this.batchSize = batchSize;
        this.layout = layout;
        this.progress = progress;
    }

    @Override
    public boolean hasNext() {
        if (ready.isEmpty() && in.hasNext()) {
            fill();
        }
        if (ready.isEmpty()) {
            giveBack();
            return false;
        }
        return true;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    private void fill() {
        if (classifier == null) {
            classifier = model.borrow();
            TaskContext tc = TaskContext.get();
            if (tc != null) {
                tc.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> giveBack());
            }
        }
        List<Row> rows = new ArrayList<>(batchSize);
        Object[] outcome = new Object[batchSize]; // EncodedReview or String (reject reason)
        List<int[]> ids = new ArrayList<>(batchSize);
        while (rows.size() < batchSize && in.hasNext()) {
            Row r = in.next();
            int i = rows.size();
            rows.add(r);
            String error = layout.error(r);
            if (error == null) {
                try {
                    EncodedReview e = layout.encode(r, classifier);
                    outcome[i] = e;
                    ids.add(e.ids());
                } catch (RuntimeException ex) {
                    outcome[i] = "cannot encode: " + ex;
                }
            } else {
                outcome[i] = error;
            }
        }
        double[] p = classifier.predictIds(ids);
        int k = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (outcome[i] instanceof EncodedReview e) {
                ready.add(layout.scored(rows.get(i), e, p[k++]));
            } else {
                ready.add(layout.rejected(rows.get(i), (String) outcome[i]));
            }
        }
        if (progress != null) {
            progress.add(rows.size());
        }
    }

    private synchronized void giveBack() {
        if (classifier != null) {
            model.release(classifier);
            classifier = null;
        }
    }
}
