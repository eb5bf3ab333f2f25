// GENERATED from RecurrentKernel.java by core/src/main/scripts/gen-float-kernels.sh: do not edit.
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
 * <p>One call runs a whole minibatch: a loop over time steps whose inner loops run over the minibatch, which is the
 * contiguous dimension of every activation array, so the JIT vectorizes them; the small weight matrices stay in L1.
 * Arithmetic is in float so that one code path serves float training and float gradient checks; the layer converts
 * at the boundary.
 *
 * <p>Layouts ({@code s} = sample, contiguous): input {@code x[t][i][s]} (DL4J's 'f' order of {@code [mb, nIn, T]},
 * already multiplied by the input dropout mask) or token ids {@code ids[t][s]}; weights row-major {@code w[i][g]},
 * {@code rw[k][g]} with {@code g} over {@code gates * units}; hidden states {@code hs[t + 1][k][s]} with the zero
 * initial state at index 0; masks {@code inMask[i][s]}, {@code recMask[k][s]}.
 *
 * <p>Not thread-safe: one instance per layer instance; buffers are reused across minibatches.
 */
abstract class FloatRecurrentKernel implements SequenceKernel {
    final int nIn;
    final int units;
    final int gates;
    final int gu;

    // Parameters, row-major.
    final float[] w;
    final float[] rw;
    final float[] b;
    final float[] rb;
    // Gradient accumulators, same layout.
    final float[] gw;
    final float[] grw;
    final float[] gb;
    final float[] grb;

    int mb;
    int steps;
    /** Whether the forward pass keeps every step's activations for backprop (training). */
    boolean keep;
    float[] x;
    int[] ids;
    float[] inMask;
    float[] recMask;
    float[] hs = new float[0];

    // Scratch, [g][s] or [k][s].
    float[] z = new float[0];
    float[] dz = new float[0];
    float[] dzh = new float[0];
    float[] hm = new float[0];
    float[] dh = new float[0];
    float[] dhRec = new float[0];
    float[] tmp = new float[0];

    FloatRecurrentKernel(int nIn, int units, int gates, boolean recurrentBias) {
        this.nIn = nIn;
        this.units = units;
        this.gates = gates;
        this.gu = gates * units;
        w = new float[nIn * gu];
        rw = new float[units * gu];
        b = new float[gu];
        rb = recurrentBias ? new float[gu] : null;
        gw = new float[nIn * gu];
        grw = new float[units * gu];
        gb = new float[gu];
        grb = recurrentBias ? new float[gu] : null;
    }

