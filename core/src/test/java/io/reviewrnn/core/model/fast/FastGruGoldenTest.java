package io.reviewrnn.core.model.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FastGru against PyTorch {@code nn.GRU}: outputs and all gradients (parameters and input) for the fixed weights and
 * inputs of {@code golden/fast_gru_golden.json} (made by {@code core/src/test/python/make_fast_gru_golden.py}).
 * Forward to 1e-5, gradients to 1e-4 relative, in double and in float.
 */
class FastGruGoldenTest {
    private static final Logger LOG = LoggerFactory.getLogger(FastGruGoldenTest.class);

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void matchesPyTorchGru(String typeName) throws IOException {
        DataType type = DataType.valueOf(typeName);
        JsonNode g;
        try (InputStream in = getClass().getResourceAsStream("/golden/fast_gru_golden.json")) {
            assertTrue(in != null, "fixture golden/fast_gru_golden.json missing");
            g = new ObjectMapper().readTree(in);
        }
        int nIn = g.get("n_in").asInt();
        int units = g.get("units").asInt();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(type).list()
                .layer(new FastGru.Builder().nIn(nIn).units(units).returnSequences(true).build()).build());
        net.init();
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        // PyTorch keeps [3H, in] matrices with gate rows r, z, n; the fast layout is their transpose.
        layer.setParam("W", matrix(g.get("weight_ih"), type).transpose());
        layer.setParam("RW", matrix(g.get("weight_hh"), type).transpose());
        layer.setParam("b", row(g.get("bias_ih"), type));
        layer.setParam("rb", row(g.get("bias_hh"), type));

        // PyTorch batch_first [mb, T, features] -> DL4J [mb, features, T].
        INDArray x = tensor(g.get("x"), type).permute(0, 2, 1).dup('c');
        INDArray eps = tensor(g.get("G"), type).permute(0, 2, 1).dup('c');
        INDArray expectedOut = tensor(g.get("out"), type).permute(0, 2, 1);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, mgr);
        INDArray out = layer.activate(true, mgr);
        assertArrayEquals(expectedOut.shape(), out.shape());
        double outErr = FastRecurrentTestNets.maxAbsDiff(out, expectedOut);
        Pair<Gradient, INDArray> p = layer.backpropGradient(eps, mgr);
        Gradient grad = p.getFirst();
        double eW = FastRecurrentTestNets.relErr(grad.getGradientFor("W"),
                matrix(g.get("grad_weight_ih"), type).transpose());
        double eRW = FastRecurrentTestNets.relErr(grad.getGradientFor("RW"),
                matrix(g.get("grad_weight_hh"), type).transpose());
        double eb = FastRecurrentTestNets.relErr(grad.getGradientFor("b"), row(g.get("grad_bias_ih"), type));
        double erb = FastRecurrentTestNets.relErr(grad.getGradientFor("rb"), row(g.get("grad_bias_hh"), type));
        double ex = FastRecurrentTestNets.relErr(p.getSecond(), tensor(g.get("grad_x"), type).permute(0, 2, 1));
        LOG.info("GRU vs PyTorch {}: max |out diff| {}, relative gradient errors W {} RW {} b {} rb {} x {}",
                type, outErr, eW, eRW, eb, erb, ex);
        assertTrue(outErr < 1e-5, "output differs from PyTorch by " + outErr);
        assertTrue(eW < 1e-4, "dL/dW relative error " + eW);
        assertTrue(eRW < 1e-4, "dL/dRW relative error " + eRW);
        assertTrue(eb < 1e-4, "dL/db relative error " + eb);
        assertTrue(erb < 1e-4, "dL/drb relative error " + erb);
        assertTrue(ex < 1e-4, "dL/dx relative error " + ex);
    }

    private static INDArray row(JsonNode a, DataType type) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return Nd4j.createFromArray(v).reshape(1, v.length).castTo(type);
    }

    private static INDArray matrix(JsonNode a, DataType type) {
        int rows = a.size();
        int cols = a.get(0).size();
        INDArray m = Nd4j.create(DataType.DOUBLE, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.putScalar(r, c, a.get(r).get(c).asDouble());
            }
        }
        return m.castTo(type);
    }

    private static INDArray tensor(JsonNode a, DataType type) {
        int d0 = a.size();
        int d1 = a.get(0).size();
        int d2 = a.get(0).get(0).size();
        INDArray m = Nd4j.create(DataType.DOUBLE, d0, d1, d2);
        for (int i = 0; i < d0; i++) {
            for (int j = 0; j < d1; j++) {
                for (int k = 0; k < d2; k++) {
                    m.putScalar(new long[] {i, j, k}, a.get(i).get(j).get(k).asDouble());
                }
            }
        }
        return m.castTo(type);
    }
}
