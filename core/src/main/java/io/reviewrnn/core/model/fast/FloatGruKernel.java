// GENERATED from GruKernel.java by core/src/main/scripts/gen-float-kernels.sh: do not edit.
package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/**
 * GRU as PyTorch {@code nn.GRU} / Keras {@code GRU(reset_after=True)}, gate blocks r, z, n:
 * r = σ(x W_r + b_r + h RW_r + rb_r), z = σ(…_z), n = tanh(x W_n + b_n + r ⊙ (h RW_n + rb_n)),
 * h' = (1 − z) ⊙ n + z ⊙ h. With recurrent dropout the mask applies to h inside the recurrent products only.
 */
final class FloatGruKernel extends FloatRecurrentKernel {
    private float[][] act = new float[0][];   // rows [t * 3H + g]: r, z, n
    private float[][] ghn = new float[0][];   // rows [t * H + k]: h RW_n + rb_n
    private float[][] gh = new float[0][];    // rows [g]

    FloatGruKernel(int nIn, int units) {
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
        final float[][] z = this.z;
        final float[][] gh = this.gh;
        inputProject(t, z, s0, s1);
        for (int g = 0; g < gu; g++) {
            Arrays.fill(gh[g], s0, s1, rb[g]);
        }
        recurrentProject(t, gh, s0, s1);
        int ao = cacheRow(t, gu);
        int no = cacheRow(t, H);
        for (int k = 0; k < H; k++) {
            final float[] zr = z[k];
            final float[] zz = z[H + k];
            final float[] zn = z[2 * H + k];
            final float[] hr = gh[k];
            final float[] hz = gh[H + k];
            final float[] hn = gh[2 * H + k];
            final float[] ar = act[ao + k];
            final float[] az = act[ao + H + k];
            final float[] an = act[ao + 2 * H + k];
            final float[] cn = ghn[no + k];
            final float[] hPrev = hs[t * H + k];
            final float[] hNext = hs[(t + 1) * H + k];
            for (int s = s0; s < s1; s++) {
                float r = sigmoid(zr[s] + hr[s]);
                float u = sigmoid(zz[s] + hz[s]);
                float n = tanh(zn[s] + r * hn[s]);
                ar[s] = r;
                az[s] = u;
                an[s] = n;
                cn[s] = hn[s];
                hNext[s] = (1 - u) * n + u * hPrev[s];
            }
        }
    }

    @Override
    void backwardStep(int t, boolean wantDx, int s0, int s1, int part) {
        final int H = units;
        final float[][] dz = this.dz;
        final float[][] dzh = this.dzh;
        int ao = cacheRow(t, gu);
        int no = cacheRow(t, H);
        for (int k = 0; k < H; k++) {
            final float[] ar = act[ao + k];
            final float[] az = act[ao + H + k];
            final float[] an = act[ao + 2 * H + k];
            final float[] cn = ghn[no + k];
            final float[] hPrev = hs[t * H + k];
            final float[] dhk = dh[k];
            final float[] rec = dhRec[k];
            final float[] dr = dz[k];
            final float[] du = dz[H + k];
            final float[] dn = dz[2 * H + k];
            final float[] dhr = dzh[k];
            final float[] dhz = dzh[H + k];
            final float[] dhn = dzh[2 * H + k];
            for (int s = s0; s < s1; s++) {
                float r = ar[s];
                float u = az[s];
                float n = an[s];
                float d = dhk[s];
                float dnp = d * (1 - u) * (1 - n * n);
                float dup = d * (hPrev[s] - n) * u * (1 - u);
                float drp = dnp * cn[s] * r * (1 - r);
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
