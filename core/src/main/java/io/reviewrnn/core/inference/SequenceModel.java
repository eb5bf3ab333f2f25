package io.reviewrnn.core.inference;

import java.util.List;

/**
 * A model's inference on encoded reviews: {@code maxlen} token ids each in, the probability of a positive review
 * out, one minibatch per call. {@link Dl4jSequenceModel} runs a checkpoint's DL4J network,
 * {@link OnnxSequenceModel} an exported {@code model.onnx} in ONNX Runtime. Not thread-safe (a DL4J network is
 * not): use one instance per thread.
 */
public interface SequenceModel extends AutoCloseable {

    /** Which engine this is. */
    InferenceEngine engine();

    /** Probabilities for {@code batch}, every element holding exactly {@code maxlen} ids. */
    double[] predict(List<int[]> batch, int maxlen);

    /** Releases native resources (the ONNX Runtime session); a no-op for DL4J. */
    @Override
    void close();

    /** Checks that every review of {@code batch} has {@code maxlen} ids. */
    static void checkLengths(List<int[]> batch, int maxlen) {
        for (int[] ids : batch) {
            if (ids.length != maxlen) {
                throw new IllegalArgumentException("encoded review has " + ids.length + " ids, maxlen is " + maxlen);
            }
        }
    }
}
