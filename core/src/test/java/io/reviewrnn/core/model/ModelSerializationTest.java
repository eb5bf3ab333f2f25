package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** A trained network saved with ModelSerializer (with updater) loads back with identical outputs and updater. */
class ModelSerializationTest {

    @ParameterizedTest
    @MethodSource("io.reviewrnn.core.model.ModelFactoryTest#specNames")
    void trainedNetworkRoundTripsWithUpdater(String name, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net = ModelFactory.network(ModelFactoryTest.spec(name), ModelFactoryTest.NUM_WORDS);
        DataSet batch = new DataSet(ModelFactoryTest.ids(16, 30, 1), labels(16));
        for (int i = 0; i < 3; i++) {
            net.fit(batch);
        }
        File file = dir.resolve(name + ".zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertNotNull(restored.getUpdater().getStateViewArray());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        INDArray x = ModelFactoryTest.ids(10, 30, 2);
        assertEquals(net.output(x), restored.output(x));

        // resuming training continues identically (updater state and iteration count restored); the same RNG
        // state for both, so dropout masks agree
        Nd4j.getRandom().setSeed(2024);
        net.fit(batch);
        Nd4j.getRandom().setSeed(2024);
        restored.fit(batch);
        assertEquals(net.params(), restored.params(), name + ": one more step after restore");
    }

    private static INDArray labels(int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i += 2) {
            y[i] = 1;
        }
        return Nd4j.create(y, n, 1);
    }
}
