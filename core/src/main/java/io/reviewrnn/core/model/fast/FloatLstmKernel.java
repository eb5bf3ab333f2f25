// GENERATED from LstmKernel.java by core/src/main/scripts/gen-float-kernels.sh: do not edit.
package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/**
 * LSTM without peepholes, gate blocks in DL4J's order: 0 block input a (tanh), 1 forget f, 2 output o,
 * 3 input gate i (sigmoid). c_t = f c_{t-1} + i a, h_t = o tanh(c_t).
 */
final class FloatLstmKernel extends FloatRecurrentKernel {
    private float[][] act = new float[0][];   // rows [t * 4H + g]: a, f, o, i
    private float[][] cs = new float[0][];    // rows [(t + 1) * H + k]
    private float[][] tcs = new float[0][];   // rows [t * H + k]: tanh(c_t)
    private float[][] dcCarry = new float[0][];

    FloatLstmKernel(int nIn, int units) {
        super(nIn, units, 4, false);
    }

    @Override
    void prepareCache(int mb, int cachedSteps) {
        act = rows(act, cachedSteps * gu, mb);
        tcs = rows(tcs, cachedSteps * units, mb);
        cs = rows(cs, (steps + 1) * units, mb);
        dcCarry = rows(dcCarry, units, mb);
    }

    @Override
    void beginForward(int s0, int s1) {
        for (int k = 0; k < units; k++) {
            Arrays.fill(cs[k], s0, s1, 0);
        }
    }

    @Override
    void forwardStep(int t, int s0, int s1) {
        final int H = units;
        final float[][] z = this.z;
        inputProject(t, z, s0, s1);
        recurrentProject(t, z, s0, s1);
        int ao = cacheRow(t, gu);
        int to = cacheRow(t, H);
        for (int k = 0; k < H; k++) {
            final float[] za = z[k];
            final float[] zf = z[H + k];
            final float[] zo = z[2 * H + k];
            final float[] zi = z[3 * H + k];
            final float[] aa = act[ao + k];
            final float[] af = act[ao + H + k];
            final float[] ag = act[ao + 2 * H + k];
            final float[] ai = act[ao + 3 * H + k];
            final float[] cPrev = cs[t * H + k];
            final float[] cNext = cs[(t + 1) * H + k];
            final float[] tc = tcs[to + k];
            final float[] h = hs[(t + 1) * H + k];
            for (int s = s0; s < s1; s++) {
                float a = tanh(za[s]);
                float f = sigmoid(zf[s]);
                float o = sigmoid(zo[s]);
                float i = sigmoid(zi[s]);
                float c = f * cPrev[s] + i * a;
                float tcv = tanh(c);
                aa[s] = a;
                af[s] = f;
                ag[s] = o;
                ai[s] = i;
                cNext[s] = c;
                tc[s] = tcv;
                h[s] = o * tcv;
            }
        }
    }

    @Override
    void beginBackward(int s0, int s1) {
        for (int k = 0; k < units; k++) {
            Arrays.fill(dcCarry[k], s0, s1, 0);
        }
    }

    @Override
    void backwardStep(int t, boolean wantDx, int s0, int s1, int part) {
        final int H = units;
        final float[][] dz = this.dz;
        int ao = cacheRow(t, gu);
        int to = cacheRow(t, H);
        for (int k = 0; k < H; k++) {
            final float[] aa = act[ao + k];
            final float[] af = act[ao + H + k];
            final float[] ag = act[ao + 2 * H + k];
            final float[] ai = act[ao + 3 * H + k];
            final float[] tc = tcs[to + k];
            final float[] cPrev = cs[t * H + k];
            final float[] dhk = dh[k];
            final float[] carry = dcCarry[k];
            final float[] da = dz[k];
            final float[] df = dz[H + k];
            final float[] dO = dz[2 * H + k];
            final float[] di = dz[3 * H + k];
            for (int s = s0; s < s1; s++) {
                float a = aa[s];
                float f = af[s];
                float o = ag[s];
                float i = ai[s];
                float tcv = tc[s];
                float d = dhk[s];
                float dc = carry[s] + d * o * (1 - tcv * tcv);
                da[s] = dc * i * (1 - a * a);
                df[s] = dc * cPrev[s] * f * (1 - f);
                dO[s] = d * tcv * o * (1 - o);
                di[s] = dc * a * i * (1 - i);
                carry[s] = dc * f;
            }
            Arrays.fill(dhRec[k], s0, s1, 0);
        }
        inputBackward(t, dz, wantDx, s0, s1, part);
        recurrentBackward(t, dz, s0, s1);
    }
}
