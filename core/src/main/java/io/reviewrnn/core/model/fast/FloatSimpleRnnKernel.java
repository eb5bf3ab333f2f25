// GENERATED from SimpleRnnKernel.java by core/src/main/scripts/gen-float-kernels.sh: do not edit.
package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/** Elman RNN as DL4J {@code SimpleRnn} / Keras {@code SimpleRNN}: h_t = tanh(x W + h_{t-1} RW + b). */
final class FloatSimpleRnnKernel extends FloatRecurrentKernel {

    FloatSimpleRnnKernel(int nIn, int units) {
        super(nIn, units, 1, false);
    }

    @Override
    void prepareCache(int mb, int cachedSteps) {
    }

    @Override
    void forwardStep(int t, int s0, int s1) {
        final float[][] z = this.z;
        inputProject(t, z, s0, s1);
        recurrentProject(t, z, s0, s1);
        for (int k = 0; k < units; k++) {
            final float[] zk = z[k];
            final float[] h = hs[(t + 1) * units + k];
            for (int s = s0; s < s1; s++) {
                h[s] = tanh(zk[s]);
            }
        }
    }

    @Override
    void backwardStep(int t, boolean wantDx, int s0, int s1, int part) {
        for (int k = 0; k < units; k++) {
            final float[] h = hs[(t + 1) * units + k];
            final float[] d = dh[k];
            final float[] o = dz[k];
            for (int s = s0; s < s1; s++) {
                o[s] = d[s] * (1 - h[s] * h[s]);
            }
            Arrays.fill(dhRec[k], s0, s1, 0);
        }
        inputBackward(t, dz, wantDx, s0, s1, part);
        recurrentBackward(t, dz, s0, s1);
    }
}
