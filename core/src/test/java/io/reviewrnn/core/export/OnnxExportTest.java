package io.reviewrnn.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.export.onnx.AttributeProto;
import io.reviewrnn.core.export.onnx.ModelProto;
import io.reviewrnn.core.export.onnx.NodeProto;
import io.reviewrnn.core.export.onnx.TensorProto;
import io.reviewrnn.core.inference.Dl4jSequenceModel;
import io.reviewrnn.core.inference.OnnxSequenceModel;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.text.TextSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The gate and weight mapping, checked against ONNX Runtime: every model spec of conf/models, with both layer
 * implementations and random weights (biases included), gives the DL4J network's probabilities in ONNX Runtime to
 * 1e-5; and the comparison is sharp enough to catch a mapping fault: a model with two gate blocks swapped, the GRU's
 * two candidate biases swapped or {@code linear_before_reset} off, is off by far more. No Spark.
 */
class OnnxExportTest {
    static final int NUM_WORDS = 500;
    static final TextSpec TEXT = new TextSpec(NUM_WORDS, 100, null, null, true);
    static final double TOLERANCE = 1e-5;

    static Path confModels() {
        Path p = Path.of(System.getProperty("basedir", "."), "..", "conf", "models").normalize();
        return Files.isDirectory(p) ? p : Path.of("conf", "models");
    }

    static ModelSpec spec(String name, ModelSpec.Impl impl) {
        ModelSpec s = ModelSpec.load(confModels().resolve(name + ".yaml"));
        return ModelSpec.Builder.from(s).optImpl(impl).build();
    }

    /** The spec's network with every parameter drawn from U(-0.6, 0.6), so biases and recurrent biases matter. */
    static MultiLayerNetwork randomNetwork(ModelSpec spec, long seed) {
        MultiLayerNetwork net = ModelFactory.network(spec, NUM_WORDS);
        Nd4j.getRandom().setSeed(seed);
        net.setParams(Nd4j.rand(DataType.FLOAT, 1, net.numParams()).subi(0.5).muli(1.2));
        return net;
    }

    static Stream<Arguments> specs() {
        return Stream.of("simplernn-onehot", "simplernn-embedding", "lstm", "lstm-dropout", "lstm-2layer", "gru")
                .flatMap(n -> Stream.of(Arguments.of(n, ModelSpec.Impl.FAST), Arguments.of(n, ModelSpec.Impl.REFERENCE)));
    }

    static byte[] export(MultiLayerNetwork net, ModelSpec spec) {
        InferenceGraph graph = InferenceGraph.of(net);
        graph.checkDescribes(spec, NUM_WORDS);
        return OnnxModelBuilder.build(graph, TEXT.maxlen(), spec.name(), "test", Map.of()).toByteArray();
    }

    /** max |p_dl4j - p_onnx| over 200 random padded reviews; also checks the probabilities are spread out. */
    static double maxDifference(MultiLayerNetwork net, byte[] onnx) {
        List<int[]> reviews = OnnxExporter.randomReviews(TEXT, 200, 5);
        double[] expected = new Dl4jSequenceModel(net).predict(reviews, TEXT.maxlen());
        double[] actual;
        try (OnnxSequenceModel m = new OnnxSequenceModel(onnx, 1)) {
            actual = m.predict(reviews, TEXT.maxlen());
        }
        double min = 1;
        double max = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            min = Math.min(min, expected[i]);
            max = Math.max(max, expected[i]);
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max - min > 0.05, "probabilities too uniform for a sharp comparison: " + min + " .. " + max);
        return worst;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("specs")
    void everySpecRunsInOnnxRuntimeAsInDl4j(String name, ModelSpec.Impl impl) {
        ModelSpec spec = spec(name, impl);
        MultiLayerNetwork net = randomNetwork(spec, 7);
        double diff = maxDifference(net, export(net, spec));
        assertTrue(diff <= TOLERANCE, name + " (" + impl.key() + "): max |difference| " + diff);
    }

