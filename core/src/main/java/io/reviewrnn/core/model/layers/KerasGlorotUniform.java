package io.reviewrnn.core.model.layers;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras {@code glorot_uniform}: U(-s, s) with s = sqrt(6 / (fan_in + fan_out)), where the fans are taken from the
 * kernel SHAPE ({@code [rows, cols]}) as Keras does, not from the fan arguments DL4J passes. The difference matters
 * for DL4J's LSTM, which passes fanIn = units and fanOut = nIn + units for a {@code [nIn, 4*units]} kernel.
 * Stateless and thread-safe; serializable to DL4J JSON.
 */
public final class KerasGlorotUniform implements IWeightInit {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("glorot_uniform expects a 2-d kernel shape, got " + shape.length + "-d");
        }
        double limit = Math.sqrt(6.0 / (shape[0] + shape[1]));
        Nd4j.rand(paramView, Nd4j.getDistributions().createUniform(-limit, limit));
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasGlorotUniform;
    }

    @Override
    public int hashCode() {
        return KerasGlorotUniform.class.hashCode();
    }

    @Override
    public String toString() {
        return "KerasGlorotUniform";
    }
}
