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
    void forwardStep(int t) {
        final double[] z = this.z;
        inputProject(t, z);
        recurrentProject(t, z);
        int hn = (t + 1) * units * mb;
        int n = units * mb;
        for (int j = 0; j < n; j++) {
            hs[hn + j] = tanh(z[j]);
        }
    }

    @Override
    void backwardStep(int t, double[] dx) {
        int hn = (t + 1) * units * mb;
        int n = units * mb;
        for (int j = 0; j < n; j++) {
            double h = hs[hn + j];
            dz[j] = dh[j] * (1 - h * h);
        }
        Arrays.fill(dhRec, 0, n, 0);
        inputBackward(t, dz, dx);
        recurrentBackward(t, dz);
    }
}
