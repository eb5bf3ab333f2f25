package io.reviewrnn.core.export;

import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.model.fast.AbstractFastRecurrent;
import io.reviewrnn.core.model.fast.FastEmbedding;
import io.reviewrnn.core.model.fast.FastGru;
import io.reviewrnn.core.model.fast.FastLstm;
import io.reviewrnn.core.model.fast.FastSimpleRnn;
import io.reviewrnn.core.model.layers.Gru;
import io.reviewrnn.core.model.layers.OneHotPreProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a trained network computes at inference, read out of a DL4J {@code MultiLayerNetwork} into plain float
 * arrays: token ids, then an embedding or one-hot input, then stacked recurrent layers (SimpleRNN, LSTM or GRU,
 * every one but the last returning its sequence), then Dense(1, sigmoid). Both layer implementations of
 * {@link io.reviewrnn.core.model.ModelSpec#impl()} are read: the fast layers and the reference ones (stock DL4J
 * {@code EmbeddingSequenceLayer}, {@code SimpleRnn}, {@code LSTM} in {@code LastTimeStep}, the reference
 * {@link Gru}, {@link OneHotPreProcessor}). Weights keep the checkpoint's own layout (input kernels
 * {@code [nIn][gates*units]}, gate blocks in {@link Cell}'s source order); {@link OnnxModelBuilder} reorders them.
 *
 * <p>Dropout of any kind is a training-time operation in DL4J and in our layers, so the inference graph has none.
 * Anything else this class does not know how to express exactly (another layer type, an activation with no ONNX
 * recurrent-operator counterpart, layer normalization inside a recurrence, weight noise, a second output, input
 * preprocessors other than one-hot) raises {@link ExportRefusedException} naming the layer and the reason.
 * Immutable.
 */
public record InferenceGraph(Input input, List<Recurrent> recurrent, Dense output) {

    public InferenceGraph {
        recurrent = List.copyOf(recurrent);
    }

    /** How token ids enter the first recurrent layer. */
    public sealed interface Input permits Embedding, OneHot {
        /** Width of the vectors the first recurrent layer reads. */
        int width();

        /** Number of token ids ({@code num_words}). */
        int vocabulary();
    }

    /** A lookup table {@code [numWords][dim]} (an embedding bias, if any, is already added to every row). */
    public record Embedding(float[][] table) implements Input {
        @Override
        public int width() {
            return table[0].length;
        }

        @Override
        public int vocabulary() {
            return table.length;
        }
    }

    /** One-hot vectors of {@code depth} = num_words. */
    public record OneHot(int depth) implements Input {
        @Override
        public int width() {
            return depth;
        }

        @Override
        public int vocabulary() {
            return depth;
        }
    }

    /**
     * A recurrent cell kind: the {@link ModelSpec.Kind} it exports, its ONNX operator, its number of gate blocks, and
     * for each of ONNX's gate blocks the index of the block in the checkpoint's layout that holds it
     * ({@link #onnxGateSource}).
     */
    public enum Cell {
        /** h' = tanh(x W + h RW + b): one block; ONNX {@code RNN}. */
        SIMPLE_RNN(ModelSpec.Kind.SIMPLE_RNN, "RNN", new int[] {0}),
        /**
         * Checkpoint blocks (DL4J's {@code LSTM} layout, shared by the fast LSTM): 0 cell input (c̃), 1 forget,
         * 2 output, 3 input gate. ONNX {@code LSTM} wants i, o, f, c: blocks 3, 2, 1, 0.
         */
        LSTM(ModelSpec.Kind.LSTM, "LSTM", new int[] {3, 2, 1, 0}),
        /**
         * Checkpoint blocks (PyTorch's order, shared by the fast and reference GRU): 0 reset r, 1 update z,
         * 2 candidate n, with separate input and recurrent biases. ONNX {@code GRU} wants z, r, h: blocks 1, 0, 2;
         * the candidate's recurrent product and bias sit inside the reset gate ({@code linear_before_reset=1}).
         */
        GRU(ModelSpec.Kind.GRU, "GRU", new int[] {1, 0, 2});

        private final ModelSpec.Kind kind;
        private final String onnxOperator;
        private final int[] onnxGateSource;