    static float[] grow(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    /** Sets the minibatch shape and grows the buffers. */
    @Override
    public void prepare(int mb, int steps, boolean keep) {
        this.mb = mb;
        this.steps = steps;
        this.keep = keep;
        hs = grow(hs, (steps + 1) * units * mb);
        z = grow(z, gu * mb);
        dz = grow(dz, gu * mb);
        dzh = grow(dzh, gu * mb);
        hm = grow(hm, units * mb);
        dh = grow(dh, units * mb);
        dhRec = grow(dhRec, units * mb);
        tmp = grow(tmp, mb);
        prepareCache(mb, keep ? steps : 1);
    }

    /** Grows the cell's per-step caches for {@code cachedSteps} steps. */
    abstract void prepareCache(int mb, int cachedSteps);

    /** Offset of step {@code t} in a per-step cache with {@code width} values per sample. */
    final int cacheOffset(int t, int width) {
        return keep ? t * width * mb : 0;
    }

    /** Runs the forward pass; fills {@link #hs} and, when {@link #keep}, the cell's cache. */
    @Override
    public final void forward() {
        Arrays.fill(hs, 0, units * mb, 0);
        beginForward();
        for (int t = 0; t < steps; t++) {
            forwardStep(t);
        }
    }

    void beginForward() {
    }

    abstract void forwardStep(int t);

    /**
     * Backward pass after a {@link #keep} forward pass. {@code dOut} is {@code [t][k][s]} when {@code sequence},
     * else {@code [k][s]} for the last step. Sets the parameter gradients and, when {@code dx != null}, the input
     * gradient {@code dx[t][i][s]}.
     */
    final void backward(float[] dOut, boolean sequence, float[] dx) {
        if (!keep) {
            throw new IllegalStateException("backward needs a forward pass that kept its activations");
        }
        Arrays.fill(gw, 0);
        Arrays.fill(grw, 0);
        Arrays.fill(gb, 0);
        if (grb != null) {
            Arrays.fill(grb, 0);
        }
        final int n = units * mb;
        Arrays.fill(dhRec, 0, n, 0);
        beginBackward();
        for (int t = steps - 1; t >= 0; t--) {
            if (sequence) {
                int o = t * n;
                for (int j = 0; j < n; j++) {
                    dh[j] = dOut[o + j] + dhRec[j];
                }
            } else if (t == steps - 1) {
                for (int j = 0; j < n; j++) {
                    dh[j] = dOut[j] + dhRec[j];
                }
            } else {
                System.arraycopy(dhRec, 0, dh, 0, n);
            }
            backwardStep(t, dx);
        }
    }

    void beginBackward() {
    }

    /**
     * One step of backprop through time: reads {@link #dh} (total gradient on h_t), accumulates the parameter
     * gradients and leaves the gradient on h_{t-1} in {@link #dhRec}.
     */
    abstract void backwardStep(int t, float[] dx);

    /** out[g][s] = b[g] + (x̃_t W)[s][g]. */
    final void inputProject(int t, float[] out) {
        final int mb = this.mb;
        final int gu = this.gu;
        for (int g = 0; g < gu; g++) {
            Arrays.fill(out, g * mb, (g + 1) * mb, b[g]);
        }
        if (ids != null) {
            int io = t * mb;
            for (int s = 0; s < mb; s++) {
                int id = ids[io + s];
                float sc = inMask == null ? 1 : inMask[id * mb + s];
                int wo = id * gu;
                for (int g = 0; g < gu; g++) {
                    out[g * mb + s] += sc * w[wo + g];
                }
            }
            return;
        }
        final float[] x = this.x;
        int xo = t * nIn * mb;
        for (int i = 0; i < nIn; i++) {
            int xi = xo + i * mb;
            for (int g = 0; g < gu; g++) {
                float wv = w[i * gu + g];
                int zo = g * mb;
                for (int s = 0; s < mb; s++) {
                    out[zo + s] += wv * x[xi + s];
                }
            }
        }
    }

    /** The masked previous state h̃_{t-1} = h_{t-1} ⊙ recMask; returns the array, offset in {@link #hmOffset}. */
    private float[] maskedPrev(int t) {
        int ho = t * units * mb;
        if (recMask == null) {
            hmOffset = ho;
            return hs;
        }
        int n = units * mb;
        for (int j = 0; j < n; j++) {
            hm[j] = hs[ho + j] * recMask[j];
        }
        hmOffset = 0;
        return hm;
    }

    private int hmOffset;

    /** out[g][s] += (h̃_{t-1} RW)[s][g]. */
    final void recurrentProject(int t, float[] out) {
        if (t == 0) {
            return; // zero initial state
        }
        final float[] src = maskedPrev(t);
        final int so = hmOffset;
        final int mb = this.mb;
        final int gu = this.gu;
        for (int k = 0; k < units; k++) {
            int ho = so + k * mb;
            for (int g = 0; g < gu; g++) {
                float rv = rw[k * gu + g];
                int zo = g * mb;
                for (int s = 0; s < mb; s++) {
                    out[zo + s] += rv * src[ho + s];
                }
            }
        }
    }

    /** gW += x̃_t^T d, gb += Σ_s d, dx_t = inMask ⊙ (d W^T). */
    final void inputBackward(int t, float[] d, float[] dx) {
        final int mb = this.mb;
        final int gu = this.gu;
        for (int g = 0; g < gu; g++) {
            gb[g] += sum(d, g * mb, mb);
        }
        if (ids != null) {
            int io = t * mb;
            for (int s = 0; s < mb; s++) {
                int id = ids[io + s];
                float sc = inMask == null ? 1 : inMask[id * mb + s];
                int wo = id * gu;
                for (int g = 0; g < gu; g++) {
                    gw[wo + g] += sc * d[g * mb + s];
                }
            }
            return;
        }
        final float[] x = this.x;
        int xo = t * nIn * mb;
        for (int i = 0; i < nIn; i++) {
            int xi = xo + i * mb;
            for (int g = 0; g < gu; g++) {
                gw[i * gu + g] += dot(x, xi, d, g * mb, mb);
            }
        }
        if (dx == null) {
            return;
        }
        for (int i = 0; i < nIn; i++) {
            int xi = xo + i * mb;
            Arrays.fill(dx, xi, xi + mb, 0);
            for (int g = 0; g < gu; g++) {
                float wv = w[i * gu + g];
                int zo = g * mb;
                for (int s = 0; s < mb; s++) {
                    dx[xi + s] += wv * d[zo + s];
                }
            }
            if (inMask != null) {
                int mo = i * mb;
                for (int s = 0; s < mb; s++) {
                    dx[xi + s] *= inMask[mo + s];
                }
            }
        }
    }

    /** gRW += h̃_{t-1}^T d, dhRec += recMask ⊙ (d RW^T). No-op at t = 0 (zero initial state). */
    final void recurrentBackward(int t, float[] d) {
        if (t == 0) {
            return;
        }
        final float[] src = maskedPrev(t);
        final int so = hmOffset;
        final int mb = this.mb;
        final int gu = this.gu;
        final float[] tmp = this.tmp;
        for (int k = 0; k < units; k++) {
            int ho = so + k * mb;
            Arrays.fill(tmp, 0, mb, 0);
            for (int g = 0; g < gu; g++) {
                grw[k * gu + g] += dot(src, ho, d, g * mb, mb);
                float rv = rw[k * gu + g];
                int zo = g * mb;
                for (int s = 0; s < mb; s++) {
                    tmp[s] += rv * d[zo + s];
                }
            }
            int ko = k * mb;
            if (recMask != null) {
                for (int s = 0; s < mb; s++) {
                    dhRec[ko + s] += tmp[s] * recMask[ko + s];
                }
            } else {
                for (int s = 0; s < mb; s++) {
                    dhRec[ko + s] += tmp[s];
                }
            }
        }
    }

    // ---- Boundary with ND4J: bulk copies through NIO buffers (no per-element JNI). ----

    /** Reads DL4J's flattened parameter view (W 'f' [nIn, G*u], RW 'f' [u, G*u], b, rb) into the row-major arrays. */
    @Override
    public final void loadParams(INDArray flat) {
        float[] p = read(flat, null);
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
        float[] p = new float[(int) flat.length()];
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
        write(flat, p, 0, p.length);
    }

    /** Dense input [mb, nIn, T]: x[t][i][s] with the input dropout mask folded in. */
    @Override
    public final void loadDense(INDArray input) {
        x = read(input, x);
        ids = null;
        if (inMask != null) {
            int n = nIn * mb;
            for (int t = 0; t < steps; t++) {
                int o = t * n;
                for (int j = 0; j < n; j++) {
                    x[o + j] *= inMask[j];
                }
            }
        }
    }

    /** Token ids [mb, T] (as 'f' order: ids[t][s]); returns the flat index of the first invalid id, or -1. */
    @Override
    public final int loadIds(INDArray idsMbT, long vocab) {
        float[] v = read(idsMbT, null);
        int n = mb * steps;
        if (ids == null || ids.length < n) {
            ids = new int[n];
        }
        x = null;
        for (int j = 0; j < n; j++) {
            float d = v[j];
            int id = (int) d;
            if (id != d || id < 0 || id >= vocab) {
                return j;
            }
            ids[j] = id;
        }
        return -1;
    }

    @Override
    public final void inputDropout(INDArray uniform, double dropped) {
        inMask = uniform == null ? null : dropoutMask(uniform, dropped);
    }

    @Override
    public final void recurrentDropout(INDArray uniform, double dropped) {
        recMask = uniform == null ? null : dropoutMask(uniform, dropped);
    }

    /** Inverted-dropout mask [rows][mb] from uniform numbers in [0, 1). */
    private static float[] dropoutMask(INDArray uniform, double dropped) {
        float[] u = read(uniform, null);
        float keepP = (float) (1.0 - dropped);
        float scale = (float) (1.0 / keepP);
        for (int i = 0; i < u.length; i++) {
            u[i] = u[i] < keepP ? scale : 0;
        }
        return u;
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

    /** Output h for all steps ('f' [mb, u, T]) or the last step ('f' [mb, u]). */
    @Override
    public final void writeOutput(INDArray dst, boolean sequence) {
        int n = units * mb;
        if (sequence) {
            write(dst, hs, n, steps * n);
        } else {
            write(dst, hs, steps * n, n);
        }
    }

    /** Backward from DL4J's epsilon ([mb, u, T] or [mb, u]); keeps dx for {@link #writeInputGradient}. */
    @Override
    public final void backward(INDArray epsilon, boolean sequence, boolean wantDx) {
        float[] dOut = read(epsilon, null);
        if (wantDx) {
            dxBuf = grow(dxBuf, steps * nIn * mb);
        }
        backward(dOut, sequence, wantDx ? dxBuf : null);
    }

    private float[] dxBuf = new float[0];

    /** Input gradient in 'f' order of [mb, nIn, T]. */
    @Override
    public final void writeInputGradient(INDArray dst) {
        write(dst, dxBuf, 0, steps * nIn * mb);
    }

    /** All of {@code a} in 'f' order, into {@code reuse} when it is large enough. */
    static float[] read(INDArray a, float[] reuse) {
        INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (!isCompactF(c)) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                c = c.dup('f');
            }
        }
        int n = (int) c.length();
        float[] out = reuse != null && reuse.length >= n ? reuse : new float[n];
        java.nio.FloatBuffer nio = c.data().asNioFloat();
        nio.position(0);
        nio.get(out, 0, n);
        return out;
    }

