// float-kernel: generate
package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/** Elman RNN as DL4J {@code SimpleRnn} / Keras {@code SimpleRNN}: h_t = tanh(x W + h_{t-1} RW + b). */
final class SimpleRnnKernel extends RecurrentKernel {

    SimpleRnnKernel(int nIn, int units) {
        super(nIn, units, 1, false);
    }

    @Override
    void prepareCache(int mb, int cachedSteps) {
    }

    @Override
    void forwardStep(int t, int s0, int s1) {
        final double[][] z = this.z;
        inputProject(t, z, s0, s1);
        recurrentProject(t, z, s0, s1);
        for (int k = 0; k < units; k++) {
            final double[] zk = z[k];
            final double[] h = hs[(t + 1) * units + k];
            KernelMath.tanhRow(zk, h, s0, s1); // a row at a time, vectorized by the JIT
        }
    }

    @Override
    void backwardStep(int t, boolean wantDx, int s0, int s1, int part) {
        for (int k = 0; k < units; k++) {
            final double[] h = hs[(t + 1) * units + k];
            final double[] d = dh[k];
            final double[] o = dz[k];
            for (int s = s0; s < s1; s++) {
                o[s] = d[s] * (1 - h[s] * h[s]);
            }
            Arrays.fill(dhRec[k], s0, s1, 0);
        }
        inputBackward(t, dz, wantDx, s0, s1, part);
        recurrentBackward(t, dz, s0, s1);
    }
}
