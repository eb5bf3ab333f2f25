package io.reviewrnn.core.model.fast;

import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.denseInput;
import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.ids;
import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.labels;
import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.net;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J double-precision gradient checks (central differences against backprop, every parameter) for each fast
 * layer alone, stacked, with one-hot input, behind an embedding, and with dropout (the RNG is reseeded before every
 * forward pass so that the masks are the same for the numerical and the analytic gradient).
 */
class FastRecurrentGradientCheckTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int MB = 3;
    private static final int STEPS = 5;
    private static DataType previousDefault;
    private static DataType previousFloatingDefault;

    @BeforeAll
    static void doublePrecision() {
        // GradientCheckUtil insists on double as ND4J's global default type.
        previousDefault = Nd4j.dataType();
        previousFloatingDefault = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDefault, previousFloatingDefault);
    }

    @Test
    void lstmAlone() {
        check(net(D, 1, 4, 1, new FastLstm.Builder().nIn(3).units(4).build()), denseInput(D, 2, MB, 3, STEPS), 1,
                false);
    }

    @Test
    void gruAlone() {
        check(net(D, 1, 4, 1, new FastGru.Builder().nIn(3).units(4).build()), denseInput(D, 2, MB, 3, STEPS), 1,
                false);
    }

    @Test
    void simpleRnnAlone() {
        check(net(D, 1, 4, 1, new FastSimpleRnn.Builder().nIn(3).units(4).build()), denseInput(D, 2, MB, 3, STEPS),
                1, false);
    }

    @Test
    void embeddingThenStackedLstms() {
        MultiLayerNetwork net = net(D, 3, 3, 1,
                new EmbeddingSequenceLayer.Builder().nIn(7).nOut(4).build(),
                new FastLstm.Builder().nIn(4).units(3).returnSequences(true).build(),
                new FastLstm.Builder().nIn(3).units(3).build());
        check(net, ids(D, 4, MB, STEPS, 7), 1, false);
    }

    @Test
    void fastEmbeddingThenGru() {
        MultiLayerNetwork net = net(D, 21, 3, 1,
                new FastEmbedding.Builder().nIn(7).nOut(4).build(),
                new FastGru.Builder().nIn(4).units(3).build());
        check(net, ids(D, 22, MB, STEPS, 7), 1, false);
    }

    @Test
    void stackedGruSimpleRnnLstm() {
        MultiLayerNetwork net = net(D, 5, 2, 2,
                new FastGru.Builder().nIn(3).units(4).returnSequences(true).build(),
                new FastSimpleRnn.Builder().nIn(4).units(3).returnSequences(true).build(),
                new FastLstm.Builder().nIn(3).units(2).build());
        check(net, denseInput(D, 6, MB, 3, STEPS), 2, false);
    }

    @Test
    void oneHotInput() {
        MultiLayerNetwork net = net(D, 7, 3, 1,
                new FastGru.Builder().oneHot(9).units(3).returnSequences(true).build(),
                new FastSimpleRnn.Builder().nIn(3).units(3).build());
        check(net, ids(D, 8, MB, STEPS, 9), 1, false);
        MultiLayerNetwork lstm = net(D, 9, 3, 1, new FastLstm.Builder().oneHot(9).units(3).build());
        check(lstm, ids(D, 10, MB, STEPS, 9), 1, false);
    }

    @Test
    void withInputAndRecurrentDropout() {
        MultiLayerNetwork net = net(D, 11, 3, 1,
                new FastLstm.Builder().nIn(4).units(3).dropout(0.3).recurrentDropout(0.2).returnSequences(true)
                        .build(),
                new FastGru.Builder().nIn(3).units(3).dropout(0.25).recurrentDropout(0.25).build());
        check(net, denseInput(D, 12, 6, 4, STEPS), 1, true);
        MultiLayerNetwork oneHot = net(D, 13, 3, 1,
                new FastSimpleRnn.Builder().oneHot(6).units(3).dropout(0.3).recurrentDropout(0.3).build());
        check(oneHot, ids(D, 14, 6, STEPS, 6), 1, true);
    }

    private static void check(MultiLayerNetwork net, INDArray input, int nOut, boolean reseedEachPass) {
        // Non-trivial biases and weights (init leaves biases at 0 / 1).
        Nd4j.getRandom().setSeed(99);
        net.params().addi(Nd4j.rand(D, net.params().shape()).subi(0.5).muli(0.5));
        INDArray labels = labels(D, 15, (int) input.size(0), nOut);
        GradientCheckUtil.MLNConfig cfg = new GradientCheckUtil.MLNConfig().net(net).input(input).labels(labels)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9);
        if (reseedEachPass) {
            cfg.callEachIter(n -> Nd4j.getRandom().setSeed(12345));
        }
        boolean ok = GradientCheckUtil.checkGradients(cfg);
        assertTrue(ok, "gradient check failed (see log)");
    }
}
