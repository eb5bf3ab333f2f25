// GENERATED from GruKernel.java by core/src/main/scripts/gen-float-kernels.sh: do not edit.
package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/**
 * GRU as PyTorch {@code nn.GRU} / Keras {@code GRU(reset_after=True)}, gate blocks r, z, n:
 * r = σ(x W_r + b_r + h RW_r + rb_r), z = σ(…_z), n = tanh(x W_n + b_n + r ⊙ (h RW_n + rb_n)),
 * h' = (1 − z) ⊙ n + z ⊙ h. With recurrent dropout the mask applies to h inside the recurrent products only.
 */
final class FloatGruKernel extends FloatRecurrentKernel {
    private float[] act = new float[0];   // [t][3H][s]: r, z, n
    private float[] ghn = new float[0];   // [t][H][s]: h RW_n + rb_n
    private float[] gh = new float[0];    // [3H][s]

    FloatGruKernel(int nIn, int units) {
        super(nIn, units, 3, true);
    }

    @Override
    void prepareCache(int mb, int cachedSteps) {
        act = grow(act, cachedSteps * gu * mb);
        ghn = grow(ghn, cachedSteps * units * mb);
        gh = grow(gh, gu * mb);
    }

    @Override
    void forwardStep(int t) {
        final int H = units;
        final int mb = this.mb;
        final float[] z = this.z;
        final float[] gh = this.gh;
        inputProject(t, z);
        for (int g = 0; g < gu; g++) {
            Arrays.fill(gh, g * mb, (g + 1) * mb, rb[g]);
        }
        recurrentProject(t, gh);
        int ao = cacheOffset(t, gu);
        int no = cacheOffset(t, H);
        int hp = t * H * mb;
        int hn = hp + H * mb;
        for (int k = 0; k < H; k++) {
            int kr = k * mb;
            int kz = (H + k) * mb;
            int kn = (2 * H + k) * mb;
            for (int s = 0; s < mb; s++) {
                float r = sigmoid(z[kr + s] + gh[kr + s]);
                float u = sigmoid(z[kz + s] + gh[kz + s]);
                float n = tanh(z[kn + s] + r * gh[kn + s]);
                act[ao + kr + s] = r;
                act[ao + kz + s] = u;
                act[ao + kn + s] = n;
                ghn[no + kr + s] = gh[kn + s];
                hs[hn + kr + s] = (1 - u) * n + u * hs[hp + kr + s];
            }
        }
    }

    @Override
    void backwardStep(int t, float[] dx) {
        final int H = units;
        final int mb = this.mb;
        final float[] dz = this.dz;
        final float[] dzh = this.dzh;
        int ao = cacheOffset(t, gu);
        int no = cacheOffset(t, H);
        int hp = t * H * mb;
        for (int k = 0; k < H; k++) {
            int kr = k * mb;
            int kz = (H + k) * mb;
            int kn = (2 * H + k) * mb;
            for (int s = 0; s < mb; s++) {
                float r = act[ao + kr + s];
                float u = act[ao + kz + s];
                float n = act[ao + kn + s];
                float dhk = dh[kr + s];
                float dnp = dhk * (1 - u) * (1 - n * n);
                float du = dhk * (hs[hp + kr + s] - n) * u * (1 - u);
                float dr = dnp * ghn[no + kr + s] * r * (1 - r);
                dz[kr + s] = dr;
                dz[kz + s] = du;
                dz[kn + s] = dnp;
                dzh[kr + s] = dr;
                dzh[kz + s] = du;
                dzh[kn + s] = dnp * r;
                dhRec[kr + s] = dhk * u;
            }
        }
        inputBackward(t, dz, dx);
        for (int g = 0; g < gu; g++) {
            grb[g] += sum(dzh, g * mb, mb);
        }
        recurrentBackward(t, dzh);
    }
}
