package io.reviewrnn.core.model.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Parameter counts (Keras parity), Keras default initialization, configuration round trips (DL4J JSON, Java
 * serialization), ModelSerializer save/restore with resumable updater state, clone (as parameter averaging does),
 * and the clear failures for unsupported inputs.
 */
class FastRecurrentConfigTest {

    private static MultiLayerConfiguration lstm2Conf() {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT)
                .updater(new RmsProp(1e-3, 0.9, 1e-7)).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(50).nOut(16).build())
                .layer(new FastLstm.Builder().nIn(16).units(8).dropout(0.3).returnSequences(true).build())
                .layer(new FastGru.Builder().nIn(8).units(8).recurrentDropout(0.2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(8).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();
    }

    private static long params(AbstractFastRecurrent layer) {
        return FastRecurrentParamInitializer.getInstance().numParams(layer);
    }

    @Test
    void parameterCountsMatchKeras() {
        assertEquals(800, params(new FastLstm.Builder().nIn(16).units(8).build()));
        assertEquals(624, params(new FastGru.Builder().nIn(16).units(8).build()));
        assertEquals(200, params(new FastSimpleRnn.Builder().nIn(16).units(8).build()));
        assertEquals(4072, params(new FastSimpleRnn.Builder().oneHot(500).units(8).build()));
        MultiLayerNetwork lstmModel = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(500).nOut(16).build())
                .layer(new FastLstm.Builder().nIn(16).units(8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(8).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build());
        lstmModel.init();
        assertEquals(8809, lstmModel.numParams()); // Keras model.summary() of the LSTM experiment
    }

    @Test
    void kerasDefaultInitialization() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new FastLstm.Builder().nIn(16).units(8).build()).build());
        net.init();
        INDArray w = net.getParam("0_W");
        INDArray rw = net.getParam("0_RW").castTo(DataType.DOUBLE);
        INDArray b = net.getParam("0_b");
        double limit = Math.sqrt(6.0 / (16 + 32));
        assertTrue(w.amaxNumber().doubleValue() <= limit, "glorot-uniform bound");
        assertTrue(w.amaxNumber().doubleValue() > 0.8 * limit, "glorot-uniform scale");
        // Orthogonal [8, 32]: orthonormal rows.
        INDArray gram = rw.mmul(rw.transpose());
        assertEquals(0.0, gram.sub(Nd4j.eye(8).castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-5);
        for (int g = 0; g < 32; g++) {
            assertEquals(g >= 8 && g < 16 ? 1.0 : 0.0, b.getDouble(0, g), 0.0, "bias " + g);
        }
    }

    @Test
    void configurationRoundTripsThroughJsonAndJavaSerialization() throws Exception {
        MultiLayerConfiguration conf = lstm2Conf();
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        FastLstm lstm = (FastLstm) back.getConf(1).getLayer();
        assertEquals(0.3, lstm.getDropout());
        assertTrue(lstm.isReturnSequences());
        assertEquals(1.0, lstm.getForgetGateBiasInit());
        assertEquals(0.2, ((FastGru) back.getConf(2).getLayer()).getRecurrentDropout());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(conf, in.readObject());
        }
    }

    @Test
    void modelSerializerRestoresAndResumesTrainingExactly() throws IOException {
        MultiLayerNetwork a = new MultiLayerNetwork(lstm2Conf());
        a.init();
        DataSet data = data();
        a.fit(data);
        a.fit(data);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(a, bytes, true);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()),
                true);
        assertEquals(a.getLayerWiseConfigurations(), b.getLayerWiseConfigurations());
        assertEquals(a.params(), b.params());
        assertEquals(a.output(data.getFeatures()), b.output(data.getFeatures()));
        // Same RNG state for the dropout masks, then one more step each: the updater state came back too.
        Nd4j.getRandom().setSeed(5);
        a.fit(data);
        Nd4j.getRandom().setSeed(5);
        b.fit(data);
        assertEquals(a.params(), b.params());

        MultiLayerNetwork c = a.clone();
        assertEquals(a.output(data.getFeatures()), c.output(data.getFeatures()));
    }

    @Test
    void fitRunsOneForwardPassPerLayerAndIteration() {
        // Backprop must reuse the training forward pass (and so its dropout masks), not recompute it.
        MultiLayerNetwork net = new MultiLayerNetwork(lstm2Conf());
        net.init();
        DataSet data = data();
        net.fit(data);
        net.fit(data);
        assertEquals(2, ((FastRecurrentLayer) net.getLayer(1)).forwardPasses());
        assertEquals(2, ((FastRecurrentLayer) net.getLayer(2)).forwardPasses());
    }

    @Test
    void unsupportedInputsFailClearly() {
        MultiLayerNetwork net = new MultiLayerNetwork(lstm2Conf());
        net.init();
        DataSet data = data();
        INDArray mask = Nd4j.ones(DataType.FLOAT, 8, 10);
        UnsupportedOperationException masked = assertThrows(UnsupportedOperationException.class,
                () -> net.output(data.getFeatures(), false, mask, null));
        assertTrue(masked.getMessage().contains("feature masks"), masked.getMessage());

        INDArray badIds = data.getFeatures().dup();
        badIds.putScalar(new long[] {0, 0, 3}, 50);
        MultiLayerNetwork oneHot = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new FastSimpleRnn.Builder().oneHot(50).units(4).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(4).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build());
        oneHot.init();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> oneHot.output(badIds));
        assertTrue(bad.getMessage().contains("[0, 3]"), bad.getMessage());

        MultiLayerNetwork dl4jDropout = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new FastSimpleRnn.Builder().nIn(3).units(4).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(4).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build());
        dl4jDropout.init();
        IllegalStateException ise = assertThrows(IllegalStateException.class,
                () -> dl4jDropout.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 2, 3, 4), Nd4j.ones(DataType.FLOAT, 2, 1))));
        assertTrue(ise.getMessage().contains("dropout(p)"), ise.getMessage());

        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> new FastLstm.Builder().nIn(3).units(2).dropout(1.0).build());
        assertTrue(p.getMessage().contains("dropout must be in [0, 1), was 1.0"), p.getMessage());
    }

    private static DataSet data() {
        java.util.Random r = new java.util.Random(11);
        INDArray x = Nd4j.create(DataType.FLOAT, 8, 1, 10);
        INDArray y = Nd4j.create(DataType.FLOAT, 8, 1);
        for (int s = 0; s < 8; s++) {
            for (int t = 0; t < 10; t++) {
                x.putScalar(new long[] {s, 0, t}, r.nextInt(50));
            }
            y.putScalar(s, 0, s % 2);
        }
        return new DataSet(x, y);
    }
}
