package io.reviewrnn.core.model.fast;

/** Elman RNN as DL4J {@code SimpleRnn} / Keras {@code SimpleRNN}: h_t = tanh(x W + h_{t-1} RW + b). */
final class SimpleRnnKernel extends RecurrentKernel {

    SimpleRnnKernel(int nIn, int units) {
        super(nIn, units, 1, false);
    }

    @Override
    void prepareCache(int mb, int steps) {
    }

    @Override
    void forwardSample(int s) {
        final int H = units;
        int h0 = hIndex(s, 0);
        for (int k = 0; k < H; k++) {
            hs[h0 + k] = 0;
        }
        for (int t = 0; t < steps; t++) {
            inputProject(s, t, z);
            recurrentProject(s, t, z);
            int hn = hIndex(s, t + 1);
            for (int k = 0; k < H; k++) {
                hs[hn + k] = tanh(z[k]);
            }
        }
    }

    @Override
    void beginBackwardSample() {
    }

    @Override
    void backwardStep(int s, int t, double[] dx) {
        int hn = hIndex(s, t + 1);
        for (int k = 0; k < units; k++) {
            double h = hs[hn + k];
            dz[k] = dh[k] * (1 - h * h);
            dhRec[k] = 0;
        }
        inputBackward(s, t, dz, dx);
        recurrentBackward(s, t, dz);
    }
}
