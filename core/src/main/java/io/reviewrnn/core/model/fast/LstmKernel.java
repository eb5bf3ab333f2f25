package io.reviewrnn.core.model.fast;

/**
 * LSTM without peepholes, gate blocks in DL4J's order: 0 block input a (tanh), 1 forget f, 2 output o,
 * 3 input gate i (sigmoid). c_t = f c_{t-1} + i a, h_t = o tanh(c_t).
 */
final class LstmKernel extends RecurrentKernel {
    private double[] act = new double[0];   // [s][t][4H]: a, f, o, i
    private double[] cs = new double[0];    // [s][t+1][H]
    private double[] tcs = new double[0];   // [s][t][H]: tanh(c_t)
    private final double[] dcCarry;

    LstmKernel(int nIn, int units) {
        super(nIn, units, 4, false);
        dcCarry = new double[units];
    }

    @Override
    void prepareCache(int mb, int steps) {
        if (act.length < mb * steps * gu) {
            act = new double[mb * steps * gu];
            tcs = new double[mb * steps * units];
        }
        if (cs.length < mb * (steps + 1) * units) {
            cs = new double[mb * (steps + 1) * units];
        }
    }

    @Override
    void forwardSample(int s) {
        final int H = units;
        int h0 = hIndex(s, 0);
        for (int k = 0; k < H; k++) {
            hs[h0 + k] = 0;
            cs[h0 + k] = 0;
        }
        for (int t = 0; t < steps; t++) {
            inputProject(s, t, z);
            recurrentProject(s, t, z);
            int ao = (s * steps + t) * gu;
            int cp = hIndex(s, t);
            int cn = cp + H;
            int to = (s * steps + t) * H;
            for (int k = 0; k < H; k++) {
                double a = tanh(z[k]);
                double f = sigmoid(z[H + k]);
                double o = sigmoid(z[2 * H + k]);
                double i = sigmoid(z[3 * H + k]);
                double c = f * cs[cp + k] + i * a;
                double tc = tanh(c);
                act[ao + k] = a;
                act[ao + H + k] = f;
                act[ao + 2 * H + k] = o;
                act[ao + 3 * H + k] = i;
                cs[cn + k] = c;
                tcs[to + k] = tc;
                hs[cn + k] = o * tc;
            }
        }
    }

    @Override
    void beginBackwardSample() {
        java.util.Arrays.fill(dcCarry, 0);
    }

    @Override
    void backwardStep(int s, int t, double[] dx) {
        final int H = units;
        int ao = (s * steps + t) * gu;
        int cp = hIndex(s, t);
        int to = (s * steps + t) * H;
        for (int k = 0; k < H; k++) {
            double a = act[ao + k];
            double f = act[ao + H + k];
            double o = act[ao + 2 * H + k];
            double i = act[ao + 3 * H + k];
            double tc = tcs[to + k];
            double dhk = dh[k];
            double dc = dcCarry[k] + dhk * o * (1 - tc * tc);
            dz[k] = dc * i * (1 - a * a);
            dz[H + k] = dc * cs[cp + k] * f * (1 - f);
            dz[2 * H + k] = dhk * tc * o * (1 - o);
            dz[3 * H + k] = dc * a * i * (1 - i);
            dcCarry[k] = dc * f;
            dhRec[k] = 0;
        }
        inputBackward(s, t, dz, dx);
        recurrentBackward(s, t, dz);
    }
}
