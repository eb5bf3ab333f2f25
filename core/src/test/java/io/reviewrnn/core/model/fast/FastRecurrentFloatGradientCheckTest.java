package io.reviewrnn.core.model.fast;

import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.denseInput;
import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.ids;
import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.labels;
import static io.reviewrnn.core.model.fast.FastRecurrentTestNets.net;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gradient checks of the float kernels, which production runs ({@link FastRecurrentGradientCheckTest} covers the
 * double ones through DL4J's checker, which only takes double): central differences of the float network's score
 * against its backprop gradient, every parameter, at float tolerance (step 1e-2, an error within 2e-3 absolute or
 * 2e-2 relative; float rounding of the score alone is about 1e-7 / 1e-2 = 1e-5). Dropout masks are made the same
 * for both by reseeding before every pass.
 */
class FastRecurrentFloatGradientCheckTest {
    private static final Logger LOG = LoggerFactory.getLogger(FastRecurrentFloatGradientCheckTest.class);
    private static final DataType F = DataType.FLOAT;
    private static final double STEP = 1e-2;
    private static final double ABS = 2e-3;
    private static final double REL = 2e-2;

    @Test
    void theFloatKernelsAreTheOnesChecked() {
        assertTrue(new FastGru.Builder().nIn(3).units(4).build().newKernel(F) instanceof FloatGruKernel);
        assertTrue(new FastLstm.Builder().nIn(3).units(4).build().newKernel(F) instanceof FloatLstmKernel);
        assertTrue(new FastSimpleRnn.Builder().nIn(3).units(4).build().newKernel(F) instanceof FloatSimpleRnnKernel);
    }

    @Test
    void eachLayerAlone() {
        check("lstm", net(F, 1, 4, 1, new FastLstm.Builder().nIn(3).units(4).build()), denseInput(F, 2, 3, 3, 5),
                1);
        check("gru", net(F, 1, 4, 1, new FastGru.Builder().nIn(3).units(4).build()), denseInput(F, 2, 3, 3, 5), 1);
        check("simple_rnn", net(F, 1, 4, 1, new FastSimpleRnn.Builder().nIn(3).units(4).build()),
                denseInput(F, 2, 3, 3, 5), 1);
    }

    @Test
    void embeddingThenStackedGruAndLstm() {
        MultiLayerNetwork net = net(F, 21, 3, 1,
                new FastEmbedding.Builder().nIn(7).nOut(4).build(),
                new FastGru.Builder().nIn(4).units(3).returnSequences(true).build(),
                new FastLstm.Builder().nIn(3).units(3).build());
        check("embedding+gru+lstm", net, ids(F, 22, 3, 5, 7), 1);
    }

    @Test
    void oneHotInputWithDropout() {
        MultiLayerNetwork net = net(F, 7, 3, 1,
                new FastGru.Builder().oneHot(9).units(3).dropout(0.25).recurrentDropout(0.25).returnSequences(true)
                        .build(),
                new FastSimpleRnn.Builder().nIn(3).units(3).dropout(0.3).recurrentDropout(0.3).build());
        check("one-hot gru+rnn, dropout", net, ids(F, 8, 6, 5, 9), 1);
    }

    private static double score(MultiLayerNetwork net) {
        Nd4j.getRandom().setSeed(12345); // the same dropout masks on every pass
        net.computeGradientAndScore();
        return net.score();
    }

    private static void check(String name, MultiLayerNetwork net, INDArray input, int nOut) {
        Nd4j.getRandom().setSeed(99);
        net.params().addi(Nd4j.rand(F, net.params().shape()).subi(0.5).muli(0.5));
        net.setInput(input);
        net.setLabels(labels(F, 15, (int) input.size(0), nOut));
        score(net);
        // The score is the minibatch mean; backprop gives the sum, which DL4J's updater divides by the minibatch
        // size (miniBatch(true), the default).
        INDArray analytic = net.gradient().gradient().dup().divi(input.size(0));
        INDArray params = net.params();
        int failures = 0;
        double worst = 0;
        for (long i = 0; i < params.length(); i++) {
            double original = params.getDouble(i);
            params.putScalar(i, original + STEP);
            double plus = score(net);
            params.putScalar(i, original - STEP);
            double minus = score(net);
            params.putScalar(i, original);
            double numeric = (plus - minus) / (2 * STEP);
            double backprop = analytic.getDouble(i);
            double err = Math.abs(numeric - backprop);
            worst = Math.max(worst, err / Math.max(ABS, Math.max(Math.abs(numeric), Math.abs(backprop))));
            if (err > ABS && err > REL * Math.max(Math.abs(numeric), Math.abs(backprop))) {
                failures++;
                LOG.error("{}: parameter {} numeric {} backprop {}", name, i, numeric, backprop);
            }
        }
        LOG.info("{} float: {} parameters, worst scaled error {}", name, params.length(), worst);
        assertTrue(failures == 0, name + ": " + failures + " of " + params.length() + " float gradients are off");
    }
}