    /** Swaps gate blocks {@code a} and {@code b} (of {@code units} rows) in a recurrent layer's W, R and B. */
    static ModelProto swapGates(ModelProto m, String layer, int gates, int units, int a, int b) {
        ModelProto out = m;
        for (String suffix : List.of("_W", "_R")) {
            out = mutate(out, layer + suffix, v -> {
                int rowLength = v.length / (gates * units);
                float[] w = v.clone();
                for (int j = 0; j < units * rowLength; j++) {
                    w[a * units * rowLength + j] = v[b * units * rowLength + j];
                    w[b * units * rowLength + j] = v[a * units * rowLength + j];
                }
                return w;
            });
        }
        return mutate(out, layer + "_B", v -> {
            float[] w = v.clone();
            for (int half = 0; half < 2; half++) {
                for (int j = 0; j < units; j++) {
                    w[(half * gates + a) * units + j] = v[(half * gates + b) * units + j];
                    w[(half * gates + b) * units + j] = v[(half * gates + a) * units + j];
                }
            }
            return w;
        });
    }

    static ModelProto mutate(ModelProto m, String initializer, UnaryOperator<float[]> change) {
        ModelProto.Builder b = m.toBuilder();
        var g = b.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getName().equals(initializer)) {
                float[] v = new float[t.getFloatDataCount()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = t.getFloatData(k);
                }
                float[] w = change.apply(v);
                TensorProto.Builder tb = t.toBuilder().clearFloatData();
                for (float x : w) {
                    tb.addFloatData(x);
                }
                g.setInitializer(i, tb);
                return b.build();
            }
        }
        throw new AssertionError("no initializer " + initializer);
    }

    @Test
    void swappedLstmGatesBreakTheComparison() throws Exception {
        ModelSpec spec = spec("lstm", ModelSpec.Impl.FAST);
        MultiLayerNetwork net = randomNetwork(spec, 7);
        ModelProto right = ModelProto.parseFrom(export(net, spec));
        assertTrue(maxDifference(net, right.toByteArray()) <= TOLERANCE);
        // ONNX order i, o, f, c: swap o and f, then i and c
        assertTrue(maxDifference(net, swapGates(right, "rnn0", 4, 8, 1, 2).toByteArray()) > 1e-3, "o <-> f");
        assertTrue(maxDifference(net, swapGates(right, "rnn0", 4, 8, 0, 3).toByteArray()) > 1e-3, "i <-> c");
    }

    @Test
    void swappedGruGatesOrBiasesBreakTheComparison() throws Exception {
        ModelSpec spec = spec("gru", ModelSpec.Impl.FAST);
        MultiLayerNetwork net = randomNetwork(spec, 7);
        ModelProto right = ModelProto.parseFrom(export(net, spec));
        assertTrue(maxDifference(net, right.toByteArray()) <= TOLERANCE);
        // ONNX order z, r, h
        assertTrue(maxDifference(net, swapGates(right, "rnn0", 3, 8, 0, 1).toByteArray()) > 1e-3, "z <-> r");
        // the candidate's input bias Wb_h and recurrent bias Rb_h swapped (only reset_after tells them apart)
        ModelProto biases = mutate(right, "rnn0_B", v -> {
            float[] w = v.clone();
            for (int j = 0; j < 8; j++) {
                w[2 * 8 + j] = v[5 * 8 + j];
                w[5 * 8 + j] = v[2 * 8 + j];
            }
            return w;
        });
        assertTrue(maxDifference(net, biases.toByteArray()) > 1e-3, "Wb_h <-> Rb_h");
        // linear_before_reset = 0 is Keras' reset_after=False cell, a different model
        ModelProto.Builder b = right.toBuilder();
        var g = b.getGraphBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (n.getOpType().equals("GRU")) {
                NodeProto.Builder nb = n.toBuilder();
                for (int k = 0; k < nb.getAttributeCount(); k++) {
                    if (nb.getAttribute(k).getName().equals("linear_before_reset")) {
                        nb.setAttribute(k, AttributeProto.newBuilder().setName("linear_before_reset")
                                .setType(AttributeProto.AttributeType.INT).setI(0));
                    }
                }
                g.setNode(i, nb);
            }
        }
        assertTrue(maxDifference(net, b.build().toByteArray()) > 1e-3, "linear_before_reset 0");
    }

    @Test
    void stackedLayersKeepTheirOwnWeights() throws Exception {
        ModelSpec spec = spec("lstm-2layer", ModelSpec.Impl.FAST);
        MultiLayerNetwork net = randomNetwork(spec, 7);
        ModelProto right = ModelProto.parseFrom(export(net, spec));
        ModelProto crossed = mutate(mutate(right, "rnn0_R", v -> recurrent(right, "rnn1_R")), "rnn1_R",
                v -> recurrent(right, "rnn0_R"));
        assertTrue(maxDifference(net, crossed.toByteArray()) > 1e-3);
    }

    private static float[] recurrent(ModelProto m, String name) {
        TensorProto t = m.getGraph().getInitializerList().stream().filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow();
        float[] v = new float[t.getFloatDataCount()];
        for (int k = 0; k < v.length; k++) {
            v[k] = t.getFloatData(k);
        }
        return v;
    }

    @Test
    void theExportersOwnVerificationRefusesAWrongGraph() throws Exception {
        ModelSpec spec = spec("lstm", ModelSpec.Impl.FAST);
        MultiLayerNetwork net = randomNetwork(spec, 7);
        ModelProto wrong = swapGates(ModelProto.parseFrom(export(net, spec)), "rnn0", 4, 8, 1, 2);
        ExportRefusedException e = assertThrows(ExportRefusedException.class,
                () -> OnnxExporter.verify(net, wrong.toByteArray(), TEXT, "seed"));
        assertTrue(e.getMessage().contains("disagrees with the checkpoint's network"), e.getMessage());
        assertTrue(OnnxExporter.verify(net, export(net, spec), TEXT, "seed").maxAbsDiff() <= TOLERANCE);
    }

    /** Embedding(500, 16), SimpleRnn(8) with {@code activation} returning its last step, Dense(1, sigmoid). */
    static MultiLayerNetwork simpleRnn(Activation activation, boolean layerNorm) {
        var conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(NUM_WORDS).nOut(16).hasBias(false).build())
                .layer(new LastTimeStep(new SimpleRnn.Builder().nIn(16).nOut(8).activation(activation)
                        .hasLayerNorm(layerNorm).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(8).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void whatOnnxCannotExpressIsRefusedWithTheReason() {
        ExportRefusedException act = assertThrows(ExportRefusedException.class,
                () -> InferenceGraph.of(simpleRnn(Activation.RATIONALTANH, false)));
        assertTrue(act.getMessage().contains("layer 1") && act.getMessage().contains("rationaltanh")
                && act.getMessage().contains("no counterpart"), act.getMessage());
        ExportRefusedException norm = assertThrows(ExportRefusedException.class,
                () -> InferenceGraph.of(simpleRnn(Activation.TANH, true)));
        assertTrue(norm.getMessage().contains("layer normalization"), norm.getMessage());
        // The same stock layers with tanh are fine, and match.
        MultiLayerNetwork ok = simpleRnn(Activation.TANH, false);
        Nd4j.getRandom().setSeed(3);
        ok.setParams(Nd4j.rand(DataType.FLOAT, 1, ok.numParams()).subi(0.5).muli(1.2));
        byte[] onnx = OnnxModelBuilder.build(InferenceGraph.of(ok), TEXT.maxlen(), "ok", "test", Map.of())
                .toByteArray();
        assertTrue(maxDifference(ok, onnx) <= TOLERANCE);
    }

    @Test
    void aNetworkOtherThanItsSpecIsRefused() {
        MultiLayerNetwork gru = randomNetwork(spec("gru", ModelSpec.Impl.FAST), 1);
        ExportRefusedException e = assertThrows(ExportRefusedException.class,
                () -> InferenceGraph.of(gru).checkDescribes(spec("lstm", ModelSpec.Impl.FAST), NUM_WORDS));
        assertTrue(e.getMessage().contains("GRU(8), the spec says LSTM(8)"), e.getMessage());
    }
}