        Cell(ModelSpec.Kind kind, String onnxOperator, int[] onnxGateSource) {
            this.kind = kind;
            this.onnxOperator = onnxOperator;
            this.onnxGateSource = onnxGateSource;
        }

        /** The cell of a model kind; a kind with none is refused (the exporter does not map it to ONNX). */
        public static Cell of(ModelSpec.Kind kind) {
            for (Cell c : values()) {
                if (c.kind == kind) {
                    return c;
                }
            }
            throw new ExportRefusedException("model kind '" + kind.key() + "' has no ONNX cell in this exporter");
        }

        public String onnxOperator() {
            return onnxOperator;
        }

        public int gates() {
            return onnxGateSource.length;
        }

        /** For ONNX gate block {@code q}, the index of the checkpoint's gate block that holds it. */
        public int onnxGateSource(int q) {
            return onnxGateSource[q];
        }
    }

    /**
     * One recurrent layer in the checkpoint's layout: {@code w [nIn][gates*units]}, {@code rw [units][gates*units]},
     * {@code b [gates*units]}, {@code rb [gates*units]} (GRU only, else null). {@code gateActivation} and
     * {@code activation} are ONNX activation names ({@code Sigmoid}, {@code Tanh}, {@code Relu}).
     */
    public record Recurrent(Cell cell, int layer, float[][] w, float[][] rw, float[] b, float[] rb,
            String gateActivation, String activation, boolean returnSequences) {
        public int nIn() {
            return w.length;
        }

        public int units() {
            return rw.length;
        }
    }

    /** The output unit: {@code p = sigmoid(h · w + b)} over the last layer's final hidden state. */
    public record Dense(float[] w, float b) {
    }

