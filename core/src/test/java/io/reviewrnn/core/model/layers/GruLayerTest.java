package io.reviewrnn.core.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reference GRU against PyTorch nn.GRU golden values (core/src/test/python/make_gru_golden.py). */
class GruLayerTest {
    private static final Logger LOG = LoggerFactory.getLogger(GruLayerTest.class);
    private static final double TOLERANCE = 1e-5;
    private static JsonNode golden;

    @BeforeAll
    static void loadGolden() throws IOException {
        try (InputStream in = GruLayerTest.class.getResourceAsStream("/golden/gru-golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void parameterCountAndLayoutMatchKerasAndPyTorch() {
        Gru conf = new Gru.Builder().nIn(16).nOut(8).build();
        assertEquals(624, GruParamInitializer.getInstance().numParams(conf));
        Layer layer = instantiate(conf, DataType.FLOAT);
        Map<String, INDArray> params = layer.paramTable();
        assertEquals(List.of("W", "RW", "b", "rb"), List.copyOf(params.keySet()));
        assertArrayEquals(new long[] {16, 24}, params.get("W").shape());
        assertArrayEquals(new long[] {8, 24}, params.get("RW").shape());
        assertArrayEquals(new long[] {1, 24}, params.get("b").shape());
        assertArrayEquals(new long[] {1, 24}, params.get("rb").shape());
        assertEquals(0.0, params.get("b").sumNumber().doubleValue(), 0.0, "zero input bias");
        assertEquals(0.0, params.get("rb").amaxNumber().doubleValue(), 0.0, "zero recurrent bias");
        // flattened order W, RW, b, rb with 'f'-ordered matrices
        INDArray flat = layer.params();
        assertEquals(params.get("W").getDouble(3, 5), flat.getDouble(0, 5 * 16 + 3), 0.0);
        assertEquals(params.get("RW").getDouble(2, 7), flat.getDouble(0, 16 * 24 + 7 * 8 + 2), 0.0);
    }

    @Test
    void memoryReport() {
        // parameters plus the [1, 8, 100] output activations
        Gru conf = new Gru.Builder().nIn(16).nOut(8).build();
        var report = conf.getMemoryReport(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(16, 100));
        assertEquals((624L + 8 * 100) * 4, report.getTotalMemoryBytes(1, org.deeplearning4j.nn.conf.memory.MemoryUseMode.INFERENCE,
                org.deeplearning4j.nn.conf.CacheMode.NONE, DataType.FLOAT));
        assertTrue(report.getTotalMemoryBytes(64, org.deeplearning4j.nn.conf.memory.MemoryUseMode.TRAINING,
                org.deeplearning4j.nn.conf.CacheMode.NONE, DataType.FLOAT) > 624L * 4);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void forwardAndGradientsMatchPyTorch(DataType dataType) {
        JsonNode c = golden.get("cases").get("zero_state");
        GoldenLayer g = new GoldenLayer(c, dataType, RNNFormat.NCW);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        g.layer.setInput(ncw(c.get("input"), dataType), mgr);
        INDArray out = g.layer.activate(false, mgr);
        double err = maxAbsDiff(out, ncw(c.get("output"), dataType));
        LOG.info("GRU golden forward ({}): max abs error {}", dataType, err);
        assertTrue(err < TOLERANCE, "forward max abs error " + err);

        Pair<Gradient, INDArray> bp = g.layer.backpropGradient(ncw(c.get("eps"), dataType), mgr);
        Map<String, INDArray> grads = bp.getFirst().gradientForVariable();
        double gradErr = 0;
        for (String key : List.of("W", "RW", "b", "rb")) {
            INDArray expected = matrix(c.get("grad_" + key), dataType);
            gradErr = Math.max(gradErr, maxAbsDiff(grads.get(key), expected.reshape(grads.get(key).shape())));
        }
        gradErr = Math.max(gradErr, maxAbsDiff(bp.getSecond(), ncw(c.get("grad_input"), dataType)));
        LOG.info("GRU golden gradients ({}): max abs error {}", dataType, gradErr);
        assertTrue(gradErr < 1e-4, "gradient max abs error " + gradErr);
    }

    @Test
    void nwcFormatGivesTheSameResult() {
        JsonNode c = golden.get("cases").get("zero_state");
        GoldenLayer g = new GoldenLayer(c, DataType.DOUBLE, RNNFormat.NWC);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        g.layer.setInput(tensor(c.get("input"), DataType.DOUBLE), mgr);
        INDArray out = g.layer.activate(false, mgr);
        assertTrue(maxAbsDiff(out, tensor(c.get("output"), DataType.DOUBLE)) < TOLERANCE);
        Pair<Gradient, INDArray> bp = g.layer.backpropGradient(tensor(c.get("eps"), DataType.DOUBLE), mgr);
        assertTrue(maxAbsDiff(bp.getSecond(), tensor(c.get("grad_input"), DataType.DOUBLE)) < 1e-8);
    }

    @Test
    void initialStateViaRnnTimeStepAndTruncatedBptt() {
        JsonNode c = golden.get("cases").get("initial_state");
        GoldenLayer g = new GoldenLayer(c, DataType.DOUBLE, RNNFormat.NCW);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray h0 = matrix(c.get("h0"), DataType.DOUBLE);
        INDArray x = ncw(c.get("input"), DataType.DOUBLE);
        INDArray expected = ncw(c.get("output"), DataType.DOUBLE);

        // one step at a time from h0
        GruLayer layer = g.layer;
        layer.rnnSetPreviousState(Map.of(GruLayer.STATE_KEY_PREV_ACTIVATION, h0));
        int steps = (int) x.size(2);
        for (int t = 0; t < steps; t++) {
            INDArray step = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1));
            INDArray out = layer.rnnTimeStep(step.dup(), mgr);
            INDArray exp = expected.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1));
            assertTrue(maxAbsDiff(out, exp) < TOLERANCE, "step " + t);
        }
        INDArray last = layer.rnnGetPreviousState().get(GruLayer.STATE_KEY_PREV_ACTIVATION);
        assertTrue(maxAbsDiff(last, matrix(c.get("last_state"), DataType.DOUBLE)) < TOLERANCE);

