package io.reviewrnn.core.model.fast;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime layer behind {@link FastLstm}, {@link FastGru} and {@link FastSimpleRnn}: forward and backward over the
 * whole minibatch sequence run in one {@link RecurrentKernel} call on Java arrays. Parameters are read from, and
 * gradients written to, DL4J's flattened views, so updaters, parameter averaging and serialization are unchanged.
 *
 * <p>The forward pass of a training step is kept (with its dropout masks) and reused by the following
 * {@link #backpropGradient} for the same input. Not thread-safe, like every DL4J layer; each clone has its own
 * buffers and there is no static mutable state.
 */
public final class FastRecurrentLayer extends org.deeplearning4j.nn.layers.BaseLayer<AbstractFastRecurrent> {
    private static final long serialVersionUID = 1L;

    private transient RecurrentKernel kernel;
    private transient INDArray forwardInput;   // input of the cached training forward pass, or null
    private transient double[] dxBuffer;

    public FastRecurrentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public void setMaskArray(INDArray maskArray) {
        if (maskArray != null) {
            throw unsupportedMask();
        }
        super.setMaskArray(null);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        if (maskArray != null) {
            throw unsupportedMask();
        }
        return new Pair<>(null, currentMaskState);
    }

    private UnsupportedOperationException unsupportedMask() {
        return new UnsupportedOperationException(layerConf().getClass().getSimpleName() + " (layer " + index
                + ") does not support feature masks: pad sequences to a fixed length");
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        runForward(training);
        forwardInput = training ? input : null;
        return writeOutput(workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (forwardInput != input || kernel == null) {
            runForward(true);
        }
        forwardInput = null;
        AbstractFastRecurrent c = layerConf();
        RecurrentKernel k = kernel;
        int mb = k.mb;
        int steps = k.steps;
        int units = k.units;
        double[] dOut = readEpsilon(epsilon, mb, units, steps, c.isReturnSequences());
        double[] dx = null;
        if (!c.isOneHot()) {
            int n = mb * steps * k.nIn;
            if (dxBuffer == null || dxBuffer.length < n) {
                dxBuffer = new double[n];
            }
            dx = dxBuffer;
        }
        k.backward(dOut, c.isReturnSequences(), dx);
        writeGradients(k);

        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : conf.getLayer().initializer().paramKeys(c)) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        INDArray epsOut = null;
        if (dx != null) {
            int nIn = k.nIn;
            double[] f = new double[mb * nIn * steps];
            for (int s = 0; s < mb; s++) {
                for (int t = 0; t < steps; t++) {
                    int o = (s * steps + t) * nIn;
                    for (int i = 0; i < nIn; i++) {
                        f[s + i * mb + t * mb * nIn] = dx[o + i];
                    }
                }
            }
            epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                    new long[] {mb, nIn, steps}, 'f');
            assign(epsOut, f);
        }
        return new Pair<>(g, epsOut);
    }

    private void runForward(boolean training) {
        AbstractFastRecurrent c = layerConf();
        if (c.getIDropout() != null) {
            throw new IllegalStateException(c.getClass().getSimpleName() + " (layer " + index
                    + "): DL4J dropOut(...) is not supported; use dropout(p) / recurrentDropout(p) (fractions dropped)");
        }
        if (c.getWeightNoise() != null) {
            throw new IllegalStateException(c.getClass().getSimpleName() + " (layer " + index
                    + "): weight noise is not supported");
        }
        if (maskArray != null) {
            throw unsupportedMask();
        }
        if (kernel == null) {
            kernel = c.newKernel();
        }
        RecurrentKernel k = kernel;
        loadParams(k, c);
        int mb;
        int steps;
        if (c.isOneHot()) {
            if (!(input.rank() == 2 || (input.rank() == 3 && input.size(1) == 1))) {
                throw new IllegalArgumentException(c.getClass().getSimpleName() + " (layer " + index
                        + ", one-hot): expected token ids [minibatch, T] or [minibatch, 1, T], got shape "
                        + java.util.Arrays.toString(input.shape()));
            }
            mb = (int) input.size(0);
            steps = (int) input.size(input.rank() - 1);
            double[] v = input.reshape('f', mb, steps).dup('f').data().asDouble();
            int[] ids = k.ids != null && k.ids.length >= mb * steps ? k.ids : new int[mb * steps];
            long vocab = c.getVocabSize();
            for (int s = 0; s < mb; s++) {
                for (int t = 0; t < steps; t++) {
                    double d = v[s + t * mb];
                    int id = (int) d;
                    if (id != d || id < 0 || id >= vocab) {
                        throw new IllegalArgumentException(c.getClass().getSimpleName() + " (layer " + index
                                + "): token id " + d + " at [" + s + ", " + t + "] is outside [0, " + vocab + ")");
                    }
                    ids[s * steps + t] = id;
                }
            }
            k.ids = ids;
            k.x = null;
        } else {
            if (input.rank() != 3 || input.size(1) != c.getNIn()) {
                throw new IllegalArgumentException(c.getClass().getSimpleName() + " (layer " + index
                        + "): expected input [minibatch, " + c.getNIn() + ", T], got shape "
                        + java.util.Arrays.toString(input.shape()));
            }
            mb = (int) input.size(0);
            int nIn = (int) input.size(1);
            steps = (int) input.size(2);
            double[] v = input.dup('f').data().asDouble();
            double[] x = k.x != null && k.x.length >= mb * steps * nIn ? k.x : new double[mb * steps * nIn];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < nIn; i++) {
                    int src = i * mb + t * mb * nIn;
                    for (int s = 0; s < mb; s++) {
                        x[(s * steps + t) * nIn + i] = v[src + s];
                    }
                }
            }
            k.x = x;
            k.ids = null;
        }
        k.prepare(mb, steps);
        k.inMask = training && c.getDropout() > 0 ? dropoutMask(mb, k.nIn, c.getDropout()) : null;
        k.recMask = training && c.getRecurrentDropout() > 0 ? dropoutMask(mb, k.units, c.getRecurrentDropout()) : null;
        k.forward();
    }

    /** Inverted-dropout mask [rows][cols] from DL4J's RNG (seeded by the network seed). */
    private static double[] dropoutMask(int rows, int cols, double dropped) {
        double keep = 1.0 - dropped;
        double[] u;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            u = Nd4j.rand(DataType.DOUBLE, rows, cols).data().asDouble();
        }
        double scale = 1.0 / keep;
        for (int i = 0; i < u.length; i++) {
            u[i] = u[i] < keep ? scale : 0.0;
        }
        return u;
    }

    private void loadParams(RecurrentKernel k, AbstractFastRecurrent c) {
        double[] p = paramsFlattened.dup().data().asDouble();
        int nIn = k.nIn;
        int units = k.units;
        int gu = k.gu;
        int off = 0;
        for (int g = 0; g < gu; g++) {
            for (int i = 0; i < nIn; i++) {
                k.w[i * gu + g] = p[off + i + g * nIn];
            }
        }
        off += nIn * gu;
        for (int g = 0; g < gu; g++) {
            for (int r = 0; r < units; r++) {
                k.rw[r * gu + g] = p[off + r + g * units];
            }
        }
        off += units * gu;
        System.arraycopy(p, off, k.b, 0, gu);
        off += gu;
        if (k.rb != null) {
            System.arraycopy(p, off, k.rb, 0, gu);
        }
    }

    private void writeGradients(RecurrentKernel k) {
        int nIn = k.nIn;
        int units = k.units;
        int gu = k.gu;
        double[] p = new double[(int) gradientsFlattened.length()];
        int off = 0;
        for (int g = 0; g < gu; g++) {
            for (int i = 0; i < nIn; i++) {
                p[off + i + g * nIn] = k.gw[i * gu + g];
            }
        }
        off += nIn * gu;
        for (int g = 0; g < gu; g++) {
            for (int r = 0; r < units; r++) {
                p[off + r + g * units] = k.grw[r * gu + g];
            }
        }
        off += units * gu;
        System.arraycopy(k.gb, 0, p, off, gu);
        off += gu;
        if (k.grb != null) {
            System.arraycopy(k.grb, 0, p, off, gu);
        }
        assign(gradientsFlattened, p);
    }

    private double[] readEpsilon(INDArray epsilon, int mb, int units, int steps, boolean sequence) {
        if (sequence) {
            if (epsilon.rank() != 3 || epsilon.size(0) != mb || epsilon.size(1) != units || epsilon.size(2) != steps) {
                throw new IllegalArgumentException("layer " + index + ": expected epsilon [" + mb + ", " + units
                        + ", " + steps + "], got " + java.util.Arrays.toString(epsilon.shape()));
            }
            double[] v = epsilon.dup('f').data().asDouble();
            double[] d = new double[mb * steps * units];
            for (int t = 0; t < steps; t++) {
                for (int k = 0; k < units; k++) {
                    int src = k * mb + t * mb * units;
                    for (int s = 0; s < mb; s++) {
                        d[(s * steps + t) * units + k] = v[src + s];
                    }
                }
            }
            return d;
        }
        if (epsilon.rank() != 2 || epsilon.size(0) != mb || epsilon.size(1) != units) {
            throw new IllegalArgumentException("layer " + index + ": expected epsilon [" + mb + ", " + units
                    + "], got " + java.util.Arrays.toString(epsilon.shape()));
        }
        return epsilon.dup('c').data().asDouble();
    }

    private INDArray writeOutput(LayerWorkspaceMgr workspaceMgr) {
        RecurrentKernel k = kernel;
        int mb = k.mb;
        int steps = k.steps;
        int units = k.units;
        double[] hs = k.hs;
        if (layerConf().isReturnSequences()) {
            double[] f = new double[mb * units * steps];
            for (int s = 0; s < mb; s++) {
                for (int t = 0; t < steps; t++) {
                    int o = k.hIndex(s, t + 1);
                    for (int j = 0; j < units; j++) {
                        f[s + j * mb + t * mb * units] = hs[o + j];
                    }
                }
            }
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    new long[] {mb, units, steps}, 'f');
            assign(out, f);
            return out;
        }
        double[] f = new double[mb * units];
        for (int s = 0; s < mb; s++) {
            int o = k.hIndex(s, steps);
            for (int j = 0; j < units; j++) {
                f[s + j * mb] = hs[o + j];
            }
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {mb, units}, 'f');
        assign(out, f);
        return out;
    }

    /** Copies values given in 'f' order of {@code dst}'s shape into {@code dst}. */
    private static void assign(INDArray dst, double[] fOrder) {
        INDArray src;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            src = Nd4j.create(fOrder, dst.shape(), 'f');
            if (dst.dataType() != DataType.DOUBLE) {
                src = src.castTo(dst.dataType());
            }
        }
        dst.assign(src);
    }

    @Override
    public void clear() {
        super.clear();
        forwardInput = null;
    }
}
