package io.reviewrnn.core.model.fast;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks and inputs shared by the fast-layer tests. */
final class FastRecurrentTestNets {
    private FastRecurrentTestNets() {
    }

    /** layers..., then a sigmoid output of {@code nOut} units trained with binary cross-entropy. */
    static MultiLayerNetwork net(DataType type, long seed, int lastUnits, int nOut, Layer... layers) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(type)
                .updater(new NoOp())
                .list();
        for (Layer l : layers) {
            b.layer(l);
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(lastUnits).nOut(nOut)
                .activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER).build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray denseInput(DataType type, long seed, int mb, int nIn, int steps) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(type, mb, nIn, steps).subi(0.5).muli(2);
    }

    static INDArray ids(DataType type, long seed, int mb, int steps, int vocab) {
        java.util.Random r = new java.util.Random(seed);
        INDArray a = Nd4j.create(type, mb, 1, steps);
        for (int s = 0; s < mb; s++) {
            for (int t = 0; t < steps; t++) {
                a.putScalar(new long[] {s, 0, t}, r.nextInt(vocab));
            }
        }
        return a;
    }

    static INDArray labels(DataType type, long seed, int mb, int nOut) {
        java.util.Random r = new java.util.Random(seed);
        INDArray a = Nd4j.create(type, mb, nOut);
        for (int s = 0; s < mb; s++) {
            for (int j = 0; j < nOut; j++) {
                a.putScalar(s, j, r.nextBoolean() ? 1 : 0);
            }
        }
        return a;
    }

    /** max |a - b| / max |b|: the error relative to the array's scale. */
    static double relErr(INDArray a, INDArray b) {
        INDArray da = a.castTo(DataType.DOUBLE);
        INDArray db = b.castTo(DataType.DOUBLE);
        double scale = db.amaxNumber().doubleValue();
        return da.sub(db).amaxNumber().doubleValue() / Math.max(scale, 1e-12);
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
