package io.reviewrnn.core.model.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Double-precision DL4J gradient checks for the GRU alone, stacked, masked, with dropout, and in the spec models. */
class GruGradientCheckTest {
    private static final double EPS = 1e-6;
    private static final double MAX_REL_ERROR = 1e-5;
    private static final double MIN_ABS_ERROR = 1e-9;
    private static DataType savedDefault;
    private static DataType savedFloatingPoint;

    @BeforeAll
    static void doublePrecision() {
        savedDefault = Nd4j.dataType();
        savedFloatingPoint = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloatingPoint);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gruAloneWithSequenceOutput(boolean masked) {
        int nIn = 4;
        int units = 3;
        int mb = 3;
        int steps = 5;
        MultiLayerConfiguration conf = base()
                .layer(new Gru.Builder().nIn(nIn).nOut(units).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(units).nOut(2).build())
                .build();
        MultiLayerNetwork net = init(conf);
        randomizeBiases(net);
        INDArray x = Nd4j.rand(DataType.DOUBLE, mb, nIn, steps).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, mb, 2, steps);
        INDArray mask = null;
        if (masked) {
            mask = Nd4j.ones(DataType.DOUBLE, mb, steps);
            mask.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 2)).assign(0); // left padding
            mask.get(NDArrayIndex.point(1), NDArrayIndex.interval(3, 5)).assign(0); // right padding
            mask.putScalar(2, 2, 0); // a hole
        }
        assertTrue(check(net, x, y, mask, mask), "GRU alone, masked=" + masked);
    }

    @Test
    void gruWithNwcDataFormat() {
        MultiLayerConfiguration conf = base()
                .layer(new Gru.Builder().nIn(3).nOut(4).dataFormat(RNNFormat.NWC).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.TANH)
                        .dataFormat(RNNFormat.NWC).nIn(4).nOut(2).build())
                .build();
        MultiLayerNetwork net = init(conf);
        randomizeBiases(net);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 6, 3).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 6, 2);
        assertTrue(check(net, x, y, null, null));
    }

    @Test
    void embeddingGruLstmLastStepOutput() {
        int vocab = 7;
        MultiLayerConfiguration conf = base()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(4).build())
                .layer(new Gru.Builder().nIn(4).nOut(3).build())
                .layer(new LastTimeStep(new LSTM.Builder().nIn(3).nOut(3).activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                        .nIn(3).nOut(1).build())
                .build();
        MultiLayerNetwork net = init(conf);
        randomizeBiases(net);
        assertTrue(check(net, ids(4, 6, vocab), binaryLabels(4), null, null));
    }

    @Test
    void embeddingLstmGruStackedLastStepOutput() {
        int vocab = 6;
        MultiLayerConfiguration conf = base()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(3).build())
                .layer(new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new Gru.Builder().nIn(4).nOut(3).build())
                .layer(new LastTimeStep(new Gru.Builder().nIn(3).nOut(2).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                        .nIn(2).nOut(1).build())
                .build();
        MultiLayerNetwork net = init(conf);
        randomizeBiases(net);
        assertTrue(check(net, ids(3, 5, vocab), binaryLabels(3), null, null));
    }

    @Test
    void gruWithSpatialDropoutWhenTheRngIsResetEachIteration() {
        MultiLayerConfiguration conf = base()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(5).nOut(4).build())
                .layer(new LastTimeStep(new Gru.Builder().nIn(4).nOut(3).dropOut(new SpatialDropout(0.6)).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                        .nIn(3).nOut(1).build())
                .build();
        MultiLayerNetwork net = init(conf);
        randomizeBiases(net);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(ids(4, 5, 5)).labels(binaryLabels(4)).epsilon(EPS).maxRelError(MAX_REL_ERROR)
                .minAbsoluteError(MIN_ABS_ERROR).callEachIter(n -> Nd4j.getRandom().setSeed(12345)));
        assertTrue(ok);
    }

    /** The factory's own networks (small vocabulary), with the optimizer replaced by NoOp as the check requires. */
    @ParameterizedTest
    @ValueSource(strings = {"gru", "gru-onehot", "gru-2layer", "lstm-2layer", "simplernn-onehot"})
    void specModels(String which) {
        ModelSpec.Input input = which.endsWith("onehot") ? ModelSpec.Input.oneHot() : ModelSpec.Input.embedding(4);
        ModelSpec.Kind kind = which.startsWith("gru") ? ModelSpec.Kind.GRU
                : which.startsWith("lstm") ? ModelSpec.Kind.LSTM : ModelSpec.Kind.SIMPLE_RNN;
        int layers = which.endsWith("2layer") ? 2 : 1;
        ModelSpec spec = ModelSpec.builder().setName(which).setKind(kind).setInput(input).setUnits(3)
                .optLayers(layers).optOptimizer(ModelSpec.Optimizer.rmsprop(1e-4)).optSeed(7L)
                .optImpl(ModelSpec.Impl.REFERENCE).build();
        int vocab = 9;
        MultiLayerConfiguration conf = ModelFactory.configuration(spec, vocab, DataType.DOUBLE);
        for (NeuralNetConfiguration c : conf.getConfs()) {
            org.deeplearning4j.nn.conf.layers.Layer l = c.getLayer();
            if (l instanceof BaseWrapperLayer w) {
                l = w.getUnderlying();
            }
            if (l instanceof BaseLayer b) {
                b.setIUpdater(new NoOp());
            }
        }
        MultiLayerNetwork net = init(conf);
        randomizeBiases(net);
        assertTrue(check(net, ids(3, 6, vocab), binaryLabels(3), null, null), which);
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(new KerasGlorotUniform())
                .list();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Non-zero biases, so their gradients and the r ⊙ (h RW + rb) path are exercised. */
    private static void randomizeBiases(MultiLayerNetwork net) {
        net.paramTable().forEach((k, v) -> {
            if (k.endsWith("_b") || k.endsWith("_rb")) {
                v.assign(Nd4j.rand(DataType.DOUBLE, v.shape()).subi(0.5));
            }
        });
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y, INDArray inMask, INDArray labelMask) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(inMask).labelMask(labelMask).epsilon(EPS).maxRelError(MAX_REL_ERROR)
                .minAbsoluteError(MIN_ABS_ERROR).exitOnFirstError(false));
    }

    private static INDArray ids(int mb, int steps, int vocab) {
        Random rnd = new Random(mb * 31L + steps);
        double[][] a = new double[mb][steps];
        for (double[] row : a) {
            for (int t = 0; t < steps; t++) {
                row[t] = rnd.nextInt(vocab);
            }
        }
        return Nd4j.create(a);
    }

    private static INDArray binaryLabels(int mb) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, mb, 1);
        for (int i = 0; i < mb; i += 2) {
            y.putScalar(i, 0, 1.0);
        }
        return y;
    }
}
