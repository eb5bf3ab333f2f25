// float-kernel: generate
package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/**
 * GRU as PyTorch {@code nn.GRU} / Keras {@code GRU(reset_after=True)}, gate blocks r, z, n:
 * r = σ(x W_r + b_r + h RW_r + rb_r), z = σ(…_z), n = tanh(x W_n + b_n + r ⊙ (h RW_n + rb_n)),
 * h' = (1 − z) ⊙ n + z ⊙ h. With recurrent dropout the mask applies to h inside the recurrent products only.
 */
final class GruKernel extends RecurrentKernel {
    private double[][] act = new double[0][];   // rows [t * 3H + g]: r, z, n
    private double[][] ghn = new double[0][];   // rows [t * H + k]: h RW_n + rb_n
    private double[][] gh = new double[0][];    // rows [g]

    GruKernel(int nIn, int units) {
        super(nIn, units, 3, true);
    }

    @Override
    void prepareCache(int mb, int cachedSteps) {
        act = rows(act, cachedSteps * gu, mb);
        ghn = rows(ghn, cachedSteps * units, mb);
        gh = rows(gh, gu, mb);
    }

    @Override
    void forwardStep(int t, int s0, int s1) {
        final int H = units;
        final double[][] z = this.z;
        final double[][] gh = this.gh;
        inputProject(t, z, s0, s1);
        for (int g = 0; g < gu; g++) {
            Arrays.fill(gh[g], s0, s1, rb[g]);
        }
        recurrentProject(t, gh, s0, s1);
        int ao = cacheRow(t, gu);
        int no = cacheRow(t, H);
        for (int k = 0; k < H; k++) {
            final double[] zr = z[k];
            final double[] zz = z[H + k];
            final double[] zn = z[2 * H + k];
            final double[] hr = gh[k];
            final double[] hz = gh[H + k];
            final double[] hn = gh[2 * H + k];
            final double[] ar = act[ao + k];
            final double[] az = act[ao + H + k];
            final double[] an = act[ao + 2 * H + k];
            final double[] cn = ghn[no + k];
            final double[] hPrev = hs[t * H + k];
            final double[] hNext = hs[(t + 1) * H + k];
            // The gates are activated a row of the minibatch at a time, in short loops the JIT vectorizes
            // (KernelMath); inference has one step's rows and overwrites them at every step.
            for (int s = s0; s < s1; s++) {
                ar[s] = zr[s] + hr[s];
                az[s] = zz[s] + hz[s];
            }
            KernelMath.sigmoidRow(ar, ar, s0, s1);
            KernelMath.sigmoidRow(az, az, s0, s1);
            for (int s = s0; s < s1; s++) {
                an[s] = zn[s] + ar[s] * hn[s];
            }
            KernelMath.tanhRow(an, an, s0, s1);
            if (keep) {
                System.arraycopy(hn, s0, cn, s0, s1 - s0);
            }
            for (int s = s0; s < s1; s++) {
                hNext[s] = (1 - az[s]) * an[s] + az[s] * hPrev[s];
            }
        }
    }

    @Override
    void backwardStep(int t, boolean wantDx, int s0, int s1, int part) {
        final int H = units;
        final double[][] dz = this.dz;
        final double[][] dzh = this.dzh;
        int ao = cacheRow(t, gu);
        int no = cacheRow(t, H);
        for (int k = 0; k < H; k++) {
            final double[] ar = act[ao + k];
            final double[] az = act[ao + H + k];
            final double[] an = act[ao + 2 * H + k];
            final double[] cn = ghn[no + k];
            final double[] hPrev = hs[t * H + k];
            final double[] dhk = dh[k];
            final double[] rec = dhRec[k];
            final double[] dr = dz[k];
            final double[] du = dz[H + k];
            final double[] dn = dz[2 * H + k];
            final double[] dhr = dzh[k];
            final double[] dhz = dzh[H + k];
            final double[] dhn = dzh[2 * H + k];
            for (int s = s0; s < s1; s++) {
                double r = ar[s];
                double u = az[s];
                double n = an[s];
                double d = dhk[s];
                double dnp = d * (1 - u) * (1 - n * n);
                double dup = d * (hPrev[s] - n) * u * (1 - u);
                double drp = dnp * cn[s] * r * (1 - r);
                dr[s] = drp;
                du[s] = dup;
                dn[s] = dnp;
                dhr[s] = drp;
                dhz[s] = dup;
                dhn[s] = dnp * r;
                rec[s] = d * u;
            }
        }
        inputBackward(t, dz, wantDx, s0, s1, part);
        accumulate(grbLanes, dzh, s0, s1);
        recurrentBackward(t, dzh, s0, s1);
    }
}
