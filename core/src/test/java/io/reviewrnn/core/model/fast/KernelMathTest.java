package io.reviewrnn.core.model.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The row activations used at inference against {@link Math}: the float rational form to float rounding over the
 * whole range (saturating at +-1 and 0/1, NaN stays NaN), the double form bit for bit what the kernels' scalar
 * sigmoid and tanh compute.
 */
class KernelMathTest {

    @Test
    void floatRowsMatchMathToFloatRounding() {
        int n = 2_000_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -25f + 50f * i / (n - 1);
        }
        float[] t = new float[n];
        float[] sg = new float[n];
        KernelMath.tanhRow(x, t, 0, n);
        KernelMath.sigmoidRow(x, sg, 0, n);
        double tanhErr = 0;
        double sigErr = 0;
        for (int i = 0; i < n; i++) {
            tanhErr = Math.max(tanhErr, Math.abs(t[i] - Math.tanh(x[i])));
            sigErr = Math.max(sigErr, Math.abs(sg[i] - 1 / (1 + Math.exp(-x[i]))));
        }
        assertTrue(tanhErr < 4e-7, "tanh max error " + tanhErr);
        assertTrue(sigErr < 3e-7, "sigmoid max error " + sigErr);

        float[] edge = {Float.NEGATIVE_INFINITY, -1e30f, 1e30f, Float.POSITIVE_INFINITY, Float.NaN, 0f};
        float[] te = new float[edge.length];
        float[] se = new float[edge.length];
        KernelMath.tanhRow(edge, te, 0, edge.length);
        KernelMath.sigmoidRow(edge, se, 0, edge.length);
        assertEquals(-1f, te[0], 1e-7f);
        assertEquals(-1f, te[1], 1e-7f);
        assertEquals(1f, te[2], 1e-7f);
        assertEquals(1f, te[3], 1e-7f);
        assertTrue(Float.isNaN(te[4]) && Float.isNaN(se[4]), "NaN in, NaN out");
        assertEquals(0f, te[5]);
        assertEquals(0f, se[0], 1e-7f);
        assertEquals(1f, se[3], 1e-7f);
        assertEquals(0.5f, se[5]);
    }

    @Test
    void rowsWorkOnTheirRangeOnlyAndInPlace() {
        float[] v = {5f, 0.3f, -0.7f, 9f};
        KernelMath.tanhRow(v, v, 1, 3);
        assertEquals(5f, v[0]);
        assertEquals(Math.tanh(0.3), v[1], 4e-7);
        assertEquals(Math.tanh(-0.7), v[2], 4e-7);
        assertEquals(9f, v[3]);
    }

    @Test
    void doubleRowsAreTheExactForms() {
        double[] x = new double[4001];
        for (int i = 0; i < x.length; i++) {
            x[i] = -40 + 80.0 * i / (x.length - 1);
        }
        double[] t = new double[x.length];
        double[] sg = new double[x.length];
        KernelMath.tanhRow(x, t, 0, x.length);
        KernelMath.sigmoidRow(x, sg, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.tanh(x[i]), t[i], 1e-15, "tanh " + x[i]);
            assertEquals(1 / (1 + Math.exp(-x[i])), sg[i], 1e-15, "sigmoid " + x[i]);
        }
    }
}
