package io.reviewrnn.core.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * DL4J's binary cross-entropy ({@link LossBinaryXENT}, same clipping and results) that also counts, per thread,
 * how many examples of the minibatch being scored were classified correctly (threshold 0.5). The training loop
 * reads the count after each {@code fit}: that is Keras' training accuracy, taken from the very forward pass that
 * produced the gradient (dropout on, pre-update weights), with no second forward pass.
 */
public class TallyingBinaryXent extends LossBinaryXENT {
    private static final long serialVersionUID = 1L;
    private static final ThreadLocal<long[]> TALLY = ThreadLocal.withInitial(() -> new long[2]);

    public TallyingBinaryXent() {
        super();
    }

    /** Zeroes this thread's count; call before {@code fit}. */
    public static void reset() {
        long[] t = TALLY.get();
        t[0] = 0;
        t[1] = 0;
    }

    /** Correct predictions scored on this thread since {@link #reset}. */
    public static long correct() {
        return TALLY.get()[0];
    }

    /** Examples scored on this thread since {@link #reset}. */
    public static long scored() {
        return TALLY.get()[1];
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        tally(labels, preOutput, mask);
        return super.computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        tally(labels, preOutput, mask);
        return super.computeGradientAndScore(labels, preOutput, activationFn, mask, average);
    }

    /** sigmoid(z) > 0.5 exactly when z > 0; one output column, so this is a loop over the minibatch. */
    private static void tally(INDArray labels, INDArray preOutput, INDArray mask) {
        if (preOutput.columns() != 1 || labels.columns() != 1) {
            return;
        }
        float[] z = preOutput.reshape(preOutput.length()).toFloatVector();
        float[] y = labels.reshape(labels.length()).toFloatVector();
        float[] m = mask == null ? null : mask.reshape(mask.length()).toFloatVector();
        long correct = 0;
        long n = 0;
        for (int i = 0; i < z.length; i++) {
            if (m != null && m[i] == 0f) {
                continue;
            }
            n++;
            if ((z[i] > 0f) == (y[i] > 0.5f)) {
                correct++;
            }
        }
        long[] t = TALLY.get();
        t[0] += correct;
        t[1] += n;
    }

    @Override
    public String name() {
        return "TallyingBinaryXent";
    }

    @Override
    public String toString() {
        return "TallyingBinaryXent()";
    }
}
