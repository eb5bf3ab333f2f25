package io.reviewrnn.core.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Per-minibatch one-hot expansion is exactly Keras' one-hot input. */
class OneHotPreProcessorTest {
    private static final int WORDS = 30;

    @Test
    void expandsIdsToOneHotNcw() {
        INDArray ids = Nd4j.create(new float[][] {{0, 0, 5, 29}, {3, 1, 2, 2}});
        INDArray x = new OneHotPreProcessor(WORDS).preProcess(ids, 2, LayerWorkspaceMgr.noWorkspaces());
        assertArrayEquals(new long[] {2, WORDS, 4}, x.shape());
        assertEquals(8.0, x.sumNumber().doubleValue(), 0.0);
        assertEquals(1.0, x.getDouble(0, 0, 0), 0.0);
        assertEquals(1.0, x.getDouble(0, 29, 3), 0.0);
        assertEquals(1.0, x.getDouble(1, 2, 3), 0.0);
        assertNull(new OneHotPreProcessor(WORDS).backprop(x, 2, LayerWorkspaceMgr.noWorkspaces()));
        // [mb, 1, T] is accepted too
        INDArray x3 = new OneHotPreProcessor(WORDS).preProcess(ids.reshape(2, 1, 4), 2,
                LayerWorkspaceMgr.noWorkspaces());
        assertEquals(x, x3);
    }

    @Test
    void rejectsIdsOutsideTheVocabulary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OneHotPreProcessor(WORDS)
                .preProcess(Nd4j.create(new float[][] {{1, 30}}), 1, LayerWorkspaceMgr.noWorkspaces()));
        assertTrue(e.getMessage().contains("token id 30 at sample 0, step 1"), e.getMessage());
    }

    @Test
    void networkOnIdsEqualsTheSameNetworkOnMaterializedOneHot() {
        ModelSpec spec = ModelSpec.builder().setName("onehot").setKind(ModelSpec.Kind.SIMPLE_RNN)
                .setInput(ModelSpec.Input.oneHot()).setUnits(5).optOptimizer(ModelSpec.Optimizer.rmsprop(1e-3))
                .optSeed(3L).optImpl(ModelSpec.Impl.REFERENCE).build();
        MultiLayerConfiguration withPre = ModelFactory.configuration(spec, WORDS, DataType.DOUBLE);
        MultiLayerConfiguration plain = withPre.clone();
        plain.setInputPreProcessors(new java.util.HashMap<>());
        MultiLayerNetwork a = net(withPre);
        MultiLayerNetwork b = net(plain);
        b.setParams(a.params());

        Random rnd = new Random(1);
        double[][] idRows = new double[4][9];
        for (double[] row : idRows) {
            for (int t = 0; t < row.length; t++) {
                row[t] = rnd.nextInt(WORDS);
            }
        }
        INDArray ids = Nd4j.create(idRows);
        INDArray oneHot = new OneHotPreProcessor(WORDS).preProcess(ids, 4, LayerWorkspaceMgr.noWorkspaces());
        INDArray labels = Nd4j.create(new double[][] {{1}, {0}, {1}, {1}});
        assertEquals(b.output(oneHot), a.output(ids));

        a.setInput(ids);
        a.setLabels(labels);
        a.computeGradientAndScore();
        b.setInput(oneHot);
        b.setLabels(labels);
        b.computeGradientAndScore();
        assertEquals(b.score(), a.score(), 0.0);
        Gradient ga = a.gradient();
        Gradient gb = b.gradient();
        assertEquals(gb.gradient(), ga.gradient());
    }

    private static MultiLayerNetwork net(MultiLayerConfiguration conf) {
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }
}