        // truncated BPTT over the whole sequence from the stored state gives PyTorch's gradients
        layer.rnnClearPreviousState();
        layer.rnnSetTBPTTState(Map.of(GruLayer.STATE_KEY_PREV_ACTIVATION, h0));
        layer.setInput(x, mgr);
        Pair<Gradient, INDArray> bp = layer.tbpttBackpropGradient(ncw(c.get("eps"), DataType.DOUBLE), steps, mgr);
        for (String key : List.of("W", "RW", "b", "rb")) {
            INDArray grad = bp.getFirst().gradientForVariable().get(key);
            INDArray exp = matrix(c.get("grad_" + key), DataType.DOUBLE).reshape(grad.shape());
            assertTrue(maxAbsDiff(grad, exp) < 1e-8, key);
        }
    }

    @Test
    void maskedStepsCarryTheStateAndOutputZero() {
        JsonNode c = golden.get("cases").get("zero_state");
        GoldenLayer g = new GoldenLayer(c, DataType.DOUBLE, RNNFormat.NCW);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = ncw(c.get("input"), DataType.DOUBLE);
        int mb = (int) x.size(0);
        int steps = (int) x.size(2);
        // mask out the first two steps (left padding): the result must equal running on the rest from h = 0
        INDArray mask = Nd4j.ones(DataType.DOUBLE, mb, steps);
        mask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).assign(0);
        g.layer.setInput(x, mgr);
        g.layer.setMaskArray(mask);
        INDArray masked = g.layer.activate(false, mgr).dup();
        g.layer.setMaskArray(null);
        INDArray tail = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, steps)).dup();
        g.layer.setInput(tail, mgr);
        INDArray unmasked = g.layer.activate(false, mgr);
        assertEquals(0.0, masked.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 2))
                .amaxNumber().doubleValue(), 0.0);
        assertTrue(maxAbsDiff(masked.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, steps)),
                unmasked) < 1e-12);
    }

    /** A GRU layer with the golden weights. */
    private static final class GoldenLayer {
        final GruLayer layer;

        GoldenLayer(JsonNode c, DataType dataType, RNNFormat format) {
            int nIn = golden.get("n_in").asInt();
            int units = golden.get("units").asInt();
            Gru conf = new Gru.Builder().nIn(nIn).nOut(units).dataFormat(format).build();
            layer = (GruLayer) instantiate(conf, dataType);
            for (String key : List.of("W", "RW", "b", "rb")) {
                INDArray p = layer.getParam(key);
                p.assign(matrix(c.get(key), dataType).reshape(p.shape()));
            }
        }
    }

    static Layer instantiate(Gru conf, DataType dataType) {
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(dataType).layer(conf).build();
        long n = conf.initializer().numParams(nnc);
        Layer layer = conf.instantiate(nnc, List.of(), 0, Nd4j.create(dataType, 1, n), true, dataType);
        layer.setBackpropGradientsViewArray(Nd4j.create(dataType, 1, n));
        return layer;
    }

    /** A nested JSON list as an array of its natural shape. */
    static INDArray tensor(JsonNode node, DataType dataType) {
        List<Integer> shape = new java.util.ArrayList<>();
        JsonNode n = node;
        while (n.isArray()) {
            shape.add(n.size());
            n = n.get(0);
        }
        double[] flat = new double[shape.stream().reduce(1, (a, b) -> a * b)];
        int[] pos = {0};
        flatten(node, flat, pos);
        long[] s = shape.stream().mapToLong(Integer::longValue).toArray();
        return Nd4j.create(flat, s.length == 1 ? new long[] {1, s[0]} : s, 'c').castTo(dataType);
    }

    static INDArray matrix(JsonNode node, DataType dataType) {
        return tensor(node, dataType);
    }

    /** PyTorch batch-first [mb, T, f] as DL4J NCW [mb, f, T]. */
    static INDArray ncw(JsonNode node, DataType dataType) {
        return tensor(node, dataType).permute(0, 2, 1).dup('f');
    }

    private static void flatten(JsonNode node, double[] out, int[] pos) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                flatten(child, out, pos);
            }
        } else {
            out[pos[0]++] = node.asDouble();
        }
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        assertArrayEquals(b.shape(), a.shape(), "shape");
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
