package io.reviewrnn.core.model.layers;

import static io.reviewrnn.core.model.layers.GruParamInitializer.BIAS_KEY;
import static io.reviewrnn.core.model.layers.GruParamInitializer.RECURRENT_BIAS_KEY;
import static io.reviewrnn.core.model.layers.GruParamInitializer.RECURRENT_WEIGHT_KEY;
import static io.reviewrnn.core.model.layers.GruParamInitializer.WEIGHT_KEY;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference GRU layer ({@link Gru} describes the cell and the parameters). Forward over time, backprop through
 * time (optionally truncated), {@code rnnTimeStep} and masks.
 *
 * <p>Why plain Java loops and not ND4J ops or SameDiff: the cell is tiny (units around 8), so per-op overhead, not
 * arithmetic, dominates a layer that issues a dozen ND4J calls per time step (DL4J's own LSTM reaches about 0.35
 * GFLOP/s here); a SameDiff layer would unroll the time loop into a graph of the same small ops, and ND4J's fused
 * {@code gru} op implements the other ({@code reset_after=False}) variant. The whole sequence is therefore copied
 * once into double arrays, computed in straight loops, and copied back; this is exact in double precision (gradient
 * checks) and faster than the stock LSTM. It remains the reference: the fast layers of issue 9 are checked against it.
 *
 * <p>Masks ({@code [mb, T]}, 1 = real step): at a masked step the state is carried over unchanged (Keras semantics)
 * and the output is 0 (DL4J convention, so {@code LastTimeStep} and the loss ignore it). Not thread-safe, like all
 * DL4J layers.
 */
public class GruLayer extends BaseRecurrentLayer<Gru> {
    /** Key of the last hidden state in the {@code rnnTimeStep} and truncated-BPTT state maps. */
    public static final String STATE_KEY_PREV_ACTIVATION = "prevAct";

