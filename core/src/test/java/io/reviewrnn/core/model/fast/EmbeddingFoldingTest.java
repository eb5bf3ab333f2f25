package io.reviewrnn.core.model.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The folded inference network computes what the network does, for every shipped model: one layer fewer when an
 * embedding comes first, the same network (one-hot input) otherwise.
 */
class EmbeddingFoldingTest {
    private static final int WORDS = 500;

    private static ModelSpec spec(String name) {
        Path dir = Path.of("conf/models");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("../conf/models");
        }
        return ModelSpec.load(dir.resolve(name + ".yaml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "simplernn-embedding", "lstm-2layer", "lstm-dropout", "simplernn-onehot"})
    void foldedNetworkGivesTheSameProbabilities(String name) {
        ModelSpec spec = spec(name);
        // In double the fold is exact up to the order of additions. Every parameter random in [-0.5, 0.5), biases
        // too, so that the probabilities spread out and a wrong fold cannot hide.
        MultiLayerNetwork dbl = new MultiLayerNetwork(ModelFactory.configuration(spec, WORDS, DataType.DOUBLE));
        dbl.init();
        Nd4j.getRandom().setSeed(11);
        dbl.setParams(Nd4j.rand(DataType.DOUBLE, 1, dbl.numParams()).subi(0.5));
        compare(name, dbl, 1e-9, 0.01);
        // In float (the networks' type) to float rounding: the input projection is rounded once, not per product.
        compare(name, ModelFactory.network(spec, WORDS), 1e-6, 0);
    }

    private static void compare(String name, MultiLayerNetwork net, double tolerance, double spread) {
        MultiLayerNetwork folded = EmbeddingFolding.fold(net);
        if (!(net.getLayer(0) instanceof FastEmbeddingLayer)) {
            assertSame(net, folded, name + ": nothing to fold");
            return;
        }
        assertEquals(net.getnLayers() - 1, folded.getnLayers());
        assertTrue(((AbstractFastRecurrent) folded.getLayerWiseConfigurations().getConf(0).getLayer()).isOneHot());
        assertEquals(net.getLayerWiseConfigurations().getDataType(), folded.getLayerWiseConfigurations().getDataType());

        Random r = new Random(5);
        int mb = 40;
        int steps = 60;
        float[] ids = new float[mb * steps];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(WORDS);
        }
        INDArray x = Nd4j.create(ids, new long[] {mb, steps}, 'c').castTo(net.getLayerWiseConfigurations()
                .getDataType());
        double[] want = net.output(x, false).reshape(mb).toDoubleVector();
        double[] got = folded.output(x, false).reshape(mb).toDoubleVector();
        double lo = 1;
        double hi = 0;
        for (int s = 0; s < mb; s++) {
            assertEquals(want[s], got[s], tolerance, name + " review " + s);
            lo = Math.min(lo, want[s]);
            hi = Math.max(hi, want[s]);
        }
        assertTrue(hi - lo >= spread, name + ": probabilities spread " + lo + ".." + hi);
    }
}
