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
 * Runtime layer behind {@link FastLstm}, {@link FastGru} and {@link FastSimpleRnn}: forward and backward over the
 * whole minibatch sequence run in one {@link SequenceKernel} call on Java arrays. Parameters are read from, and
 * gradients written to, DL4J's flattened views, so updaters, parameter averaging and serialization are unchanged.
 * Output and input-gradient arrays are created through the {@link LayerWorkspaceMgr} like DL4J's own layers.
 *
 * <p>The forward pass of a training step is kept (with its dropout masks) and reused by the following
 * {@link #backpropGradient} for the same input. Not thread-safe, like every DL4J layer; each clone has its own
 * buffers and there is no static mutable state.
 */
public final class FastRecurrentLayer extends org.deeplearning4j.nn.layers.BaseLayer<AbstractFastRecurrent> {
    private static final long serialVersionUID = 1L;

    private transient SequenceKernel kernel;
    private transient INDArray forwardInput;   // input of the kept training forward pass, or null
    private transient long forwardPasses;      // for tests: backprop must reuse the training forward pass

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
        return new UnsupportedOperationException(name() + " does not support feature masks: pad sequences to a "
                + "fixed length (Keras does not mask either)");
    }

    private String name() {
        return layerConf().getClass().getSimpleName() + " (layer " + index + ")";
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        runForward(training);
        forwardInput = training ? input : null;
        SequenceKernel k = kernel;
        boolean sequence = layerConf().isReturnSequences();
        long[] shape = sequence ? new long[] {k.minibatch(), k.units(), k.steps()}
                : new long[] {k.minibatch(), k.units()};
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape, 'f');
        k.writeOutput(out, sequence);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (forwardInput != input || kernel == null || !kernel.kept()) {
            runForward(true);
        }
        forwardInput = null;
        AbstractFastRecurrent c = layerConf();
        SequenceKernel k = kernel;
        int mb = k.minibatch();
        int steps = k.steps();
        boolean sequence = c.isReturnSequences();
        boolean ok = sequence
                ? epsilon.rank() == 3 && epsilon.size(0) == mb && epsilon.size(1) == k.units()
                        && epsilon.size(2) == steps
                : epsilon.rank() == 2 && epsilon.size(0) == mb && epsilon.size(1) == k.units();
        if (!ok) {
            throw new IllegalArgumentException(name() + ": expected epsilon of shape "
                    + (sequence ? "[" + mb + ", " + k.units() + ", " + steps + "]" : "[" + mb + ", " + k.units() + "]")
                    + ", got " + Arrays.toString(epsilon.shape()));
        }
        boolean wantDx = !c.isOneHot();
        k.backward(epsilon, sequence, wantDx);
        k.writeParamGradients(gradientsFlattened);

        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : conf.getLayer().initializer().paramKeys(c)) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        INDArray epsOut = null; // token ids have no gradient (like DL4J's embedding layers)
        if (wantDx) {
            epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                    new long[] {mb, k.nIn(), steps}, 'f');
            k.writeInputGradient(epsOut);
        }
        return new Pair<>(g, epsOut);
    }

    private void runForward(boolean training) {
        AbstractFastRecurrent c = layerConf();
        if (c.getIDropout() != null) {
            throw new IllegalStateException(name() + ": DL4J dropOut(...) is not supported; use dropout(p) / "
                    + "recurrentDropout(p) (Keras fractions dropped)");
        }
        if (c.getWeightNoise() != null) {
            throw new IllegalStateException(name() + ": weight noise is not supported");
        }
        if (maskArray != null) {
            throw unsupportedMask();
        }
        if (kernel == null) {
            kernel = c.newKernel(dataType);
            kernel.threads(c.getThreads());
        }
        forwardPasses++;
        SequenceKernel k = kernel;
        int mb;
        int steps;
        if (c.isOneHot()) {
            if (!(input.rank() == 2 || (input.rank() == 3 && input.size(1) == 1))) {
                throw new IllegalArgumentException(name() + ", one-hot: expected token ids [minibatch, T] or "
                        + "[minibatch, 1, T], got shape " + Arrays.toString(input.shape()));
            }
            mb = (int) input.size(0);
            steps = (int) input.size(input.rank() - 1);
        } else {
            if (input.rank() != 3 || input.size(1) != c.getNIn()) {
                throw new IllegalArgumentException(name() + ": expected input [minibatch, " + c.getNIn()
                        + ", T], got shape " + Arrays.toString(input.shape()));
            }
            mb = (int) input.size(0);
            steps = (int) input.size(2);
        }
        k.loadParams(paramsFlattened);
        k.prepare(mb, steps, training);
        k.inputDropout(training && c.getDropout() > 0 ? uniform(mb, k.nIn()) : null, c.getDropout());
        k.recurrentDropout(training && c.getRecurrentDropout() > 0 ? uniform(mb, k.units()) : null,
                c.getRecurrentDropout());
        if (c.isOneHot()) {
            int bad = k.loadIds(input, c.getVocabSize());
            if (bad >= 0) {
                throw new IllegalArgumentException(name() + ": token id at [" + (bad % mb) + ", " + (bad / mb)
                        + "] is not an integer in [0, " + c.getVocabSize() + ")");
            }
        } else {
            k.loadDense(input);
        }
        k.forward();
    }

    /** Uniform [0, 1) numbers [rows, cols] (the kernel reads them in 'f' order: [cols][rows]) from DL4J's RNG, which the network seed controls. */
    private INDArray uniform(int rows, int cols) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.rand(dataType, rows, cols);
        }
    }

    /** Number of forward passes run so far (tests check that backprop reuses the training pass). */
    long forwardPasses() {
        return forwardPasses;
    }

    /** The kernel of the last forward pass (tests inspect its dropout masks). */
    SequenceKernel kernel() {
        return kernel;
    }

    @Override
    public void clear() {
        super.clear();
        forwardInput = null;
    }
}
