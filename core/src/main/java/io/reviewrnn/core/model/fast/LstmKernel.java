// float-kernel: generate
package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/**
 * LSTM without peepholes, gate blocks in DL4J's order: 0 block input a (tanh), 1 forget f, 2 output o,
 * 3 input gate i (sigmoid). c_t = f c_{t-1} + i a, h_t = o tanh(c_t).
 */
final class LstmKernel extends RecurrentKernel {
    private double[][] act = new double[0][];   // rows [t * 4H + g]: a, f, o, i
    private double[][] cs = new double[0][];    // rows [(t + 1) * H + k]
    private double[][] tcs = new double[0][];   // rows [t * H + k]: tanh(c_t)
    private double[][] dcCarry = new double[0][];

    LstmKernel(int nIn, int units) {
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
        final double[][] z = this.z;
        inputProject(t, z, s0, s1);
        recurrentProject(t, z, s0, s1);
        int ao = cacheRow(t, gu);
        int to = cacheRow(t, H);
        for (int k = 0; k < H; k++) {
            final double[] za = z[k];
            final double[] zf = z[H + k];
            final double[] zo = z[2 * H + k];
            final double[] zi = z[3 * H + k];
            final double[] aa = act[ao + k];
            final double[] af = act[ao + H + k];
            final double[] ag = act[ao + 2 * H + k];
            final double[] ai = act[ao + 3 * H + k];
            final double[] cPrev = cs[t * H + k];
            final double[] cNext = cs[(t + 1) * H + k];
            final double[] tc = tcs[to + k];
            final double[] h = hs[(t + 1) * H + k];
            // The gates are activated a row of the minibatch at a time, in short loops the JIT vectorizes
            // (KernelMath); inference has one step's rows and overwrites them at every step.
            KernelMath.tanhRow(za, aa, s0, s1);
            KernelMath.sigmoidRow(zf, af, s0, s1);
            KernelMath.sigmoidRow(zo, ag, s0, s1);
            KernelMath.sigmoidRow(zi, ai, s0, s1);
            for (int s = s0; s < s1; s++) {
                cNext[s] = af[s] * cPrev[s] + ai[s] * aa[s];
            }
            KernelMath.tanhRow(cNext, tc, s0, s1);
            for (int s = s0; s < s1; s++) {
                h[s] = ag[s] * tc[s];
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
        final double[][] dz = this.dz;
        int ao = cacheRow(t, gu);
        int to = cacheRow(t, H);
        for (int k = 0; k < H; k++) {
            final double[] aa = act[ao + k];
            final double[] af = act[ao + H + k];
            final double[] ag = act[ao + 2 * H + k];
            final double[] ai = act[ao + 3 * H + k];
            final double[] tc = tcs[to + k];
            final double[] cPrev = cs[t * H + k];
            final double[] dhk = dh[k];
            final double[] carry = dcCarry[k];
            final double[] da = dz[k];
            final double[] df = dz[H + k];
            final double[] dO = dz[2 * H + k];
            final double[] di = dz[3 * H + k];
            for (int s = s0; s < s1; s++) {
                double a = aa[s];
                double f = af[s];
                double o = ag[s];
                double i = ai[s];
                double tcv = tc[s];
                double d = dhk[s];
                double dc = carry[s] + d * o * (1 - tcv * tcv);
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
