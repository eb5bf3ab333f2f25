package io.reviewrnn.core.model.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras dropout semantics: one inverted-dropout mask per sample, constant across time steps, on the input and on h in
 * the recurrent product; retained fraction about 1 - p; no dropout at inference; ND4J's (seeded) RNG controls the
 * masks.
 */
class FastRecurrentDropoutTest {
    private static final Logger LOG = LoggerFactory.getLogger(FastRecurrentDropoutTest.class);
    private static final DataType D = DataType.DOUBLE;
    private static final LayerWorkspaceMgr MGR = LayerWorkspaceMgr.noWorkspaces();

    private static Layer layer(long seed, AbstractFastRecurrent conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).dataType(D)
                .list().layer(conf).build());
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }

    @Test
    void inputMaskIsPerSampleConstantOverTimeAndInverted() {
        int mb = 400;
        int nIn = 16;
        int steps = 6;
        double p = 0.3;
        Layer dropped = layer(1, new FastLstm.Builder().nIn(nIn).units(4).dropout(p).build());
        Layer plain = layer(1, new FastLstm.Builder().nIn(nIn).units(4).build());
        plain.setParams(dropped.params().dup());
        INDArray x = Nd4j.rand(D, mb, nIn, steps).addi(0.1);

        dropped.setInput(x, MGR);
        INDArray trainOut = dropped.activate(true, MGR).dup();
        INDArray dx = dropped.backpropGradient(Nd4j.rand(D, mb, 4).addi(0.1), MGR).getSecond();

        // Zero pattern of dL/dx: where the input was dropped. It must be the same at every time step.
        INDArray mask = Nd4j.zeros(D, mb, nIn, 1);
        int zeros = 0;
        for (int s = 0; s < mb; s++) {
            for (int i = 0; i < nIn; i++) {
                boolean droppedHere = dx.getDouble(s, i, 0) == 0.0;
                zeros += droppedHere ? 1 : 0;
                mask.putScalar(new long[] {s, i, 0}, droppedHere ? 0.0 : 1.0 / (1 - p));
                for (int t = 1; t < steps; t++) {
                    assertEquals(droppedHere, dx.getDouble(s, i, t) == 0.0,
                            "mask changes over time at sample " + s + ", input " + i + ", step " + t);
                }
            }
        }
        double droppedFraction = zeros / (double) (mb * nIn);
        LOG.info("input dropout p={}: dropped fraction {}", p, droppedFraction);
        assertEquals(p, droppedFraction, 0.03, "dropped fraction");

        // The training forward pass equals a dropout-free layer fed x * mask (mask scaled by 1/(1-p)).
        plain.setInput(x.mul(mask.broadcast(mb, nIn, steps)), MGR);
        INDArray manual = plain.activate(false, MGR);
        assertEquals(0.0, FastRecurrentTestNets.maxAbsDiff(trainOut, manual), 1e-12);

        // Inference: no dropout, deterministic.
        dropped.setInput(x, MGR);
        INDArray inf1 = dropped.activate(false, MGR).dup();
        INDArray inf2 = dropped.activate(false, MGR).dup();
        plain.setInput(x, MGR);
        assertEquals(0.0, FastRecurrentTestNets.maxAbsDiff(inf1, inf2), 0.0);
        assertEquals(0.0, FastRecurrentTestNets.maxAbsDiff(inf1, plain.activate(false, MGR)), 1e-12);
        assertTrue(FastRecurrentTestNets.maxAbsDiff(inf1, trainOut) > 1e-3, "training output shows no dropout");
    }

    @Test
    void recurrentMaskIsPerSampleConstantOverTime() {
        int mb = 300;
        int nIn = 3;
        int units = 8;
        int steps = 7;
        double p = 0.4;
        Layer layer = layer(2, new FastSimpleRnn.Builder().nIn(nIn).units(units).recurrentDropout(p)
                .returnSequences(true).build());
        INDArray x = Nd4j.rand(D, mb, nIn, steps).subi(0.5);
        layer.setInput(x, MGR);
        INDArray out = layer.activate(true, MGR).dup();
        double[][] m = ((RecurrentKernel) ((FastRecurrentLayer) layer).kernel()).recMask;

        int kept = 0;
        for (double[] row : m) {
            for (double v : row) {
                assertTrue(v == 0.0 || Math.abs(v - 1 / (1 - p)) < 1e-12, "mask value " + v);
                kept += v == 0.0 ? 0 : 1;
            }
        }
        double keptFraction = kept / (double) (mb * units);
        LOG.info("recurrent dropout p={}: kept fraction {}", p, keptFraction);
        assertEquals(1 - p, keptFraction, 0.04, "kept fraction");

        // Reference: h_t = tanh(x_t W + b + (h_{t-1} * m) RW) with ONE mask m per sample for all steps.
        INDArray w = layer.getParam("W");
        INDArray rw = layer.getParam("RW");
        INDArray b = layer.getParam("b");
        INDArray mask = Nd4j.create(D, mb, units);
        for (int k = 0; k < units; k++) {
            for (int s = 0; s < mb; s++) {
                mask.putScalar(s, k, m[k][s]);
            }
        }
        INDArray h = Nd4j.zeros(D, mb, units);
        for (int t = 0; t < steps; t++) {
            INDArray xt = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex
                    .all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t));
            INDArray z = xt.mmul(w).addiRowVector(b).addi(h.mul(mask).mmul(rw));
            h = org.nd4j.linalg.ops.transforms.Transforms.tanh(z, true);
            INDArray outT = out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing
                    .NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t));
            assertEquals(0.0, FastRecurrentTestNets.maxAbsDiff(outT, h), 1e-12, "step " + t);
        }
    }

    @Test
    void rngStateControlsTheMasks() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(D, 20, 5, 4);
        INDArray a = trainingOutput(7, x);
        INDArray b = trainingOutput(7, x);
        INDArray c = trainingOutput(8, x);
        assertEquals(0.0, FastRecurrentTestNets.maxAbsDiff(a, b), 0.0, "same seed, same masks");
        assertFalse(FastRecurrentTestNets.maxAbsDiff(a, c) == 0.0, "different seed, same output");
    }

    private static INDArray trainingOutput(long seed, INDArray x) {
        Layer l = layer(seed, new FastGru.Builder().nIn(5).units(3).dropout(0.5).recurrentDropout(0.5).build());
        // Same parameters for every seed (drawn without touching ND4J's RNG, which init() seeded from the
        // network seed): only the masks may differ.
        java.util.Random r = new java.util.Random(1);
        double[] p = new double[(int) l.numParams()];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextDouble() - 0.5;
        }
        l.setParams(Nd4j.createFromArray(p).reshape(1, p.length));
        // Masks come from ND4J's RNG, which init() seeds from the network seed. ND4J's scalar draws
        // (nextDouble/nextGaussian) do not always restart with setSeed, so pin the RNG state right here.
        Nd4j.getRandom().setSeed(seed);
        l.setInput(x, MGR);
        return l.activate(true, MGR).dup();
    }
}
