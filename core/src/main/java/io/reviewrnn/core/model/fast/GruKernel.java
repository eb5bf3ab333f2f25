package io.reviewrnn.core.model.fast;

import java.util.Arrays;

/**
 * GRU as PyTorch {@code nn.GRU} / Keras {@code GRU(reset_after=True)}, gate blocks r, z, n:
 * r = σ(x W_r + b_r + h RW_r + rb_r), z = σ(…_z), n = tanh(x W_n + b_n + r ⊙ (h RW_n + rb_n)),
 * h' = (1 − z) ⊙ n + z ⊙ h. With recurrent dropout the mask applies to h inside the recurrent products only.
 */
final class GruKernel extends RecurrentKernel {
    private double[] act = new double[0];   // [t][3H][s]: r, z, n
    private double[] ghn = new double[0];   // [t][H][s]: h RW_n + rb_n
    private double[] gh = new double[0];    // [3H][s]

    GruKernel(int nIn, int units) {
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
        final double[] z = this.z;
        final double[] gh = this.gh;
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
                double r = sigmoid(z[kr + s] + gh[kr + s]);
                double u = sigmoid(z[kz + s] + gh[kz + s]);
                double n = tanh(z[kn + s] + r * gh[kn + s]);
                act[ao + kr + s] = r;
                act[ao + kz + s] = u;
                act[ao + kn + s] = n;
                ghn[no + kr + s] = gh[kn + s];
                hs[hn + kr + s] = (1 - u) * n + u * hs[hp + kr + s];
            }
        }
    }

    @Override
    void backwardStep(int t, double[] dx) {
        final int H = units;
        final int mb = this.mb;
        final double[] dz = this.dz;
        final double[] dzh = this.dzh;
        int ao = cacheOffset(t, gu);
        int no = cacheOffset(t, H);
        int hp = t * H * mb;
        for (int k = 0; k < H; k++) {
            int kr = k * mb;
            int kz = (H + k) * mb;
            int kn = (2 * H + k) * mb;
            for (int s = 0; s < mb; s++) {
                double r = act[ao + kr + s];
                double u = act[ao + kz + s];
                double n = act[ao + kn + s];
                double dhk = dh[kr + s];
                double dnp = dhk * (1 - u) * (1 - n * n);
                double du = dhk * (hs[hp + kr + s] - n) * u * (1 - u);
                double dr = dnp * ghn[no + kr + s] * r * (1 - r);
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
