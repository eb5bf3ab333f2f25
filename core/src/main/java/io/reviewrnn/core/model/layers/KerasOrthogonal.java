package io.reviewrnn.core.model.layers;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras {@code orthogonal} initializer (gain 1), the default for recurrent kernels: a Gaussian matrix of shape
 * {@code [max(r,c), min(r,c)]} is orthonormalized (QR with the signs of R's diagonal made positive, here by
 * Gram-Schmidt, which yields the same Q) and transposed when {@code r < c}. The whole {@code [units, k*units]}
 * recurrent kernel of an LSTM or GRU therefore has orthonormal rows, exactly as in Keras. Random numbers come from
 * ND4J's generator, so the network seed makes it reproducible (not bit-identical to TensorFlow's stream).
 * Stateless and thread-safe; serializable to DL4J JSON. DL4J 1.0.0-M2 has no orthogonal initializer.
 */
public final class KerasOrthogonal implements IWeightInit {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("orthogonal expects a 2-d kernel shape, got " + shape.length + "-d");
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        double[][] q = orthonormalColumns(Math.max(rows, cols), Math.min(rows, cols));
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = rows >= cols ? q[i][j] : q[j][i];
            }
        }
        INDArray view = paramView.reshape(order, shape);
        view.assign(Nd4j.create(out).castTo(paramView.dataType()));
        return view;
    }

    /** A Gaussian [n, k] matrix (n >= k) with orthonormalized columns. */
    private static double[][] orthonormalColumns(int n, int k) {
        double[] g = Nd4j.randn(DataType.DOUBLE, n, k).dup('c').data().asDouble();
        double[][] a = new double[k][n]; // a[j] = column j
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                a[j][i] = g[i * k + j];
            }
        }
        // Modified Gram-Schmidt, twice for numerical orthogonality; keeps diag(R) > 0 like Keras' sign fix.
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < k; j++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += a[j][i] * a[p][i];
                    }
                    for (int i = 0; i < n; i++) {
                        a[j][i] -= dot * a[p][i];
                    }
                }
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += a[j][i] * a[j][i];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < n; i++) {
                    a[j][i] /= norm;
                }
            }
        }
        double[][] q = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                q[i][j] = a[j][i];
            }
        }
        return q;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasOrthogonal;
    }

    @Override
    public int hashCode() {
        return KerasOrthogonal.class.hashCode();
    }

    @Override
    public String toString() {
        return "KerasOrthogonal";
    }
}
