package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.model.layers.KerasGlorotUniform;
import io.reviewrnn.core.model.layers.KerasOrthogonal;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The spec models start from Keras' default initialization. */
class KerasInitTest {

    @ParameterizedTest
    @CsvSource({"8,32", "8,24", "8,8", "32,8", "500,8"})
    void orthogonalHasOrthonormalRowsOrColumns(int rows, int cols) {
        INDArray view = Nd4j.create(DataType.DOUBLE, 1, (long) rows * cols);
        INDArray w = new KerasOrthogonal().init(rows, cols, new long[] {rows, cols}, 'f', view);
        assertArrayEquals(new long[] {rows, cols}, w.shape());
        INDArray gram = rows <= cols ? w.mmul(w.transpose()) : w.transpose().mmul(w);
        double err = gram.sub(Nd4j.eye(Math.min(rows, cols)).castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(err < 1e-10, "orthonormality error " + err);
        // the values really live in the parameter view
        assertEquals(w.getDouble(1, 2), view.getDouble(0, 2L * rows + 1), 0.0);
    }

    @Test
    void glorotUsesTheKernelShapeForFans() {
        INDArray view = Nd4j.create(DataType.DOUBLE, 1, 16 * 32);
        // DL4J's LSTM passes fanIn = units, fanOut = nIn + units; Keras uses the [16, 32] kernel shape
        INDArray w = new KerasGlorotUniform().init(8, 24, new long[] {16, 32}, 'f', view);
        double limit = Math.sqrt(6.0 / (16 + 32));
        double max = w.amaxNumber().doubleValue();
        assertTrue(max <= limit && max > 0.9 * limit, "max |w| " + max + ", limit " + limit);
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.05);
    }

    @Test
    void lstmSpecInitializationMatchesKeras() {
        MultiLayerNetwork net = ModelFactory.network(ModelFactoryTest.spec("lstm"), 500);
        Map<String, INDArray> p = net.paramTable();
        INDArray emb = p.get("0_W");
        assertArrayEquals(new long[] {500, 16}, emb.shape());
        assertTrue(emb.amaxNumber().doubleValue() <= 0.05, "embedding U(-0.05, 0.05)");
        assertTrue(emb.amaxNumber().doubleValue() > 0.045);

        INDArray w = p.get("1_W");
        INDArray rw = p.get("1_RW");
        INDArray b = p.get("1_b");
        assertArrayEquals(new long[] {16, 32}, w.shape());
        assertArrayEquals(new long[] {8, 32}, rw.shape());
        double limit = Math.sqrt(6.0 / (16 + 32));
        assertTrue(w.amaxNumber().doubleValue() <= limit + 1e-7);
        assertTrue(w.amaxNumber().doubleValue() > 0.9 * limit);
        INDArray gram = rw.castTo(DataType.DOUBLE).mmul(rw.castTo(DataType.DOUBLE).transpose());
        assertTrue(gram.sub(Nd4j.eye(8).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-5,
                "recurrent kernel [8, 32] has orthonormal rows");
        // DL4J's LSTM bias blocks are [i, f, o, g]: forget gate 1, the rest 0 (Keras unit_forget_bias)
        assertEquals(8.0, b.get(NDArrayIndex.point(0), NDArrayIndex.interval(8, 16)).sumNumber().doubleValue(), 0);
        assertEquals(8.0, b.sumNumber().doubleValue(), 0);

        INDArray dense = p.get("2_W");
        double dLimit = Math.sqrt(6.0 / (8 + 1));
        assertTrue(dense.amaxNumber().doubleValue() <= dLimit);
        assertEquals(0.0, p.get("2_b").getDouble(0), 0.0);
    }

    @Test
    void gruAndSimpleRnnSpecsUseGlorotAndOrthogonal() {
        MultiLayerNetwork gru = ModelFactory.network(ModelFactoryTest.spec("gru"), 500);
        INDArray rw = gru.paramTable().get("1_RW").castTo(DataType.DOUBLE);
        assertArrayEquals(new long[] {8, 24}, rw.shape());
        assertTrue(rw.mmul(rw.transpose()).sub(Nd4j.eye(8).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-5);
        assertEquals(0.0, gru.paramTable().get("1_b").amaxNumber().doubleValue(), 0.0);
        assertEquals(0.0, gru.paramTable().get("1_rb").amaxNumber().doubleValue(), 0.0);

        MultiLayerNetwork rnn = ModelFactory.network(ModelFactoryTest.spec("simplernn-onehot"), 500);
        INDArray w = rnn.paramTable().get("0_W");
        assertArrayEquals(new long[] {500, 8}, w.shape());
        assertTrue(w.amaxNumber().doubleValue() <= Math.sqrt(6.0 / 508) + 1e-7);
        INDArray srw = rnn.paramTable().get("0_RW").castTo(DataType.DOUBLE);
        assertTrue(srw.mmul(srw.transpose()).sub(Nd4j.eye(8).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-5);
    }

    @Test
    void seedMakesInitializationReproducible() {
        ModelSpec s = ModelFactoryTest.spec("gru");
        assertEquals(ModelFactory.network(s, 500).params(), ModelFactory.network(s, 500).params());
        ModelSpec other = ModelSpec.Builder.from(s).optSeed(s.seed() + 1).build();
        assertNotEquals(ModelFactory.network(s, 500).params(), ModelFactory.network(other, 500).params());
    }
}
