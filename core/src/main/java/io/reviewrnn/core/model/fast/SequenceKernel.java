package io.reviewrnn.core.model.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link FastRecurrentLayer} needs from a whole-sequence kernel. Two implementations per cell type: double
 * ({@link RecurrentKernel} and subclasses, used for double networks and gradient checks) and float
 * ({@code Float*Kernel}, generated at build time from the double source, marked {@code // float-kernel: generate},
 * by {@code core/src/main/scripts/gen-float-kernels.sh}; see core/pom.xml).
 */
interface SequenceKernel {
    int nIn();

    int units();

    int minibatch();

    int steps();

    /** Whether the last forward pass kept the activations needed by backward. */
    boolean kept();

    /** Splits each minibatch over this many threads (the caller plus common-pool workers). */
    void threads(int n);

    void prepare(int mb, int steps, boolean keep);

    /** Sets (or clears, with {@code null}) the input mask from uniform numbers [nIn][mb]. */
    void inputDropout(INDArray uniform, double dropped);

    /** Sets (or clears, with {@code null}) the recurrent mask from uniform numbers [units][mb]. */
    void recurrentDropout(INDArray uniform, double dropped);

    void loadParams(INDArray flat);

    void loadDense(INDArray input);

    /** Token ids [mb, T] or [mb, 1, T]; returns the index t * mb + s of the first invalid id, or -1. */
    int loadIds(INDArray ids, long vocab);

    void forward();

    void writeOutput(INDArray dst, boolean sequence);

    void backward(INDArray epsilon, boolean sequence, boolean wantDx);

    void writeInputGradient(INDArray dst);

    void writeParamGradients(INDArray flat);
}
