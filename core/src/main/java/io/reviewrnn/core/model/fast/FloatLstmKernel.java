// GENERATED from LstmKernel.java by core/src/main/scripts/gen-float-kernels.sh: do not edit.
package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/**
 * LSTM without peepholes, gate blocks in DL4J's order: 0 block input a (tanh), 1 forget f, 2 output o,
 * 3 input gate i (sigmoid). c_t = f c_{t-1} + i a, h_t = o tanh(c_t).
 */
final class FloatLstmKernel extends FloatRecurrentKernel {
    private float[] act = new float[0];   // [t][4H][s]: a, f, o, i
    private float[] cs = new float[0];    // [t+1][H][s]
    private float[] tcs = new float[0];   // [t][H][s]: tanh(c_t)
    private float[] dcCarry = new float[0];

    FloatLstmKernel(int nIn, int units) {
        super(nIn, units, 4, false);
    }

    @Override
    void prepareCache(int mb, int cachedSteps) {
        act = grow(act, cachedSteps * gu * mb);
        tcs = grow(tcs, cachedSteps * units * mb);
        cs = grow(cs, (steps + 1) * units * mb);
        dcCarry = grow(dcCarry, units * mb);
    }

    @Override
    void beginForward() {
        Arrays.fill(cs, 0, units * mb, 0);
    }

    @Override
    void forwardStep(int t) {
        final int H = units;
        final int mb = this.mb;
        final float[] z = this.z;
        inputProject(t, z);
        recurrentProject(t, z);
        int ao = cacheOffset(t, gu);
        int to = cacheOffset(t, H);
        int cp = t * H * mb;
        int cn = cp + H * mb;
        for (int k = 0; k < H; k++) {
            int ka = k * mb;
            int kf = (H + k) * mb;
            int ko = (2 * H + k) * mb;
            int ki = (3 * H + k) * mb;
            for (int s = 0; s < mb; s++) {
                float a = tanh(z[ka + s]);
                float f = sigmoid(z[kf + s]);
                float o = sigmoid(z[ko + s]);
                float i = sigmoid(z[ki + s]);
                float c = f * cs[cp + ka + s] + i * a;
                float tc = tanh(c);
                act[ao + ka + s] = a;
                act[ao + kf + s] = f;
                act[ao + ko + s] = o;
                act[ao + ki + s] = i;
                cs[cn + ka + s] = c;
                tcs[to + ka + s] = tc;
                hs[cn + ka + s] = o * tc;
            }
        }
    }

    @Override
    void beginBackward() {
        Arrays.fill(dcCarry, 0, units * mb, 0);
    }

    @Override
    void backwardStep(int t, float[] dx) {
        final int H = units;
        final int mb = this.mb;
        final float[] dz = this.dz;
        int ao = cacheOffset(t, gu);
        int to = cacheOffset(t, H);
        int cp = t * H * mb;
        for (int k = 0; k < H; k++) {
            int ka = k * mb;
            int kf = (H + k) * mb;
            int ko = (2 * H + k) * mb;
            int ki = (3 * H + k) * mb;
            for (int s = 0; s < mb; s++) {
                float a = act[ao + ka + s];
                float f = act[ao + kf + s];
                float o = act[ao + ko + s];
                float i = act[ao + ki + s];
                float tc = tcs[to + ka + s];
                float dhk = dh[ka + s];
                float dc = dcCarry[ka + s] + dhk * o * (1 - tc * tc);
                dz[ka + s] = dc * i * (1 - a * a);
                dz[kf + s] = dc * cs[cp + ka + s] * f * (1 - f);
                dz[ko + s] = dhk * tc * o * (1 - o);
                dz[ki + s] = dc * a * i * (1 - i);
                dcCarry[ka + s] = dc * f;
            }
        }
        Arrays.fill(dhRec, 0, H * mb, 0);
        inputBackward(t, dz, dx);
        recurrentBackward(t, dz);
    }
}
