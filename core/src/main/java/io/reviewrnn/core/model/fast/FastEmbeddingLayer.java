package io.reviewrnn.core.model.fast;

import java.util.Arrays;
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
 * Runtime layer of {@link FastEmbedding}: row gather forward, scatter-add backward, in Java, computing in double and
 * writing the network's data type. Not thread-safe, like every DL4J layer; no static mutable state.
 */
public final class FastEmbeddingLayer extends org.deeplearning4j.nn.layers.BaseLayer<FastEmbedding> {
    private static final long serialVersionUID = 1L;

    private transient int[][] ids;   // [t][s] of the last forward pass
    private transient INDArray idsInput;

    public FastEmbeddingLayer(NeuralNetConfiguration conf, DataType dataType) {
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
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        if (maskArray != null) {
            throw new UnsupportedOperationException("FastEmbedding (layer " + index + ") does not support feature "
                    + "masks: pad sequences to a fixed length");
        }
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        FastEmbedding c = layerConf();
        if (c.getIDropout() != null) {
            throw new IllegalStateException("FastEmbedding (layer " + index + "): DL4J dropOut(...) is not supported");
        }
        int[][] tokenIds = readIds(c);
        int mb = (int) input.size(0);
        int steps = tokenIds.length;
        int vocab = (int) c.getNIn();
        int dim = (int) c.getNOut();
        double[] w = readDoubles(paramsFlattened); // 'f' [vocab, dim]: w[id + j * vocab]
        // Output 'f' [mb, dim, T]: element (s, j, t) at s + j * mb + t * mb * dim.
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {mb, dim, steps}, 'f');
        if (dataType == DataType.FLOAT) {
            float[] o = new float[mb * dim * steps];
            float[] wf = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                wf[i] = (float) w[i];
            }
            for (int t = 0; t < steps; t++) {
                int[] row = tokenIds[t];
                for (int j = 0; j < dim; j++) {
                    int base = (t * dim + j) * mb;
                    int wo = j * vocab;
                    for (int s = 0; s < mb; s++) {
                        o[base + s] = wf[wo + row[s]];
                    }
                }
            }
            java.nio.FloatBuffer nio = out.data().asNioFloat();
            nio.position(0);
            nio.put(o);
        } else {
            double[] o = new double[mb * dim * steps];
            for (int t = 0; t < steps; t++) {
                int[] row = tokenIds[t];
                for (int j = 0; j < dim; j++) {
                    int base = (t * dim + j) * mb;
                    int wo = j * vocab;
                    for (int s = 0; s < mb; s++) {
                        o[base + s] = w[wo + row[s]];
                    }
                }
            }
            INDArray tmp;
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                tmp = Nd4j.create(o, out.shape(), 'f');
            }
            out.assign(tmp);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        FastEmbedding c = layerConf();
        int[][] tokenIds = idsInput == input && ids != null ? ids : readIds(c);
        int mb = (int) input.size(0);
        int steps = tokenIds.length;
        int vocab = (int) c.getNIn();
        int dim = (int) c.getNOut();
        if (epsilon.rank() != 3 || epsilon.size(0) != mb || epsilon.size(1) != dim || epsilon.size(2) != steps) {
            throw new IllegalArgumentException("FastEmbedding (layer " + index + "): expected epsilon [" + mb + ", "
                    + dim + ", " + steps + "], got " + Arrays.toString(epsilon.shape()));
        }
        double[] e = readDoubles(epsilon); // 'f': (s, j, t) at s + j * mb + t * mb * dim
        double[] g = new double[vocab * dim];           // 'f' [vocab, dim]
        for (int t = 0; t < steps; t++) {
            int[] row = tokenIds[t];
            for (int j = 0; j < dim; j++) {
                int base = (t * dim + j) * mb;
                int go = j * vocab;
                for (int s = 0; s < mb; s++) {
                    g[go + row[s]] += e[base + s];
                }
            }
        }
        boolean written;
        if (dataType == DataType.FLOAT) {
            float[] gf = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                gf[i] = (float) g[i];
            }
            written = FloatRecurrentKernel.writeVector(gradientsFlattened, gf);
        } else {
            written = RecurrentKernel.writeVector(gradientsFlattened, g);
        }
        if (!written) {
            writeByAssign(g);
        }
        Gradient grad = new DefaultGradient(gradientsFlattened);

        grad.gradientForVariable().put(FastEmbedding.ParamInit.WEIGHT_KEY,
                gradientViews.get(FastEmbedding.ParamInit.WEIGHT_KEY));
        return new Pair<>(grad, null); // token ids have no gradient
    }

    private void writeByAssign(double[] g) {
        INDArray tmp;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            tmp = Nd4j.create(g, gradientsFlattened.shape(), 'f').castTo(gradientsFlattened.dataType());
        }
        gradientsFlattened.assign(tmp);
    }

    /** Token ids as [t][s]; validates them. */
    private int[][] readIds(FastEmbedding c) {
        if (!(input.rank() == 2 || (input.rank() == 3 && input.size(1) == 1))) {
            throw new IllegalArgumentException("FastEmbedding (layer " + index + "): expected token ids [minibatch, T]"
                    + " or [minibatch, 1, T], got shape " + Arrays.toString(input.shape()));
        }
        int mb = (int) input.size(0);
        int steps = (int) input.size(input.rank() - 1);
        double[] v = idsFlat(mb, steps); // s + t * mb
        int[][] out = new int[steps][mb];
        long vocab = c.getNIn();
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < mb; s++) {
                double d = v[s + t * mb];
                int id = (int) d;
                if (id != d || id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("FastEmbedding (layer " + index + "): token id " + d + " at ["
                            + s + ", " + t + "] is not an integer in [0, " + vocab + ")");
                }
                out[t][s] = id;
            }
        }
        ids = out;
        idsInput = input;
        return out;
    }

    /** The ids as {@code v[s + t * mb]}; arrays owning their buffer are read in bulk and indexed by their strides. */
    private double[] idsFlat(int mb, int steps) {
        if (!input.isView() && input.offset() == 0 && input.data().length() == input.length()
                && (input.dataType() == DataType.FLOAT || input.dataType() == DataType.DOUBLE)) {
            double[] all = new double[(int) input.length()];
            if (input.dataType() == DataType.FLOAT) {
                float[] f = new float[all.length];
                java.nio.FloatBuffer nio = input.data().asNioFloat();
                nio.position(0);
                nio.get(f);
                for (int i = 0; i < f.length; i++) {
                    all[i] = f[i];
                }
            } else {
                java.nio.DoubleBuffer nio = input.data().asNioDouble();
                nio.position(0);
                nio.get(all);
            }
            long[] st = input.stride();
            int ss = (int) st[0];
            int ts = (int) st[st.length - 1];
            double[] v = new double[mb * steps];
            for (int t = 0; t < steps; t++) {
                for (int s = 0; s < mb; s++) {
                    v[s + t * mb] = all[s * ss + t * ts];
                }
            }
            return v;
        }
        INDArray m = input.rank() == 3 ? input.reshape(input.ordering(), mb, steps) : input;
        return readDoubles(m); // 'f' [mb, T]: s + t * mb
    }

    /** All of {@code a} in 'f' order as doubles; float arrays are read without an ND4J type cast (slow). */
    private static double[] readDoubles(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            return RecurrentKernel.readFlat(a);
        }
        float[] f = FloatRecurrentKernel.readFlat(a);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Override
    public void clear() {
        super.clear();
        ids = null;
        idsInput = null;
    }
}
