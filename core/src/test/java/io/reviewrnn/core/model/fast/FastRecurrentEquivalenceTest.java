package io.reviewrnn.core.model.fast;

import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FastLstm and FastSimpleRnn against DL4J's stock LSTM and SimpleRnn, FastGru against our reference GRU layer, with
 * the same parameters and inputs: outputs to 1e-5, parameter gradients to 1e-4 relative, in float (production) and
 * double.
 */
class FastRecurrentEquivalenceTest {
    private static final Logger LOG = LoggerFactory.getLogger(FastRecurrentEquivalenceTest.class);
    private static final int MB = 5;
    private static final int N_IN = 6;
    private static final int STEPS = 7;
    private static final int UNITS = 4;

    enum Type { FLOAT, DOUBLE }

    private static DataType dt(Type t) {
        return t == Type.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void lstmLastStepMatchesStockLstm(Type type) {
        DataType d = dt(type);
        MultiLayerNetwork stock = net(d, 1, UNITS, 1, new LastTimeStep(lstm(N_IN, UNITS)));
        MultiLayerNetwork fast = net(d, 2, UNITS, 1,
                new FastLstm.Builder().nIn(N_IN).units(UNITS).build());
        compare("lstm-last", stock, fast, denseInput(d, 3, MB, N_IN, STEPS), d);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void stackedLstmMatchesStockLstm(Type type) {
        DataType d = dt(type);
        MultiLayerNetwork stock = net(d, 1, 3, 2, lstm(N_IN, UNITS), new LastTimeStep(lstm(UNITS, 3)));
        MultiLayerNetwork fast = net(d, 2, 3, 2,
                new FastLstm.Builder().nIn(N_IN).units(UNITS).returnSequences(true).build(),
                new FastLstm.Builder().nIn(UNITS).units(3).build());
        compare("lstm-stacked", stock, fast, denseInput(d, 4, MB, N_IN, STEPS), d);
    }

    /** DL4J has no GRU: the reference is our own {@code Gru} layer (impl: reference), which shares the layout. */
    @ParameterizedTest
    @EnumSource(Type.class)
    void gruMatchesTheReferenceGru(Type type) {
        DataType d = dt(type);
        MultiLayerNetwork reference = net(d, 1, 3, 1, gru(N_IN, UNITS), new LastTimeStep(gru(UNITS, 3)));
        MultiLayerNetwork fast = net(d, 2, 3, 1,
                new FastGru.Builder().nIn(N_IN).units(UNITS).returnSequences(true).build(),
                new FastGru.Builder().nIn(UNITS).units(3).build());
        compare("gru-stacked", reference, fast, denseInput(d, 12, MB, N_IN, STEPS), d);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void simpleRnnMatchesStockSimpleRnn(Type type) {
        DataType d = dt(type);
        MultiLayerNetwork stock = net(d, 1, 3, 1, simpleRnn(N_IN, UNITS), new LastTimeStep(simpleRnn(UNITS, 3)));
        MultiLayerNetwork fast = net(d, 2, 3, 1,
                new FastSimpleRnn.Builder().nIn(N_IN).units(UNITS).returnSequences(true).build(),
                new FastSimpleRnn.Builder().nIn(UNITS).units(3).build());
        compare("simplernn-stacked", stock, fast, denseInput(d, 5, MB, N_IN, STEPS), d);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void oneHotSimpleRnnMatchesStockOnExplicitOneHot(Type type) {
        DataType d = dt(type);
        int vocab = 11;
        MultiLayerNetwork stock = net(d, 1, UNITS, 1, new LastTimeStep(simpleRnn(vocab, UNITS)));
        MultiLayerNetwork fast = net(d, 2, UNITS, 1, new FastSimpleRnn.Builder().oneHot(vocab).units(UNITS).build());
        INDArray ids = ids(d, 6, MB, STEPS, vocab);
        INDArray oneHot = org.nd4j.linalg.factory.Nd4j.zeros(d, MB, vocab, STEPS);
        for (int s = 0; s < MB; s++) {
            for (int t = 0; t < STEPS; t++) {
                oneHot.putScalar(new long[] {s, ids.getInt(s, 0, t), t}, 1.0);
            }
        }
        fast.setParams(stock.params());
        INDArray labels = labels(d, 7, MB, 1);
        assertOutputs("simplernn-onehot", stock.output(oneHot), fast.output(ids), d);
        stock.setInput(oneHot);
        stock.setLabels(labels);
        stock.computeGradientAndScore();
        fast.setInput(ids);
        fast.setLabels(labels);
        fast.computeGradientAndScore();
        assertGradients("simplernn-onehot", stock.gradient(), fast.gradient(), d);
        assertEquals(stock.score(), fast.score(), 1e-5);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void fastEmbeddingMatchesEmbeddingSequenceLayer(Type type) {
        DataType d = dt(type);
        int vocab = 13;
        MultiLayerNetwork stock = net(d, 1, UNITS, 1,
                new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(N_IN).build(),
                new LastTimeStep(lstm(N_IN, UNITS)));
        MultiLayerNetwork fast = net(d, 2, UNITS, 1, new FastEmbedding.Builder().nIn(vocab).nOut(N_IN).build(),
                new FastLstm.Builder().nIn(N_IN).units(UNITS).build());
        compare("embedding+lstm", stock, fast, ids(d, 9, MB, STEPS, vocab), d);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void threadsDoNotChangeResults(Type type) {
        DataType d = dt(type);
        int mb = 40;
        for (boolean oneHot : new boolean[] {false, true}) {
            MultiLayerNetwork one = net(d, 3, 3, 1, threadStack(oneHot, 1));
            MultiLayerNetwork two = net(d, 3, 3, 1, threadStack(oneHot, 2));
            two.setParams(one.params());
            INDArray in = oneHot ? ids(d, 10, mb, STEPS, 9) : denseInput(d, 10, mb, N_IN, STEPS);
            INDArray labels = labels(d, 11, mb, 1);
            assertEquals(0.0, maxAbsDiff(one.output(in), two.output(in)), 0.0, "inference output");
            for (MultiLayerNetwork n : new MultiLayerNetwork[] {one, two}) {
                org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(5); // same dropout masks
                n.setInput(in);
                n.setLabels(labels);
                n.computeGradientAndScore();
            }
            double err = relErr(two.gradient().gradient(), one.gradient().gradient());
            LOG.info("threads 1 vs 2, {} one-hot={}: relative gradient difference {}", d, oneHot, err);
            assertTrue(err < (d == DataType.DOUBLE ? 1e-12 : 1e-5), "gradients differ by " + err);
        }
    }

    private static org.deeplearning4j.nn.conf.layers.Layer[] threadStack(boolean oneHot, int threads) {
        FastGru.Builder first = new FastGru.Builder().units(UNITS).returnSequences(true).dropout(0.2)
                .recurrentDropout(0.2).threads(threads);
        first = oneHot ? first.oneHot(9) : first.nIn(N_IN);
        return new org.deeplearning4j.nn.conf.layers.Layer[] {first.build(),
                new FastSimpleRnn.Builder().nIn(UNITS).units(UNITS).returnSequences(true).threads(threads).build(),
                new FastLstm.Builder().nIn(UNITS).units(3).threads(threads).build()};
    }

    private static LSTM lstm(int nIn, int units) {
        return new LSTM.Builder().nIn(nIn).nOut(units).activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID).build();
    }

    private static io.reviewrnn.core.model.layers.Gru gru(int nIn, int units) {
        return new io.reviewrnn.core.model.layers.Gru.Builder().nIn(nIn).nOut(units).build();
    }

    private static SimpleRnn simpleRnn(int nIn, int units) {
        return new SimpleRnn.Builder().nIn(nIn).nOut(units).activation(Activation.TANH).build();
    }

    private static void compare(String name, MultiLayerNetwork stock, MultiLayerNetwork fast, INDArray in,
            DataType d) {
        assertEquals(stock.numParams(), fast.numParams(), "parameter count");
        // Randomize biases too (stock inits them to 0 / forget 1), then copy the whole flat vector.
        stock.params().addi(org.nd4j.linalg.factory.Nd4j.rand(d, stock.params().shape()).subi(0.5).muli(0.4));
        fast.setParams(stock.params());
        assertOutputs(name, stock.output(in), fast.output(in), d);
        INDArray labels = labels(d, 8, MB, (int) stock.output(in).size(1));
        stock.setInput(in);
        stock.setLabels(labels);
        stock.computeGradientAndScore();
        fast.setInput(in);
        fast.setLabels(labels);
        fast.computeGradientAndScore();
        assertEquals(stock.score(), fast.score(), 1e-5, "score");
        assertGradients(name, stock.gradient(), fast.gradient(), d);
    }

    private static void assertOutputs(String name, INDArray expected, INDArray actual, DataType d) {
        assertArrayEquals(expected.shape(), actual.shape(), name + " output shape");
        double diff = maxAbsDiff(expected, actual);
        LOG.info("{} {}: max |output diff| = {}", name, d, diff);
        assertTrue(diff < 1e-5, name + ": output differs by " + diff);
    }

    private static void assertGradients(String name, Gradient expected, Gradient actual, DataType d) {
        INDArray e = expected.gradient();
        INDArray a = actual.gradient();
        assertEquals(e.length(), a.length());
        double worst = 0;
        for (Map.Entry<String, INDArray> entry : expected.gradientForVariable().entrySet()) {
            INDArray other = actual.gradientForVariable().get(entry.getKey());
            assertTrue(other != null, name + ": missing gradient " + entry.getKey());
            double err = relErr(other, entry.getValue());
            worst = Math.max(worst, err);
            assertTrue(err < 1e-4, name + ": gradient " + entry.getKey() + " relative error " + err);
        }
        double flat = relErr(a, e);
        LOG.info("{} {}: worst per-parameter relative gradient error = {}, flat = {}", name, d, worst, flat);
        assertTrue(flat < 1e-4, name + ": flat gradient relative error " + flat);
    }
}
