// float-kernel: generate
package io.reviewrnn.core.model.fast;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whole-sequence forward and backward pass of one recurrent cell type over plain Java arrays.
 *
 * <p>One call runs a whole minibatch: a loop over time steps whose inner loops run over the minibatch. Every
 * activation is stored as rows of {@code mb} values ({@code double[row][s]}): inner loops then index all arrays with
 * the same {@code s} and no offsets, which lets the JIT vectorize them (with one flat array and offsets it cannot
 * rule out aliasing and stays scalar, about 3x slower). Parameter gradients are accumulated per sample ("lanes") and
 * reduced once per minibatch for the same reason. The small weight matrices stay in L1. Arithmetic runs in the
 * network's precision (see {@link SequenceKernel} for the two variants).
 *
 * <p>Rows ({@code s} = sample): input {@code x[t * nIn + i]} (already multiplied by the input dropout mask) or
 * token ids {@code ids[t]}; hidden states {@code hs[(t + 1) * units + k]} with the zero initial state in rows
 * {@code 0..units-1}; gates {@code z[g]}; masks {@code inMask[i]}, {@code recMask[k]}. Weights are row-major
 * {@code w[i * G*u + g]}, {@code rw[k * G*u + g]}.
 *
 * <p>Not thread-safe: one instance per layer instance; buffers are reused across minibatches.
 */
abstract class RecurrentKernel implements SequenceKernel {
    final int nIn;
    final int units;
    final int gates;
    final int gu;

    // Parameters, row-major.
    final double[] w;
    /** W column-major ({@code wt[g * nIn + i]}, DL4J's layout): the input projection of token ids gathers rows of it. */
    final double[] wt;
    final double[] rw;
    final double[] b;
    final double[] rb;
    // Gradients, same layout.
    final double[] gw;
    final double[] grw;
    final double[] gb;
    final double[] grb;

    /** Threads that split the minibatch (samples are independent); 1 = the calling thread only. */
    int threads = 1;
    int mb;
    int steps;
    /** Whether the forward pass keeps every step's activations for backprop (training). */
    boolean keep;
    double[][] x = new double[0][];
    int[][] ids;
    double[][] inMask;
    double[][] recMask;
    double[][] hs = new double[0][];

    // Scratch rows.
    double[][] z = new double[0][];
    double[][] dz = new double[0][];
    double[][] dzh = new double[0][];
    double[][] hm = new double[0][];
    double[][] dh = new double[0][];
    double[][] dhRec = new double[0][];
    double[][] dx = new double[0][];
    double[] tmp = new double[0];
    // Per-sample partial sums of the parameter gradients, reduced once per minibatch.
    double[][] gwLanes = new double[0][];
    double[][] grwLanes = new double[0][];
    double[][] gbLanes = new double[0][];
    double[][] grbLanes = new double[0][];
    // One-hot input kernel gradient: one partial sum per thread (rows of the vocabulary are shared).
    double[][] gwParts = new double[0][];

    RecurrentKernel(int nIn, int units, int gates, boolean recurrentBias) {
        this.nIn = nIn;
        this.units = units;
        this.gates = gates;
        this.gu = gates * units;
        w = new double[nIn * gu];
        wt = new double[nIn * gu];
        rw = new double[units * gu];
        b = new double[gu];
        rb = recurrentBias ? new double[gu] : null;
        gw = new double[nIn * gu];
        grw = new double[units * gu];
        gb = new double[gu];
        grb = recurrentBias ? new double[gu] : null;
    }

    /** At least {@code rows} rows of exactly {@code mb} values, reusing {@code a} when it fits. */
    static double[][] rows(double[][] a, int rows, int mb) {
        if (a.length >= rows && (rows == 0 || a[0].length == mb)) {
            return a;
        }
        return new double[rows][mb];
    }

    @Override
    public final void threads(int n) {
        threads = Math.max(1, n);
    }

    @Override
    public void prepare(int mb, int steps, boolean keep) {
        this.mb = mb;
        this.steps = steps;
        this.keep = keep;
        hs = rows(hs, (steps + 1) * units, mb);
        z = rows(z, gu, mb);
        hm = rows(hm, units, mb);
        if (keep) {
            dz = rows(dz, gu, mb);
            dzh = rows(dzh, gu, mb);
            dh = rows(dh, units, mb);
            dhRec = rows(dhRec, units, mb);
            if (tmp.length != mb) {
                tmp = new double[mb];
            }
        }
        prepareCache(mb, keep ? steps : 1);
    }