    /** Writes {@code len} values (in 'f' order of dst's shape) from {@code src[from..]} into {@code dst}. */
    static void write(INDArray dst, float[] src, int from, int len) {
        if (dst.dataType() == DataType.FLOAT && isCompactF(dst)) {
            java.nio.FloatBuffer nio = dst.data().asNioFloat();
            nio.position(0);
            nio.put(src, from, len);
            return;
        }
        INDArray tmp;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            tmp = Nd4j.createUninitialized(DataType.FLOAT, dst.shape(), 'f');
            java.nio.FloatBuffer nio = tmp.data().asNioFloat();
            nio.position(0);
            nio.put(src, from, len);
            if (dst.dataType() != DataType.FLOAT) {
                tmp = tmp.castTo(dst.dataType());
            }
        }
        dst.assign(tmp);
    }

    /** 'f'-ordered, default strides, not a view, buffer exactly the array: NIO position 0 is element 0. */
    static boolean isCompactF(INDArray a) {
        return (a.ordering() == 'f' || a.rank() <= 1 || isVectorLike(a)) && Shape.hasDefaultStridesForShape(a)
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

    /** Dot product with four accumulators (breaks the add latency chain). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float sum(float[] a, int ao, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i];
            s1 += a[ao + i + 1];
            s2 += a[ao + i + 2];
            s3 += a[ao + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    static float tanh(float v) {
        // Math.tanh is not a JIT intrinsic; this form uses the Math.exp intrinsic.
        if (v > 20) {
            return 1;
        }
        if (v < -20) {
            return -1;
        }
        float e = (float) Math.exp(2 * v);
        return (e - 1) / (e + 1);
    }
}
