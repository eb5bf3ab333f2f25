package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The training accuracy counted inside the loss equals the accuracy of the pre-update forward pass. */
class TallyingBinaryXentTest {

    @ParameterizedTest
    @EnumSource(ModelSpec.Impl.class)
    void countsTheTrainingForwardPassOfEachFit(ModelSpec.Impl impl) {
        ModelSpec spec = ModelSpec.builder().setName("t").setKind(ModelSpec.Kind.LSTM)
                .setInput(ModelSpec.Input.embedding(8)).setUnits(4).optOptimizer(ModelSpec.Optimizer.rmsprop(1e-2))
                .optSeed(5L).optImpl(impl).build();
        MultiLayerNetwork net = ModelFactory.network(spec, 50);
        Nd4j.getRandom().setSeed(11);
        INDArray ids = Nd4j.rand(DataType.FLOAT, 37, 20).muli(49).addi(1);
        ids = org.nd4j.linalg.ops.transforms.Transforms.floor(ids, false);
        INDArray labels = Nd4j.rand(DataType.FLOAT, 37, 1).gt(0.5).castTo(DataType.FLOAT);
        for (int step = 0; step < 5; step++) {
            INDArray p = net.output(ids, false);
            long expected = 0;
            for (int i = 0; i < 37; i++) {
                if ((p.getDouble(i, 0) > 0.5) == (labels.getDouble(i, 0) > 0.5)) {
                    expected++;
                }
            }
            TallyingBinaryXent.reset();
            net.fit(new DataSet(ids, labels));
            assertEquals(37, TallyingBinaryXent.scored(), "one forward pass counted per fit");
            assertEquals(expected, TallyingBinaryXent.correct(), "step " + step);
        }
        // The loss is still binary cross-entropy (DL4J clips p to [1e-5, 1 - 1e-5]).
        double ours = net.score(new DataSet(ids, labels));
        INDArray p = net.output(ids, false);
        double bce = 0;
        for (int i = 0; i < 37; i++) {
            double q = Math.min(Math.max(p.getDouble(i, 0), 1e-5), 1 - 1e-5);
            double y = labels.getDouble(i, 0);
            bce -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
        }
        assertEquals(bce / 37, ours, 1e-4);
        OutputLayer out = (OutputLayer) net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer();
        assertInstanceOf(TallyingBinaryXent.class, out.getLossFn());
    }

    @ParameterizedTest
    @EnumSource(ModelSpec.Impl.class)
    void survivesTheConfigurationJson(ModelSpec.Impl impl) {
        ModelSpec spec = ModelSpec.builder().setName("t").setKind(ModelSpec.Kind.GRU)
                .setInput(ModelSpec.Input.embedding(8)).setUnits(4).optOptimizer(ModelSpec.Optimizer.rmsprop(1e-2))
                .optSeed(5L).optImpl(impl).build();
        MultiLayerConfiguration conf = ModelFactory.configuration(spec, 50);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        OutputLayer out = (OutputLayer) back.getConf(back.getConfs().size() - 1).getLayer();
        assertInstanceOf(TallyingBinaryXent.class, out.getLossFn());
        assertEquals(conf, back);
    }
}