    /**
     * Refuses a graph that is not what {@code spec} with {@code numWords} ids describes (cell kind, number of
     * layers, units, input type and width), so that an export never carries another model's spec.
     */
    public void checkDescribes(ModelSpec spec, int numWords) {
        Cell cell = Cell.of(spec.kind());
        boolean oneHot = spec.input().type() == ModelSpec.Input.Type.ONE_HOT;
        int width = oneHot ? numWords : spec.input().dim();
        List<String> problems = new ArrayList<>();
        if (input.vocabulary() != numWords) {
            problems.add("it reads " + input.vocabulary() + " token ids, num_words is " + numWords);
        }
        if ((input instanceof OneHot) != oneHot || input.width() != width) {
            problems.add("its input is " + describe(input) + ", the spec says " + spec.input().type().key()
                    + (oneHot ? "" : " of " + spec.input().dim()));
        }
        if (recurrent.size() != spec.layers()) {
            problems.add("it has " + recurrent.size() + " recurrent layers, the spec " + spec.layers());
        }
        for (Recurrent r : recurrent) {
            if (r.cell() != cell || r.units() != spec.units()) {
                problems.add("layer " + r.layer() + " is " + r.cell() + "(" + r.units() + "), the spec says "
                        + cell + "(" + spec.units() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ExportRefusedException("the network is not the one model.yaml describes: "
                    + String.join("; ", problems));
        }
    }

    private static String describe(Input in) {
        return in instanceof OneHot o ? "one_hot of " + o.depth() : "embedding of " + in.width();
    }

    /** Reads {@code net}; throws {@link ExportRefusedException} for anything it cannot express exactly. */
    public static InferenceGraph of(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int n = conf.getConfs().size();
        if (n < 2) {
            throw new ExportRefusedException("the network has " + n + " layer(s); expected an input or recurrent "
                    + "layer, recurrent layers and a Dense(1, sigmoid) output");
        }
        for (Map.Entry<Integer, InputPreProcessor> e : conf.getInputPreProcessors().entrySet()) {
            if (!(e.getKey() == 0 && e.getValue() instanceof OneHotPreProcessor)) {
                throw new ExportRefusedException("layer " + e.getKey() + " has the input preprocessor "
                        + e.getValue().getClass().getSimpleName() + "; only one-hot input expansion before layer 0 "
                        + "is exported");
            }
        }
        Input input = null;
        int first = 0;
        Layer l0 = conf.getConf(0).getLayer();
        if (l0 instanceof FastEmbedding || l0 instanceof EmbeddingSequenceLayer) {
            input = embedding(net, l0);
            first = 1;
        } else if (conf.getInputPreProcess(0) instanceof OneHotPreProcessor p) {
            input = new OneHot(p.getNumWords());
        }
        List<Recurrent> layers = new ArrayList<>();
        for (int i = first; i < n - 1; i++) {
            Recurrent r = recurrent(net, i, conf.getConf(i).getLayer());
            if (i == first && input == null) {
                Layer c = unwrap(conf.getConf(i).getLayer());
                if (!(c instanceof AbstractFastRecurrent f && f.isOneHot())) {
                    throw new ExportRefusedException("layer " + i + " (" + c.getClass().getSimpleName()
                            + ") reads dense vectors, but the network input is token ids: expected an embedding "
                            + "layer or one-hot input first");
                }
                input = new OneHot((int) f.getVocabSize());
            }
            int width = layers.isEmpty() ? input.width() : layers.get(layers.size() - 1).units();
            if (r.nIn() != width) {
                throw new ExportRefusedException("layer " + i + " reads " + r.nIn() + " features, the layer before "
                        + "it gives " + width);
            }
            boolean last = i == n - 2;
            if (r.returnSequences() == last) {
                throw new ExportRefusedException("layer " + i + (last ? " is the last recurrent layer but returns "
                        + "its whole sequence" : " feeds another recurrent layer but returns only its last step")
                        + "; expected every recurrent layer but the last to return sequences");
            }
            layers.add(r);
        }
        if (layers.isEmpty()) {
            throw new ExportRefusedException("the network has no recurrent layer");
        }
        Dense out = dense(net, n - 1, conf.getConf(n - 1).getLayer(), layers.get(layers.size() - 1).units());
        return new InferenceGraph(input, layers, out);
    }

    private static Embedding embedding(MultiLayerNetwork net, Layer c) {
        // FastEmbedding is a plain lookup; EmbeddingSequenceLayer applies its activation after it.
        IActivation act = c instanceof EmbeddingSequenceLayer e ? e.getActivationFn() : null;
        if (act != null && !(act instanceof ActivationIdentity)) {
            throw new ExportRefusedException("layer 0 (" + c.getClass().getSimpleName() + ") has activation " + act
                    + "; only an identity embedding is exported");
        }
        checkNoWeightNoise(0, (BaseLayer) c);
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
        float[][] table = layer.getParam("W").toFloatMatrix();
        INDArray bias = layer.paramTable().get("b");
        if (bias != null) {
            float[] b = bias.toFloatVector();
            for (float[] row : table) {
                for (int j = 0; j < row.length; j++) {
                    row[j] += b[j]; // the same single float addition DL4J does after the lookup
                }
            }
        }
        return new Embedding(table);
    }

    private static Layer unwrap(Layer c) {
        return c instanceof LastTimeStep t ? t.getUnderlying() : c;
    }

    private static Recurrent recurrent(MultiLayerNetwork net, int i, Layer conf) {
        boolean lastStep = conf instanceof LastTimeStep;
        Layer c = unwrap(conf);
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(i);
        Cell cell;
        String gate;
        String act;
        boolean returnSequences;
        if (c instanceof AbstractFastRecurrent f) {
            // The fast kernels' activations are fixed: tanh, with sigmoid gates.
            cell = f instanceof FastLstm ? Cell.LSTM : f instanceof FastGru ? Cell.GRU
                    : f instanceof FastSimpleRnn ? Cell.SIMPLE_RNN : null;
            if (cell == null) {
                throw refusedLayer(i, c);
            }
            gate = "Sigmoid";
            act = "Tanh";
            returnSequences = f.isReturnSequences();
            if (lastStep && returnSequences) {
                throw new ExportRefusedException("layer " + i + ": LastTimeStep around a fast layer that returns "
                        + "sequences is not a layout this exporter knows");
            }
            returnSequences &= !lastStep;
            checkNoWeightNoise(i, f);
        } else if (c instanceof BaseRecurrentLayer r) {
            checkNoWeightNoise(i, r);
            returnSequences = !lastStep;
            if (c instanceof LSTM lstm) {
                cell = Cell.LSTM;
                gate = activation(i, "gate activation", lstm.getGateActivationFn());
                act = activation(i, "activation", lstm.getActivationFn());
            } else if (c instanceof SimpleRnn rnn) {
                if (rnn.hasLayerNorm()) {
                    throw new ExportRefusedException("layer " + i + " (SimpleRnn) uses layer normalization inside "
                            + "the recurrence, which ONNX's RNN operator cannot express");
                }
                cell = Cell.SIMPLE_RNN;
                gate = null;
                act = activation(i, "activation", rnn.getActivationFn());
            } else if (c instanceof Gru) {
                cell = Cell.GRU; // sigmoid gates and tanh candidate, whatever the activation setting says
                gate = "Sigmoid";
                act = "Tanh";
            } else {
                throw refusedLayer(i, c);
            }
        } else {
            throw refusedLayer(i, c);
        }
        int gates = cell.gates();
        float[][] w = layer.getParam("W").toFloatMatrix();
        float[][] rw = layer.getParam("RW").toFloatMatrix();
        float[] b = layer.getParam("b").toFloatVector();
        INDArray rbParam = layer.paramTable().get("rb");
        float[] rb = rbParam == null ? null : rbParam.toFloatVector();
        int units = rw.length;
        if (rw[0].length != gates * units || w[0].length != gates * units || b.length != gates * units
                || (cell == Cell.GRU) != (rb != null) || (rb != null && rb.length != gates * units)) {
            throw new ExportRefusedException("layer " + i + " (" + c.getClass().getSimpleName() + "): parameters "
                    + "W, RW, b" + (rb == null ? "" : ", rb") + " do not have the " + cell + " layout with " + gates
                    + " gate blocks of " + units + " units");
        }
        return new Recurrent(cell, i, w, rw, b, rb, gate, act, returnSequences);
    }

    private static Dense dense(MultiLayerNetwork net, int i, Layer c, int units) {
        if (!(c instanceof OutputLayer out)) {
            throw new ExportRefusedException("layer " + i + " is " + c.getClass().getSimpleName()
                    + "; expected the Dense(1, sigmoid) OutputLayer");
        }
        if (out.getNOut() != 1 || !(out.getActivationFn() instanceof ActivationSigmoid)) {
            throw new ExportRefusedException("layer " + i + ": the output is " + out.getNOut() + " unit(s) with "
                    + out.getActivationFn() + "; the export contract is one sigmoid probability");
        }
        if (out.getNIn() != units) {
            throw new ExportRefusedException("layer " + i + " reads " + out.getNIn() + " features, the last recurrent "
                    + "layer gives " + units);
        }
        checkNoWeightNoise(i, out);
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(i);
        float[] w = layer.getParam("W").toFloatVector();
        INDArray b = layer.paramTable().get("b");
        return new Dense(w, b == null ? 0f : b.getFloat(0));
    }

    /** The ONNX recurrent-operator name of a DL4J activation, or a refusal. */
    private static String activation(int i, String what, IActivation a) {
        if (a instanceof ActivationSigmoid) {
            return "Sigmoid";
        }
        if (a instanceof ActivationTanH) {
            return "Tanh";
        }
        if (a instanceof ActivationReLU r && r.getMax() == null && r.getThreshold() == null
                && r.getNegativeSlope() == null) {
            return "Relu";
        }
        throw new ExportRefusedException("layer " + i + ": " + what + " " + a + " has no counterpart among the "
                + "activations of ONNX's recurrent operators that this exporter writes (sigmoid, tanh, relu)");
    }

    private static void checkNoWeightNoise(int i, BaseLayer c) {
        if (c.getWeightNoise() != null) {
            throw new ExportRefusedException("layer " + i + " (" + c.getClass().getSimpleName() + ") has weight noise "
                    + c.getWeightNoise() + "; the exporter writes only plain weights");
        }
    }

    private static ExportRefusedException refusedLayer(int i, Layer c) {
        return new ExportRefusedException("layer " + i + " is " + c.getClass().getSimpleName() + ", which this "
                + "exporter does not map to ONNX (it exports embedding or one-hot input, SimpleRNN, LSTM and GRU "
                + "layers and a Dense(1, sigmoid) output)");
    }
}
