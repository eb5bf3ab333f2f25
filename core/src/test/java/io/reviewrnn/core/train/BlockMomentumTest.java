package io.reviewrnn.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BlockMomentumTest {

    private static INDArray vec(double... v) {
        return Nd4j.createFromArray(v).reshape(1, v.length);
    }

    private static void assertVec(INDArray actual, double... expected) {
        assertArrayEquals(expected, actual.toDoubleVector(), 1e-12);
    }

    /** A block: every worker moves by {@code d} from the start point, so their mean is start + d. */
    private static INDArray block(BlockMomentum bm, INDArray global, double... d) {
        INDArray start = bm.blockStart(global);
        return bm.update(global, start.add(vec(d)));
    }

    @Test
    void threeBlocksOfBmufMatchTheRecurrenceByHand() {
        // mu = 0.5, eta = 1, Nesterov; W0 = (1, 0). Worker progress per block: (0.1, -0.2), (0.2, 0), (-0.1, 0.4).
        // Block 1: S = W0 = (1, 0);            D = (0.1, -0.2);                 W1 = (1.1, -0.2)
        // Block 2: S = W1 + 0.5 D = (1.15, -0.3); M = (1.35, -0.3); D = 0.5 (0.1, -0.2) + (0.2, 0) = (0.25, -0.1);
        //          W2 = W1 + D = (1.35, -0.3)
        // Block 3: S = W2 + 0.5 D = (1.475, -0.35); M = (1.375, 0.05); D = (0.125, -0.05) + (-0.1, 0.4)
        //          = (0.025, 0.35); W3 = (1.375, 0.05)
        BlockMomentum bm = new BlockMomentum(Averaging.BMUF, 0.5, 1.0, true);
        INDArray w = vec(1, 0);
        w = block(bm, w, 0.1, -0.2);
        assertVec(w, 1.1, -0.2);
        assertVec(bm.state(), 0.1, -0.2);
        assertVec(bm.blockStart(w), 1.15, -0.3);
        w = bm.update(w, vec(1.35, -0.3));
        assertVec(w, 1.35, -0.3);
        assertVec(bm.state(), 0.25, -0.1);
        assertVec(bm.blockStart(w), 1.475, -0.35);
        w = bm.update(w, vec(1.375, 0.05));
        assertVec(w, 1.375, 0.05);
        assertVec(bm.state(), 0.025, 0.35);
    }

    @Test
    void withoutNesterovBlocksStartFromTheGlobalModel() {
        // mu = 0.5, eta = 2: block 1 D = 2 * 0.1 = 0.2, W = 1.2; block 2 starts at 1.2, M = 1.3:
        // D = 0.1 + 2 * 0.1 = 0.3, W = 1.5.
        BlockMomentum bm = new BlockMomentum(Averaging.BMUF, 0.5, 2.0, false);
        INDArray w = block(bm, vec(1.0), 0.1);
        assertVec(w, 1.2);
        assertVec(bm.blockStart(w), 1.2);
        w = bm.update(w, vec(1.3));
        assertVec(w, 1.5);
    }

    @Test
    void identicalWorkersGiveOneWorkersUpdateUnderEachRulesScaling() {
        int n = 4;
        INDArray w0 = vec(0.5, -1.0, 2.0);
        double[] d = {0.01, 0.02, -0.03};
        // plain mean: the model is exactly the workers' mean, i.e. the one worker's parameters
        BlockMomentum mean = BlockMomentum.mean();
        INDArray oneWorker = w0.add(vec(d));
        assertSame(oneWorker, mean.update(w0, oneWorker));
        assertNull(mean.state(), "the plain mean keeps no state");
        // scaled delta: N times one worker's update
        BlockMomentum scaled = new BlockMomentum(Averaging.SCALED_DELTA, Averaging.SCALED_DELTA.defaultMomentum(n),
                Averaging.SCALED_DELTA.defaultLearningRate(n), false);
        assertVec(block(scaled, w0, d), 0.5 + 4 * 0.01, -1.0 + 4 * 0.02, 2.0 - 4 * 0.03);
        // BMUF: the first block is one worker's update (eta 1 up to four workers); with a constant update the step
        // approaches eta / (1 - mu) = N times it: after k blocks D = eta d (1 - mu^k) / (1 - mu)
        double mu = Averaging.BMUF.defaultMomentum(n);
        double eta = Averaging.BMUF.defaultLearningRate(n);
        assertEquals(0.75, mu);
        assertEquals(1.0, eta);
        BlockMomentum bmuf = new BlockMomentum(Averaging.BMUF, mu, eta, true);
        INDArray w = block(bmuf, w0, d);
        assertVec(w, oneWorker.toDoubleVector());
        for (int k = 2; k <= 80; k++) {
            w = block(bmuf, w, d);
        }
        double gain = eta * (1 - Math.pow(mu, 80)) / (1 - mu);
        assertArrayEquals(new double[] {d[0] * gain, d[1] * gain, d[2] * gain}, bmuf.state().toDoubleVector(), 1e-12);
        assertEquals(n, gain, 1e-9);
        // beyond four workers the momentum's memory stays at four blocks and the block learning rate makes up the
        // gain: eight workers, mu 0.75, eta 2
        assertEquals(0.75, Averaging.BMUF.defaultMomentum(8));
        assertEquals(2.0, Averaging.BMUF.defaultLearningRate(8));
        // the gain is N for every N (one worker: the identity, mu 0 and eta 1)
        for (int workers : new int[] {1, 2, 3, 4, 5, 8, 64}) {
            double m = Averaging.BMUF.defaultMomentum(workers);
            assertEquals(workers, Averaging.BMUF.defaultLearningRate(workers) / (1 - m), 1e-9, "N = " + workers);
        }
        assertEquals(0.0, Averaging.BMUF.defaultMomentum(1));
        assertEquals(1.0, Averaging.BMUF.defaultLearningRate(1));
        assertEquals(0.5, Averaging.BMUF.defaultMomentum(2));
        assertEquals(1.0, Averaging.BMUF.defaultLearningRate(2));
    }

    @Test
    void stateRoundTripsAndResumesExactly() {
        BlockMomentum a = new BlockMomentum(Averaging.BMUF, 0.5, 1.0, true);
        INDArray w = block(a, vec(1, 2), 0.1, 0.3);
        w = block(a, w, -0.2, 0.1);
        BlockMomentum b = new BlockMomentum(Averaging.BMUF, 0.5, 1.0, true);
        b.restore(a.state());
        INDArray wa = block(a, w, 0.05, 0.05);
        INDArray wb = block(b, w, 0.05, 0.05);
        assertArrayEquals(wa.toDoubleVector(), wb.toDoubleVector(), 0.0);
        BlockMomentum fresh = new BlockMomentum(Averaging.BMUF, 0.5, 1.0, true);
        INDArray wf = block(fresh, w, 0.05, 0.05);
        assertEquals(0.05 * 1 + w.getDouble(0), wf.getDouble(0), 1e-12, "a fresh buffer would forget the momentum");
        assertThrows(AssertionError.class, () -> assertArrayEquals(wa.toDoubleVector(), wf.toDoubleVector(), 1e-6));
    }

    @Test
    void keepsTheNetworksDataTypeAndRefusesBadSettings() {
        BlockMomentum bm = new BlockMomentum(Averaging.BMUF, 0.5, 1.0, true);
        INDArray w = Nd4j.createFromArray(1f, 2f).reshape(1, 2);
        INDArray s = bm.blockStart(w);
        assertEquals(DataType.FLOAT, bm.update(w, s.add(0.5f)).dataType());
        assertThrows(IllegalStateException.class, () -> bm.update(w, w), "an update needs its block start");
        assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(Averaging.BMUF, 1.0, 1.0, true));
        assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(Averaging.BMUF, 0.5, 0.0, true));
        assertEquals(Averaging.BMUF, Averaging.parse(" BMUF "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Averaging.parse("avg"));
        assertEquals("must be one of mean, bmuf, scaled_delta, was 'avg'", e.getMessage());
    }
}