    public GruLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, workspaceMgr).output;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Forward f = forward(stateMap.get(STATE_KEY_PREV_ACTIVATION), false, workspaceMgr);
        stateMap.put(STATE_KEY_PREV_ACTIVATION, f.lastState);
        return f.output;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Forward f = forward(tBpttStateMap.get(STATE_KEY_PREV_ACTIVATION), training, workspaceMgr);
        if (storeLastForTBPTT) {
            tBpttStateMap.put(STATE_KEY_PREV_ACTIVATION, f.lastState);
        }
        return f.output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        // Recompute the forward pass (from the stored TBPTT state when truncated BPTT is running).
        INDArray initial = tbpttBackLength > 0 ? tBpttStateMap.get(STATE_KEY_PREV_ACTIVATION) : null;
        Forward f = forward(initial, true, workspaceMgr);
        Cell c = f.cell;
        int mb = c.mb;
        int nIn = c.nIn;
        int u = c.u;
        int steps = c.steps;
        int g3 = 3 * u;
        double[] eps = toTimeMajor(permuteIfNWC(epsilon), mb, u, steps);

        double[] dW = new double[nIn * g3];
        double[] dRW = new double[u * g3];
        double[] db = new double[g3];
        double[] drb = new double[g3];
        double[] dx = new double[steps * mb * nIn];
        double[] carry = new double[mb * u];
        double[] dgi = new double[g3];
        double[] dgh = new double[g3];
        int end = tbpttBackLength > 0 ? Math.max(0, steps - tbpttBackLength) : 0;
        for (int t = steps - 1; t >= end; t--) {
            for (int b = 0; b < mb; b++) {
                int s = t * mb + b;
                double m = c.mask == null ? 1.0 : c.mask[b * steps + t];
                int gateBase = s * u;
                int hpBase = s * u;
                int xBase = s * nIn;
                for (int j = 0; j < u; j++) {
                    double dh = m * eps[s * u + j] + carry[b * u + j];
                    double dhNew = m * dh;
                    double r = c.r[gateBase + j];
                    double z = c.z[gateBase + j];
                    double n = c.n[gateBase + j];
                    double hp = c.hPrev[hpBase + j];
                    double dn = dhNew * (1 - z);
                    double dz = dhNew * (hp - n);
                    double dan = dn * (1 - n * n);
                    double dr = dan * c.ghn[gateBase + j];
                    dgi[j] = dr * r * (1 - r);
                    dgi[u + j] = dz * z * (1 - z);
                    dgi[2 * u + j] = dan;
                    dgh[j] = dgi[j];
                    dgh[u + j] = dgi[u + j];
                    dgh[2 * u + j] = dan * r;
                    // direct paths to h_{t-1}: through z and, for masked steps, the carried state
                    carry[b * u + j] = dhNew * z + (1 - m) * dh;
                }
                for (int k = 0; k < g3; k++) {
                    db[k] += dgi[k];
                    drb[k] += dgh[k];
                }
                for (int i = 0; i < nIn; i++) {
                    double xi = c.x[xBase + i];
                    int row = i * g3;
                    double acc = 0;
                    for (int k = 0; k < g3; k++) {
                        dW[row + k] += xi * dgi[k];
                        acc += dgi[k] * c.w[row + k];
                    }
                    dx[xBase + i] = acc;
                }
                for (int j = 0; j < u; j++) {
                    double hp = c.hPrev[hpBase + j];
                    int row = j * g3;
                    double acc = 0;
                    for (int k = 0; k < g3; k++) {
                        dRW[row + k] += hp * dgh[k];
                        acc += dgh[k] * c.rw[row + k];
                    }
                    carry[b * u + j] += acc;
                }
            }
        }

        gradientsFlattened.assign(0);
        Map<String, INDArray> views = gradientViews;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            views.get(WEIGHT_KEY).assign(Nd4j.create(dW, new long[] {nIn, g3}, 'c').castTo(dataType));
            views.get(RECURRENT_WEIGHT_KEY).assign(Nd4j.create(dRW, new long[] {u, g3}, 'c').castTo(dataType));
            views.get(BIAS_KEY).assign(Nd4j.create(db, new long[] {1, g3}, 'c').castTo(dataType));
            views.get(RECURRENT_BIAS_KEY).assign(Nd4j.create(drb, new long[] {1, g3}, 'c').castTo(dataType));
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : GruParamInitializer.getInstance().paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, views.get(key));
        }

        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {mb, nIn, steps}, 'f');
        assignTimeMajor(epsOut, dx, mb, nIn, steps);
        epsOut = backpropDropOutIfPresent(epsOut);
        weightNoiseParams.clear();
        return new Pair<>(gradient, permuteIfNWC(epsOut));
    }

    /** Runs the cell over the whole input; keeps gate values for backprop when training. */
    private Forward forward(INDArray initialState, boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 3) {
            throw new IllegalStateException("GRU layer " + layerId() + " expects rank 3 input [mb, nIn, T] (NCW) or"
                    + " [mb, T, nIn] (NWC), got shape " + java.util.Arrays.toString(input.shape()));
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = permuteIfNWC(input);
        Cell c = new Cell();
        c.mb = (int) in.size(0);
        c.nIn = (int) in.size(1);
        c.steps = (int) in.size(2);
        c.u = (int) layerConf().getNOut();
        if (c.nIn != layerConf().getNIn()) {
            throw new IllegalStateException("GRU layer " + layerId() + " has nIn=" + layerConf().getNIn()
                    + " but got input of shape " + java.util.Arrays.toString(input.shape()));
        }
        int mb = c.mb;
        int nIn = c.nIn;
        int u = c.u;
        int steps = c.steps;
        int g3 = 3 * u;
        c.x = toTimeMajor(in, mb, nIn, steps);
        c.w = rowMajor(getParamWithNoise(WEIGHT_KEY, training, workspaceMgr));
        c.rw = rowMajor(getParamWithNoise(RECURRENT_WEIGHT_KEY, training, workspaceMgr));
        double[] bi = rowMajor(getParamWithNoise(BIAS_KEY, training, workspaceMgr));
        double[] bh = rowMajor(getParamWithNoise(RECURRENT_BIAS_KEY, training, workspaceMgr));
        if (maskArray != null) {
            if (maskArray.size(0) != mb || maskArray.size(1) != steps) {
                throw new IllegalStateException("GRU layer " + layerId() + ": mask shape "
                        + java.util.Arrays.toString(maskArray.shape()) + " does not match [" + mb + ", " + steps + "]");
            }
            c.mask = rowMajor(maskArray.reshape(mb, steps));
        }
        int cells = steps * mb * u;
        c.r = new double[cells];
        c.z = new double[cells];
        c.n = new double[cells];
        c.ghn = new double[cells];
        c.hPrev = new double[cells];
        double[] out = new double[cells];
        double[] h = initialState == null ? new double[mb * u] : rowMajor(initialState);
        if (h.length != mb * u) {
            throw new IllegalStateException("GRU layer " + layerId() + ": stored state has " + h.length
                    + " values, expected [" + mb + ", " + u + "] (rnnTimeStep with a different minibatch size?)");
        }
        double[] gi = new double[g3];
        double[] gh = new double[g3];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < mb; b++) {
                int s = t * mb + b;
                int xBase = s * nIn;
                int hb = b * u;
                System.arraycopy(bi, 0, gi, 0, g3);
                System.arraycopy(bh, 0, gh, 0, g3);
                for (int i = 0; i < nIn; i++) {
                    double xi = c.x[xBase + i];
                    if (xi != 0) {
                        int row = i * g3;
                        for (int k = 0; k < g3; k++) {
                            gi[k] += xi * c.w[row + k];
                        }
                    }
                }
                for (int j = 0; j < u; j++) {
                    double hj = h[hb + j];
                    int row = j * g3;
                    for (int k = 0; k < g3; k++) {
                        gh[k] += hj * c.rw[row + k];
                    }
                }
                double m = c.mask == null ? 1.0 : c.mask[b * steps + t];
                int base = s * u;
                for (int j = 0; j < u; j++) {
                    double r = sigmoid(gi[j] + gh[j]);
                    double z = sigmoid(gi[u + j] + gh[u + j]);
                    double n = Math.tanh(gi[2 * u + j] + r * gh[2 * u + j]);
                    double hp = h[hb + j];
                    double hNew = (1 - z) * n + z * hp;
                    c.r[base + j] = r;
                    c.z[base + j] = z;
                    c.n[base + j] = n;
                    c.ghn[base + j] = gh[2 * u + j];
                    c.hPrev[base + j] = hp;
                    double hs = m * hNew + (1 - m) * hp;
                    h[hb + j] = hs;
                    out[base + j] = m * hs;
                }
            }
        }
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {mb, u, steps}, 'f');
        assignTimeMajor(output, out, mb, u, steps);
        Forward f = new Forward();
        f.output = permuteIfNWC(output);
        f.cell = c;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            f.lastState = Nd4j.create(h, new long[] {mb, u}, 'c').castTo(dataType);
        }
        return f;
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /** Copies {@code [mb, f, T]} into a time-major array indexed {@code (t * mb + b) * f + i}. */
    private static double[] toTimeMajor(INDArray arr, int mb, int features, int steps) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return arr.permute(2, 0, 1).dup('c').data().asDouble();
        }
    }

    /** Writes a time-major array (see {@link #toTimeMajor}) into {@code target [mb, f, T]}. */
    private static void assignTimeMajor(INDArray target, double[] data, int mb, int features, int steps) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray tmj = Nd4j.create(data, new long[] {steps, mb, features}, 'c').castTo(target.dataType());
            target.assign(tmj.permute(1, 2, 0));
        }
    }

    private static double[] rowMajor(INDArray arr) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return arr.dup('c').data().asDouble();
        }
    }

    /** Gate values of one forward pass, time-major ({@code (t * mb + b) * u + j}). */
    private static final class Cell {
        int mb;
        int nIn;
        int u;
        int steps;
        double[] x;
        double[] w;
        double[] rw;
        double[] mask;
        double[] r;
        double[] z;
        double[] n;
        double[] ghn;
        double[] hPrev;
    }

    private static final class Forward {
        INDArray output;
        INDArray lastState;
        Cell cell;
    }
}
