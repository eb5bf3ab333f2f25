package io.reviewrnn.core.model.fast;

/**
 * Whole-sequence forward and backward pass of one recurrent cell type over plain Java arrays.
 *
 * <p>All work for a minibatch runs in one call: per sample, a loop over time steps with the small weight
 * matrices held in row-major arrays (they stay in L1). Arithmetic is in double so that the same code serves
 * float training and double gradient checks; the layer converts at the boundary.
 *
 * <p>Layouts (row-major): input {@code x[s][t][i]} (dense) or {@code ids[s][t]} (one-hot); weights
 * {@code w[i][g]}, {@code rw[k][g]} with {@code g} over {@code gates * units}; hidden states
 * {@code hs[s][t + 1][k]} where {@code t + 1 = 0} is the zero initial state.
 *
 * <p>Not thread-safe: one instance per layer instance; buffers are reused across minibatches.
 */
abstract class RecurrentKernel {
    final int nIn;
    final int units;
    final int gates;
    final int gu;

    // Parameters, row-major.
    final double[] w;
    final double[] rw;
    final double[] b;
    final double[] rb;
    // Gradient accumulators, same layout.
    final double[] gw;
    final double[] grw;
    final double[] gb;
    final double[] grb;

    int mb;
    int steps;
    double[] x;
    int[] ids;
    double[] inMask;
    double[] recMask;
    double[] hs = new double[0];

    // Per-step scratch.
    final double[] z;
    final double[] dz;
    final double[] dzh;
    final double[] hPrev;
    final double[] dh;
    final double[] dhRec;

    RecurrentKernel(int nIn, int units, int gates, boolean recurrentBias) {
        this.nIn = nIn;
        this.units = units;
        this.gates = gates;
        this.gu = gates * units;
        w = new double[nIn * gu];
        rw = new double[units * gu];
        b = new double[gu];
        rb = recurrentBias ? new double[gu] : null;
        gw = new double[nIn * gu];
        grw = new double[units * gu];
        gb = new double[gu];
        grb = recurrentBias ? new double[gu] : null;
        z = new double[gu];
        dz = new double[gu];
        dzh = new double[gu];
        hPrev = new double[units];
        dh = new double[units];
        dhRec = new double[units];
    }

    /** Sets the minibatch shape and grows the cached-state buffers. */
    void prepare(int mb, int steps) {
        this.mb = mb;
        this.steps = steps;
        int n = mb * (steps + 1) * units;
        if (hs.length < n) {
            hs = new double[n];
        }
        prepareCache(mb, steps);
    }

    abstract void prepareCache(int mb, int steps);

    /** Runs the forward pass for every sample; fills {@link #hs} and the cell's cache. */
    final void forward() {
        for (int s = 0; s < mb; s++) {
            forwardSample(s);
        }
    }

    abstract void forwardSample(int s);

    /**
     * Backward pass for every sample. {@code dOut} is {@code [s][t][k]} when {@code sequence}, else {@code [s][k]}
     * for the last step only. Accumulates parameter gradients (cleared first) and, when {@code dx != null},
     * writes the input gradient {@code dx[s][t][i]}.
     */
    final void backward(double[] dOut, boolean sequence, double[] dx) {
        java.util.Arrays.fill(gw, 0);
        java.util.Arrays.fill(grw, 0);
        java.util.Arrays.fill(gb, 0);
        if (grb != null) {
            java.util.Arrays.fill(grb, 0);
        }
        for (int s = 0; s < mb; s++) {
            java.util.Arrays.fill(dhRec, 0);
            beginBackwardSample();
            for (int t = steps - 1; t >= 0; t--) {
                double[] d = dh;
                if (sequence) {
                    int o = (s * steps + t) * units;
                    for (int k = 0; k < units; k++) {
                        d[k] = dOut[o + k] + dhRec[k];
                    }
                } else if (t == steps - 1) {
                    int o = s * units;
                    for (int k = 0; k < units; k++) {
                        d[k] = dOut[o + k] + dhRec[k];
                    }
                } else {
                    System.arraycopy(dhRec, 0, d, 0, units);
                }
                backwardStep(s, t, dx);
            }
        }
    }

