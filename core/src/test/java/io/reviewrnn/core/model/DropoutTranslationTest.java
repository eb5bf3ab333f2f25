package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keras dropout=p (fraction dropped, one mask per sample reused at every step) → DL4J SpatialDropout(1 - p). */
class DropoutTranslationTest {
    private static final Logger LOG = LoggerFactory.getLogger(DropoutTranslationTest.class);

    /** A conf/models spec with the stock DL4J layers (the fast layers apply Keras dropout themselves). */
    private static ModelSpec reference(String name) {
        ModelSpec s = ModelFactoryTest.spec(name);
        return ModelSpec.Builder.from(s).optImpl(ModelSpec.Impl.REFERENCE).build();
    }

    @Test
    void lstmDropoutSpecsUseSpatialDropoutWithRetainProbability() {
        MultiLayerConfiguration one = ModelFactory.configuration(reference("lstm-dropout"), 500);
        assertEquals(0.7, retain(one.getConf(1).getLayer()), 1e-12);
        assertNull(underlying(one.getConf(0).getLayer()).getIDropout(), "no dropout on the embedding");
        assertNull(underlying(one.getConf(2).getLayer()).getIDropout(), "no dropout on the output");

        MultiLayerConfiguration two = ModelFactory.configuration(reference("lstm-2layer"), 500);
        assertEquals(0.7, retain(two.getConf(1).getLayer()), 1e-12);
        assertEquals(0.7, retain(two.getConf(2).getLayer()), 1e-12);

        MultiLayerConfiguration none = ModelFactory.configuration(reference("lstm"), 500);
        assertNull(underlying(none.getConf(1).getLayer()).getIDropout());
    }

    @Test
    void maskDropsThirtyPercentOfFeaturesPerSampleConstantAcrossTime() {
        SpatialDropout d = (SpatialDropout) underlying(
                ModelFactory.configuration(reference("lstm-dropout"), 500).getConf(1).getLayer())
                .getIDropout();
        int mb = 400;
        int features = 16;
        int steps = 25;
        Nd4j.getRandom().setSeed(99);
        INDArray ones = Nd4j.ones(DataType.FLOAT, mb, features, steps);
        INDArray out = d.applyDropout(ones, Nd4j.create(DataType.FLOAT, mb, features, steps), 0, 0,
                LayerWorkspaceMgr.noWorkspaces());
        float[] v = out.dup('c').data().asFloat();
        int kept = 0;
        for (int s = 0; s < mb * features; s++) {
            float first = v[s * steps];
            assertTrue(first == 0f || Math.abs(first - 1 / 0.7f) < 1e-5, "kept values are scaled by 1/0.7: " + first);
            for (int t = 1; t < steps; t++) {
                assertEquals(first, v[s * steps + t], 0f, "mask must be constant across time");
            }
            if (first != 0f) {
                kept++;
            }
        }
        double retained = kept / (double) (mb * features);
        LOG.info("SpatialDropout(0.7) for Keras dropout 0.3: retained fraction {} of {} sample-features", retained,
                mb * features);
        assertEquals(0.7, retained, 0.03);
        // the mean activation is preserved (inverted dropout, as Keras)
        assertEquals(1.0, out.meanNumber().doubleValue(), 0.05);
    }

    @Test
    void dropoutOnlyWhileTraining() {
        MultiLayerNetwork net = ModelFactory.network(reference("lstm-dropout"), 500);
        INDArray x = ModelFactoryTest.ids(8, 30, 3);
        assertEquals(net.output(x, false), net.output(x, false), "inference is deterministic");
        assertNotEquals(net.output(x, true), net.output(x, false), "training applies the mask");
    }

    @Test
    void clonedConfigurationsDoNotShareDropoutState() {
        // DL4J Spark clones the configuration per worker thread; dropout objects hold the current mask
        MultiLayerConfiguration conf = ModelFactory.configuration(reference("lstm-2layer"), 500);
        MultiLayerConfiguration copy = conf.clone();
        for (int i = 1; i <= 2; i++) {
            IDropout a = underlying(conf.getConf(i).getLayer()).getIDropout();
            IDropout b = underlying(copy.getConf(i).getLayer()).getIDropout();
            assertNotSame(a, b, "layer " + i + " shares its IDropout with its clone");
        }
    }

    @Test
    void concurrentTrainingOfClonesWithDropout() throws Exception {
        MultiLayerConfiguration conf = ModelFactory.configuration(reference("lstm-dropout"), 500);
        DataSet batch = new DataSet(ModelFactoryTest.ids(16, 40, 5), Nd4j.ones(DataType.FLOAT, 16, 1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Double>> runs = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
                net.init();
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        net.fit(batch);
                    }
                    return net.score();
                }));
            }
            for (Future<Double> run : runs) {
                assertTrue(Double.isFinite(run.get()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double retain(Layer layer) {
        IDropout d = underlying(layer).getIDropout();
        assertInstanceOf(SpatialDropout.class, d);
        return ((SpatialDropout) d).getP();
    }

    private static Layer underlying(Layer layer) {
        return layer instanceof BaseWrapperLayer w ? w.getUnderlying() : layer;
    }
}