    /** Grows the cell's per-step caches for {@code cachedSteps} steps. */
    abstract void prepareCache(int mb, int cachedSteps);

    /** First row of step {@code t} in a per-step cache with {@code width} rows per step. */
    final int cacheRow(int t, int width) {
        return keep ? t * width : 0;
    }

    @Override
    public final void forward() {
        parallel((s0, s1, part) -> {
            for (int k = 0; k < units; k++) {
                Arrays.fill(hs[k], s0, s1, 0);
            }
            beginForward(s0, s1);
            for (int t = 0; t < steps; t++) {
                forwardStep(t, s0, s1);
            }
        });
    }

    /** A slice [s0, s1) of the minibatch, run by worker {@code part}. */
    interface Slice {
        void run(int s0, int s1, int part);
    }

    /** Runs {@code body} over the minibatch split into {@link #threads} contiguous slices, in parallel. */
    final void parallel(Slice body) {
        int n = Math.max(1, Math.min(threads, mb / 8));
        if (n == 1) {
            body.run(0, mb, 0);
            return;
        }
        java.util.concurrent.ForkJoinTask<?>[] tasks = new java.util.concurrent.ForkJoinTask<?>[n - 1];
        for (int p = 1; p < n; p++) {
            final int part = p;
            final int s0 = (int) ((long) mb * p / n);
            final int s1 = (int) ((long) mb * (p + 1) / n);
            tasks[p - 1] = java.util.concurrent.ForkJoinPool.commonPool().submit(() -> body.run(s0, s1, part));
        }
        body.run(0, mb / n, 0);
        for (java.util.concurrent.ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    void beginForward(int s0, int s1) {
    }

    abstract void forwardStep(int t, int s0, int s1);

    /**
     * Backward pass after a {@link #keep} forward pass. {@code dOut} rows are {@code [t * units + k]} when
     * {@code sequence}, else {@code [k]} for the last step. Sets the parameter gradients and, when {@code wantDx},
     * the input gradient rows {@link #dx}.
     */
    final void backward(double[][] dOut, boolean sequence, boolean wantDx) {
        if (!keep) {
            throw new IllegalStateException("backward needs a forward pass that kept its activations");
        }
        int inRows = ids != null ? 0 : nIn * gu;
        gwLanes = rows(gwLanes, inRows, mb);
        grwLanes = rows(grwLanes, units * gu, mb);
        gbLanes = rows(gbLanes, gu, mb);
        clear(gwLanes, inRows);
        clear(grwLanes, units * gu);
        clear(gbLanes, gu);
        if (grb != null) {
            grbLanes = rows(grbLanes, gu, mb);
            clear(grbLanes, gu);
        }
        if (ids != null) {
            if (gwParts.length < threads) {
                gwParts = new double[threads][nIn * gu];
            }
            for (double[] part : gwParts) {
                Arrays.fill(part, 0);
            }
        }
        if (wantDx) {
            dx = rows(dx, steps * nIn, mb);
        }
        parallel((s0, s1, part) -> {
            for (int k = 0; k < units; k++) {
                Arrays.fill(dhRec[k], s0, s1, 0);
            }
            beginBackward(s0, s1);
            for (int t = steps - 1; t >= 0; t--) {
                for (int k = 0; k < units; k++) {
                    double[] d = dh[k];
                    double[] r = dhRec[k];
                    if (sequence || t == steps - 1) {
                        double[] o = dOut[sequence ? t * units + k : k];
                        for (int s = s0; s < s1; s++) {
                            d[s] = o[s] + r[s];
                        }
                    } else {
                        System.arraycopy(r, s0, d, s0, s1 - s0);
                    }
                }
                backwardStep(t, wantDx, s0, s1, part);
            }
        });
        if (ids == null) {
            reduce(gwLanes, gw, inRows);
        } else {
            Arrays.fill(gw, 0);
            for (double[] part : gwParts) {
                for (int j = 0; j < gw.length; j++) {
                    gw[j] += part[j];
                }
            }
        }
        reduce(grwLanes, grw, units * gu);
        reduce(gbLanes, gb, gu);
        if (grb != null) {
            reduce(grbLanes, grb, gu);
        }
    }

    private static void clear(double[][] a, int rows) {
        for (int j = 0; j < rows; j++) {
            Arrays.fill(a[j], 0);
        }
    }

    private static void reduce(double[][] lanes, double[] out, int rows) {
        for (int j = 0; j < rows; j++) {
            out[j] = sum(lanes[j]);
        }
    }

    void beginBackward(int s0, int s1) {
    }

    /**
     * One step of backprop through time for samples [s0, s1): reads {@link #dh} (total gradient on h_t), accumulates
     * the parameter gradients and leaves the gradient on h_{t-1} in {@link #dhRec}.
     */
    abstract void backwardStep(int t, boolean wantDx, int s0, int s1, int part);

    /** out[g] = b[g] + (x̃_t W)[g]. */
    final void inputProject(int t, double[][] out, int s0, int s1) {
        final int gu = this.gu;
        if (ids != null && inMask == null) { // one pass per gate row, gathering from W's column: b + W[id]
            int[] idt = ids[t];
            for (int g = 0; g < gu; g++) {
                final double[] o = out[g];
                final double bg = b[g];
                final int row = g * nIn;
                for (int s = s0; s < s1; s++) {
                    o[s] = bg + wt[row + idt[s]];
                }
            }
            return;
        }
        for (int g = 0; g < gu; g++) {
            Arrays.fill(out[g], s0, s1, b[g]);
        }
        if (ids != null) {
            int[] idt = ids[t];
            for (int s = s0; s < s1; s++) {
                int id = idt[s];
                double sc = inMask == null ? 1 : inMask[id][s];
                int wo = id * gu;
                for (int g = 0; g < gu; g++) {
                    out[g][s] += sc * w[wo + g];
                }
            }
            return;
        }
        int xo = t * nIn;
        int i = 0;
        for (; i + 4 <= nIn; i += 4) {
            addRows(out, w, i, x[xo + i], x[xo + i + 1], x[xo + i + 2], x[xo + i + 3], s0, s1);
        }
        for (; i < nIn; i++) {
            addRow(out, w, i, x[xo + i], s0, s1);
        }
    }

    /**
     * out[g] += Σ_j a_j m[(row + j) * gu + g] for four rows of {@code m}: one pass over each gate row instead of four
     * (a quarter of its loads and stores), with the same additions in the same order as {@link #addRow} four times,
     * so the same result bit for bit.
     */
    private void addRows(double[][] out, double[] m, int row, double[] a0, double[] a1, double[] a2, double[] a3,
            int s0, int s1) {
        final int gu = this.gu;
        for (int g = 0; g < gu; g++) {
            final double m0 = m[row * gu + g];
            final double m1 = m[(row + 1) * gu + g];
            final double m2 = m[(row + 2) * gu + g];
            final double m3 = m[(row + 3) * gu + g];
            final double[] o = out[g];
            for (int s = s0; s < s1; s++) {
                o[s] = o[s] + m0 * a0[s] + m1 * a1[s] + m2 * a2[s] + m3 * a3[s];
            }
        }
    }

    /** out[g] += a m[row * gu + g]. */
    private void addRow(double[][] out, double[] m, int row, double[] a, int s0, int s1) {
        final int gu = this.gu;
        for (int g = 0; g < gu; g++) {
            final double mv = m[row * gu + g];
            final double[] o = out[g];
            for (int s = s0; s < s1; s++) {
                o[s] += mv * a[s];
            }
        }
    }

    /** The masked previous state h̃_{t-1} = h_{t-1} ⊙ recMask, row k. */
    private double[] prev(int t, int k, int s0, int s1) {
        double[] h = hs[t * units + k];
        if (recMask == null) {
            return h;
        }
        double[] m = recMask[k];
        double[] out = hm[k];
        for (int s = s0; s < s1; s++) {
            out[s] = h[s] * m[s];
        }
        return out;
    }

    /** out[g] += (h̃_{t-1} RW)[g]; nothing at t = 0 (zero initial state). */
    final void recurrentProject(int t, double[][] out, int s0, int s1) {
        if (t == 0) {
            return;
        }
        int k = 0;
        for (; k + 4 <= units; k += 4) {
            addRows(out, rw, k, prev(t, k, s0, s1), prev(t, k + 1, s0, s1), prev(t, k + 2, s0, s1),
                    prev(t, k + 3, s0, s1), s0, s1);
        }
        for (; k < units; k++) {
            addRow(out, rw, k, prev(t, k, s0, s1), s0, s1);
        }
    }

    /** Lanes: gW += x̃_t ⊗ d, gb += d; dx_t = inMask ⊙ (d W^T). */
    final void inputBackward(int t, double[][] d, boolean wantDx, int s0, int s1, int part) {
        final int gu = this.gu;
        accumulate(gbLanes, d, s0, s1);
        if (ids != null) {
            final double[] acc = gwParts[part];
            int[] idt = ids[t];
            for (int s = s0; s < s1; s++) {
                int id = idt[s];
                double sc = inMask == null ? 1 : inMask[id][s];
                int wo = id * gu;
                for (int g = 0; g < gu; g++) {
                    acc[wo + g] += sc * d[g][s];
                }
            }
            return;
        }
        int xo = t * nIn;
        for (int i = 0; i < nIn; i++) {
            final double[] xi = x[xo + i];
            for (int g = 0; g < gu; g++) {
                final double[] l = gwLanes[i * gu + g];
                final double[] dg = d[g];
                for (int s = s0; s < s1; s++) {
                    l[s] += xi[s] * dg[s];
                }
            }
        }
        if (!wantDx) {
            return;
        }
        for (int i = 0; i < nIn; i++) {
            final double[] o = dx[xo + i];
            Arrays.fill(o, s0, s1, 0);
            for (int g = 0; g < gu; g++) {
                final double wv = w[i * gu + g];
                final double[] dg = d[g];
                for (int s = s0; s < s1; s++) {
                    o[s] += wv * dg[s];
                }
            }
            if (inMask != null) {
                final double[] m = inMask[i];
                for (int s = s0; s < s1; s++) {
                    o[s] *= m[s];
                }
            }
        }
    }

    /** Lanes: gRW += h̃_{t-1} ⊗ d; dhRec += recMask ⊙ (d RW^T). Nothing at t = 0 (zero initial state). */
    final void recurrentBackward(int t, double[][] d, int s0, int s1) {
        if (t == 0) {
            return;
        }
        final int gu = this.gu;
        final double[] tmp = this.tmp;
        for (int k = 0; k < units; k++) {
            final double[] hk = prev(t, k, s0, s1);
            Arrays.fill(tmp, s0, s1, 0);
            for (int g = 0; g < gu; g++) {
                final double rv = rw[k * gu + g];
                final double[] l = grwLanes[k * gu + g];
                final double[] dg = d[g];
                for (int s = s0; s < s1; s++) {
                    l[s] += hk[s] * dg[s];
                    tmp[s] += rv * dg[s];
                }
            }
            final double[] r = dhRec[k];
            if (recMask != null) {
                final double[] m = recMask[k];
                for (int s = s0; s < s1; s++) {
                    r[s] += tmp[s] * m[s];
                }
            } else {
                for (int s = s0; s < s1; s++) {
                    r[s] += tmp[s];
                }
            }
        }
    }

    /** lanes[g] += d[g] for every gate row: the per-sample bias gradient. */
    final void accumulate(double[][] lanes, double[][] d, int s0, int s1) {
        for (int g = 0; g < gu; g++) {
            final double[] l = lanes[g];
            final double[] dg = d[g];
            for (int s = s0; s < s1; s++) {
                l[s] += dg[s];
            }
        }
    }

    // ---- Boundary with ND4J: bulk copies through NIO buffers (no per-element JNI). ----

    /** Reads DL4J's flattened parameter view (W 'f' [nIn, G*u], RW 'f' [u, G*u], b, rb) into the row-major arrays. */
    @Override
    public final void loadParams(INDArray flat) {
        double[] p = readFlat(flat);
        System.arraycopy(p, 0, wt, 0, nIn * gu);
        int off = 0;
        for (int g = 0; g < gu; g++) {
            for (int i = 0; i < nIn; i++) {
                w[i * gu + g] = p[off + i + g * nIn];
            }
        }
        off += nIn * gu;
        for (int g = 0; g < gu; g++) {
            for (int r = 0; r < units; r++) {
                rw[r * gu + g] = p[off + r + g * units];
            }
        }
        off += units * gu;
        System.arraycopy(p, off, b, 0, gu);
        off += gu;
        if (rb != null) {
            System.arraycopy(p, off, rb, 0, gu);
        }
    }

    /** Writes the parameter gradients into DL4J's flattened gradient view (same layout as the parameters). */
    @Override
    public final void writeParamGradients(INDArray flat) {
        double[] p = new double[(int) flat.length()];
        int off = 0;
        for (int g = 0; g < gu; g++) {
            for (int i = 0; i < nIn; i++) {
                p[off + i + g * nIn] = gw[i * gu + g];
            }
        }
        off += nIn * gu;
        for (int g = 0; g < gu; g++) {
            for (int r = 0; r < units; r++) {
                p[off + r + g * units] = grw[r * gu + g];
            }
        }
        off += units * gu;
        System.arraycopy(gb, 0, p, off, gu);
        off += gu;
        if (grb != null) {
            System.arraycopy(grb, 0, p, off, gu);
        }
        if (writeVector(flat, p)) {
            return;
        }
        INDArray tmpArr;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            tmpArr = Nd4j.createUninitialized(DataType.DOUBLE, flat.shape(), 'f');
            java.nio.DoubleBuffer nio = tmpArr.data().asNioDouble();
            nio.position(0);
            nio.put(p);
            if (flat.dataType() != DataType.DOUBLE) {
                tmpArr = tmpArr.castTo(flat.dataType());
            }
        }
        flat.assign(tmpArr);
    }

    /** Dense input [mb, nIn, T] ('f' order = rows [t * nIn + i]) with the input dropout mask folded in. */
    @Override
    public final void loadDense(INDArray input) {
        ids = null;
        x = rows(x, steps * nIn, mb);
        readRows(input, x, steps * nIn);
        if (inMask != null) {
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < nIn; i++) {
                    double[] r = x[t * nIn + i];
                    double[] m = inMask[i];
                    for (int s = 0; s < mb; s++) {
                        r[s] *= m[s];
                    }
                }
            }
        }
    }

    @Override
    public final int loadIds(INDArray idsMbT, long vocab) {
        double[][] v = new double[steps][mb]; // rows [t] of [mb, T]
        readRows(idsMbT, v, steps);
        if (ids == null || ids.length < steps || ids[0].length != mb) {
            ids = new int[steps][mb];
        }
        for (int t = 0; t < steps; t++) {
            int[] row = ids[t];
            for (int s = 0; s < mb; s++) {
                double d = v[t][s];
                int id = (int) d;
                if (id != d || id < 0 || id >= vocab) {
                    return t * mb + s;
                }
                row[s] = id;
            }
        }
        return -1;
    }

    @Override
    public final void inputDropout(INDArray uniform, double/*keep*/ dropped) {
        inMask = uniform == null ? null : dropoutMask(uniform, dropped, nIn);
    }

    @Override
    public final void recurrentDropout(INDArray uniform, double/*keep*/ dropped) {
        recMask = uniform == null ? null : dropoutMask(uniform, dropped, units);
    }

    /** Inverted-dropout mask rows [rows][mb] from uniform numbers [mb, rows] in [0, 1). */
    private double[][] dropoutMask(INDArray uniform, double/*keep*/ dropped, int count) {
        double[][] m = new double[count][mb];
        readRows(uniform, m, count);
        double keepP = (double) (1.0 - dropped);
        double scale = (double) (1.0 / keepP);
        for (double[] r : m) {
            for (int s = 0; s < mb; s++) {
                r[s] = r[s] < keepP ? scale : 0;
            }
        }
        return m;
    }

    @Override
    public final int nIn() {
        return nIn;
    }

    @Override
    public final int units() {
        return units;
    }

    @Override
    public final int minibatch() {
        return mb;
    }

    @Override
    public final int steps() {
        return steps;
    }

    @Override
    public final boolean kept() {
        return keep;
    }

    /** Output h for all steps ('f' [mb, u, T]: rows units..) or the last step ('f' [mb, u]). */
    @Override
    public final void writeOutput(INDArray dst, boolean sequence) {
        if (sequence) {
            writeRows(dst, hs, units, steps * units);
        } else {
            writeRows(dst, hs, steps * units, units);
        }
    }

    @Override
    public final void backward(INDArray epsilon, boolean sequence, boolean wantDx) {
        int count = sequence ? steps * units : units;
        double[][] dOut = new double[count][mb];
        readRows(epsilon, dOut, count);
        backward(dOut, sequence, wantDx);
    }

    /** Input gradient in 'f' order of [mb, nIn, T]. */
    @Override
    public final void writeInputGradient(INDArray dst) {
        writeRows(dst, dx, 0, steps * nIn);
    }

    /**
     * All of {@code a} in 'f' order. A contiguous vector (e.g. a layer's view of the network's flattened parameters)
     * is read straight from its buffer: the NIO view spans the whole underlying buffer and the array starts at
     * {@code offset()}. Small arrays through ND4J ops cost more than the copy itself.
     */
    static double[] readFlat(INDArray a) {
        if (a.dataType() == DataType.DOUBLE && isContiguousVector(a)) {
            double[] out = new double[(int) a.length()];
            java.nio.DoubleBuffer nio = a.data().asNioDouble();
            nio.position((int) a.offset());
            nio.get(out);
            return out;
        }
        INDArray c = compactF(a);
        double[] out = new double[(int) c.length()];
        java.nio.DoubleBuffer nio = c.data().asNioDouble();
        nio.position(0);
        nio.get(out);
        return out;
    }

    /**
     * {@code a} ([mb, R, T] or [mb, R]) as rows {@code [t * R + r]} (or {@code [r]}) of {@code mb} values. Arrays that
     * own their whole buffer (any strides, e.g. a permuted 'c' array from the layer below) are read with one bulk
     * copy and transposed here; anything else goes through an ND4J 'f' copy first.
     */
    final void readRows(INDArray a, double[][] out, int count) {
        if (a.dataType() == DataType.DOUBLE && !a.isView() && a.offset() == 0 && a.data().length() == a.length()
                && (a.rank() == 2 || a.rank() == 3)) {
            double[] flat = new double[(int) a.length()];
            java.nio.DoubleBuffer nio = a.data().asNioDouble();
            nio.position(0);
            nio.get(flat);
            long[] st = a.stride();
            int s0 = (int) st[0];
            int r1 = (int) a.size(1);
            int s1 = (int) st[1];
            int steps = a.rank() == 3 ? (int) a.size(2) : 1;
            int s2 = a.rank() == 3 ? (int) st[2] : 0;
            for (int t = 0; t < steps; t++) {
                for (int r = 0; r < r1; r++) {
                    double[] row = out[t * r1 + r];
                    int base = r * s1 + t * s2;
                    if (s0 == 1) {
                        System.arraycopy(flat, base, row, 0, mb);
                    } else {
                        for (int s = 0; s < mb; s++) {
                            row[s] = flat[base + s * s0];
                        }
                    }
                }
            }
            return;
        }
        INDArray c = compactF(a);
        java.nio.DoubleBuffer nio = c.data().asNioDouble();
        nio.position(0);
        for (int r = 0; r < count; r++) {
            nio.get(out[r], 0, mb);
        }
    }

    /** Writes rows {@code from..from+count-1} (in 'f' order of dst's shape) into {@code dst}. */
    final void writeRows(INDArray dst, double[][] src, int from, int count) {
        if (dst.dataType() == DataType.DOUBLE && isCompactF(dst)) {
            java.nio.DoubleBuffer nio = dst.data().asNioDouble();
            nio.position(0);
            for (int r = 0; r < count; r++) {
                nio.put(src[from + r], 0, mb);
            }
            return;
        }
        INDArray tmpArr;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            tmpArr = Nd4j.createUninitialized(DataType.DOUBLE, dst.shape(), 'f');
            java.nio.DoubleBuffer nio = tmpArr.data().asNioDouble();
            nio.position(0);
            for (int r = 0; r < count; r++) {
                nio.put(src[from + r], 0, mb);
            }
            tmpArr = tmpArr.castTo(dst.dataType());
        }
        dst.assign(tmpArr);
    }

    private static INDArray compactF(INDArray a) {
        INDArray c = a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
        if (!isCompactF(c)) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                c = c.dup('f');
            }
        }
        return c;
    }

    /** A vector (one dimension > 1 at most) with element-wise stride 1. */
    static boolean isContiguousVector(INDArray a) {
        return isVectorLike(a) && (a.length() == 1 || a.elementWiseStride() == 1);
    }

    /** Writes {@code src} into a contiguous vector {@code dst} of the same data type, in place; false if it is not one. */
    static boolean writeVector(INDArray dst, double[] src) {
        if (dst.dataType() != DataType.DOUBLE || !isContiguousVector(dst) || dst.length() != src.length) {
            return false;
        }
        java.nio.DoubleBuffer nio = dst.data().asNioDouble();
        nio.position((int) dst.offset());
        nio.put(src);
        return true;
    }

    /** 'f'-ordered, default strides, not a view, buffer exactly the array: NIO position 0 is element 0. */
    static boolean isCompactF(INDArray a) {
        return (a.ordering() == 'f' || isVectorLike(a)) && Shape.hasDefaultStridesForShape(a)
                && !a.isView() && a.data().length() == a.length() && a.offset() == 0;
    }

    private static boolean isVectorLike(INDArray a) {
        int big = 0;
        for (long d : a.shape()) {
            if (d > 1) {
                big++;
            }
        }
        return big <= 1;
    }

    static double sum(double[] a) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