    abstract void beginBackwardSample();

    /**
     * One step of backprop through time: reads {@link #dh} (total gradient on h_t), accumulates the parameter
     * gradients and sets {@link #dhRec} to the gradient on h_{t-1}.
     */
    abstract void backwardStep(int s, int t, double[] dx);

    final int hIndex(int s, int t) {
        return (s * (steps + 1) + t) * units;
    }

    /** z = b + x̃_t W, x̃ = x ⊙ input mask. */
    final void inputProject(int s, int t, double[] out) {
        System.arraycopy(b, 0, out, 0, gu);
        if (ids != null) {
            int id = ids[s * steps + t];
            double scale = inMask == null ? 1.0 : inMask[s * nIn + id];
            int o = id * gu;
            for (int g = 0; g < gu; g++) {
                out[g] += scale * w[o + g];
            }
            return;
        }
        int xo = (s * steps + t) * nIn;
        int mo = s * nIn;
        for (int i = 0; i < nIn; i++) {
            double xi = x[xo + i];
            if (inMask != null) {
                xi *= inMask[mo + i];
            }
            if (xi == 0.0) {
                continue;
            }
            int o = i * gu;
            for (int g = 0; g < gu; g++) {
                out[g] += xi * w[o + g];
            }
        }
    }

    /** out += h̃_{t-1} RW (h at index t of hs), h̃ = h ⊙ recurrent mask. */
    final void recurrentProject(int s, int t, double[] out) {
        int ho = hIndex(s, t);
        int mo = s * units;
        for (int k = 0; k < units; k++) {
            double hk = hs[ho + k];
            if (recMask != null) {
                hk *= recMask[mo + k];
            }
            int o = k * gu;
            for (int g = 0; g < gu; g++) {
                out[g] += hk * rw[o + g];
            }
        }
    }

    /** gW += x̃ ⊗ dz, gb += dz, dx = m ⊙ (W dz). */
    final void inputBackward(int s, int t, double[] d, double[] dx) {
        for (int g = 0; g < gu; g++) {
            gb[g] += d[g];
        }
        if (ids != null) {
            int id = ids[s * steps + t];
            double scale = inMask == null ? 1.0 : inMask[s * nIn + id];
            int o = id * gu;
            for (int g = 0; g < gu; g++) {
                gw[o + g] += scale * d[g];
            }
            return;
        }
        int xo = (s * steps + t) * nIn;
        int mo = s * nIn;
        for (int i = 0; i < nIn; i++) {
            double m = inMask == null ? 1.0 : inMask[mo + i];
            double xi = x[xo + i] * m;
            int o = i * gu;
            double acc = 0;
            for (int g = 0; g < gu; g++) {
                gw[o + g] += xi * d[g];
                acc += w[o + g] * d[g];
            }
            if (dx != null) {
                dx[xo + i] = acc * m;
            }
        }
    }

    /** gRW += h̃_{t-1} ⊗ d, dhRec = m ⊙ (RW d) (added to whatever the cell put in dhRec). */
    final void recurrentBackward(int s, int t, double[] d) {
        int ho = hIndex(s, t);
        int mo = s * units;
        for (int k = 0; k < units; k++) {
            double m = recMask == null ? 1.0 : recMask[mo + k];
            double hk = hs[ho + k] * m;
            int o = k * gu;
            double acc = 0;
            for (int g = 0; g < gu; g++) {
                grw[o + g] += hk * d[g];
                acc += rw[o + g] * d[g];
            }
            dhRec[k] += acc * m;
        }
    }

    static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    static double tanh(double v) {
        // Math.tanh is not intrinsified; this form uses the Math.exp intrinsic and is exact to ~1 ulp-ish.
        if (v > 20) {
            return 1.0;
        }
        if (v < -20) {
            return -1.0;
        }
        double e = Math.exp(2 * v);
        return (e - 1) / (e + 1);
    }
}
