package io.reviewrnn.core.model.fast;

/**
 * GRU as PyTorch {@code nn.GRU} / Keras {@code GRU(reset_after=True)}, gate blocks r, z, n:
 * r = σ(x W_r + b_r + h RW_r + rb_r), z = σ(…_z), n = tanh(x W_n + b_n + r ⊙ (h RW_n + rb_n)),
 * h' = (1 − z) ⊙ n + z ⊙ h. With recurrent dropout the mask applies to h inside the recurrent products only.
 */
final class GruKernel extends RecurrentKernel {
    private double[] act = new double[0];   // [s][t][3H]: r, z, n
    private double[] ghn = new double[0];   // [s][t][H]: h RW_n + rb_n
    private final double[] gh;

    GruKernel(int nIn, int units) {
        super(nIn, units, 3, true);
        gh = new double[gu];
    }

    @Override
    void prepareCache(int mb, int steps) {
        if (act.length < mb * steps * gu) {
            act = new double[mb * steps * gu];
            ghn = new double[mb * steps * units];
        }
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
            System.arraycopy(rb, 0, gh, 0, gu);
            recurrentProject(s, t, gh);
            int ao = (s * steps + t) * gu;
            int hp = hIndex(s, t);
            int hn = hp + H;
            int no = (s * steps + t) * H;
            for (int k = 0; k < H; k++) {
                double r = sigmoid(z[k] + gh[k]);
                double u = sigmoid(z[H + k] + gh[H + k]);
                double n = tanh(z[2 * H + k] + r * gh[2 * H + k]);
                act[ao + k] = r;
                act[ao + H + k] = u;
                act[ao + 2 * H + k] = n;
                ghn[no + k] = gh[2 * H + k];
                hs[hn + k] = (1 - u) * n + u * hs[hp + k];
            }
        }
    }

    @Override
    void beginBackwardSample() {
    }

    @Override
    void backwardStep(int s, int t, double[] dx) {
        final int H = units;
        int ao = (s * steps + t) * gu;
        int hp = hIndex(s, t);
        int no = (s * steps + t) * H;
        for (int k = 0; k < H; k++) {
            double r = act[ao + k];
            double u = act[ao + H + k];
            double n = act[ao + 2 * H + k];
            double dhk = dh[k];
            double dnp = dhk * (1 - u) * (1 - n * n);
            double du = dhk * (hs[hp + k] - n) * u * (1 - u);
            double dr = dnp * ghn[no + k] * r * (1 - r);
            dz[k] = dr;
            dz[H + k] = du;
            dz[2 * H + k] = dnp;
            dzh[k] = dr;
            dzh[H + k] = du;
            dzh[2 * H + k] = dnp * r;
            dhRec[k] = dhk * u;
        }
        inputBackward(s, t, dz, dx);
        for (int g = 0; g < gu; g++) {
            grb[g] += dzh[g];
        }
        recurrentBackward(s, t, dzh);
    }
}
