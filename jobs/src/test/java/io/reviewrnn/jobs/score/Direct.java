package io.reviewrnn.jobs.score;

import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.SequenceEncoder;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference the ITs compare with: the checkpoint's network called directly, one review at a time. */
public final class Direct {
    private Direct() {
    }

    static EncodedReview encode(Checkpoint c, String text) {
        return new SequenceEncoder(c.textSpec(), c.vocabulary()).encode(text);
    }

    /** Probability for one encoded review: features [1, maxlen] through {@code network.output}. */
    static double predict(Checkpoint c, int[] ids) {
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            f[i] = ids[i];
        }
        INDArray out = c.network().output(Nd4j.create(f, new long[] {1, ids.length}, 'c').castTo(DataType.FLOAT),
                false);
        return out.getDouble(0);
    }

    /** Probabilities for many encoded reviews, {@code network.output} on minibatches of 500. */
    public static double[] predictAll(Checkpoint c, List<int[]> all) {
        double[] p = new double[all.size()];
        for (int from = 0; from < all.size(); from += 500) {
            int b = Math.min(500, all.size() - from);
            int maxlen = all.get(from).length;
            float[] f = new float[b * maxlen];
            for (int i = 0; i < b; i++) {
                int[] ids = all.get(from + i);
                for (int t = 0; t < maxlen; t++) {
                    f[i * maxlen + t] = ids[t];
                }
            }
            INDArray out = c.network().output(Nd4j.create(f, new long[] {b, maxlen}, 'c').castTo(DataType.FLOAT),
                    false);
            for (int i = 0; i < b; i++) {
                p[from + i] = out.getDouble(i, 0);
            }
        }
        return p;
    }

    static double predictIds(Checkpoint c, List<Integer> ids) {
        int[] a = new int[ids.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ids.get(i);
        }
        return predict(c, a);
    }
}
