package io.reviewrnn.core.model.fast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameter layout of the fast recurrent layers inside DL4J's flattened parameter (and gradient) vector:
 * {@code W} ('f' order {@code [nIn, G*u]}), {@code RW} ('f' {@code [u, G*u]}), {@code b} ({@code [1, G*u]}) and, for
 * the GRU, {@code rb} ({@code [1, G*u]}), in that order. This is the layout of DL4J's stock {@code LSTM} and
 * {@code SimpleRnn}. Stateless singleton.
 */
public final class FastRecurrentParamInitializer implements ParamInitializer {
    public static final String WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String BIAS_KEY = "b";
    public static final String RECURRENT_BIAS_KEY = "rb";

    private static final FastRecurrentParamInitializer INSTANCE = new FastRecurrentParamInitializer();
    private static final List<String> KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    private static final List<String> KEYS_RB = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY,
            RECURRENT_BIAS_KEY);
    private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    private static final List<String> BIAS_KEYS = List.of(BIAS_KEY);
    private static final List<String> BIAS_KEYS_RB = List.of(BIAS_KEY, RECURRENT_BIAS_KEY);

    private FastRecurrentParamInitializer() {
    }

    public static FastRecurrentParamInitializer getInstance() {
        return INSTANCE;
    }

    private static AbstractFastRecurrent conf(Layer layer) {
        return (AbstractFastRecurrent) layer;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        AbstractFastRecurrent c = conf(layer);
        long gu = c.gates() * c.getNOut();
        return c.getNIn() * gu + c.getNOut() * gu + gu + (c.hasRecurrentBias() ? gu : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return conf(layer).hasRecurrentBias() ? KEYS_RB : KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return WEIGHT_KEYS;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return conf(layer).hasRecurrentBias() ? BIAS_KEYS_RB : BIAS_KEYS;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key) || RECURRENT_WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key) || RECURRENT_BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        AbstractFastRecurrent c = conf(conf.getLayer());
        checkLength(c, paramsView);
        Map<String, INDArray> views = views(c, paramsView);
        for (String key : paramKeys(c)) {
            conf.addVariable(key);
        }
        if (initializeParams) {
            long nIn = c.getNIn();
            long units = c.getNOut();
            long gu = c.gates() * units;
            // Keras glorot_uniform: fan_in = nIn, fan_out = gates * units.
            views.put(WEIGHT_KEY, c.getWeightInitFn().init(nIn, gu, new long[] {nIn, gu}, 'f',
                    views.get(WEIGHT_KEY)));
            INDArray rw = views.get(RECURRENT_WEIGHT_KEY);
            IWeightInit rwInit = c.getWeightInitRecurrent();
            if (rwInit != null) {
                views.put(RECURRENT_WEIGHT_KEY, rwInit.init(units, gu, new long[] {units, gu}, 'f', rw));
            } else {
                orthogonal(rw, Nd4j.getRandom());
            }
            INDArray b = views.get(BIAS_KEY);
            for (int g = 0; g < gu; g++) {
                b.putScalar(0, g, c.initialBias(g));
            }
            if (c.hasRecurrentBias()) {
                views.get(RECURRENT_BIAS_KEY).assign(0);
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        AbstractFastRecurrent c = conf(conf.getLayer());
        checkLength(c, gradientView);
        return views(c, gradientView);
    }

    private void checkLength(AbstractFastRecurrent c, INDArray view) {
        long expected = numParams(c);
        if (view.length() != expected) {
            throw new IllegalStateException(c.getClass().getSimpleName() + ": expected a parameter view of length "
                    + expected + ", got " + view.length());
        }
    }

    private static Map<String, INDArray> views(AbstractFastRecurrent c, INDArray flat) {
        long nIn = c.getNIn();
        long units = c.getNOut();
        long gu = c.gates() * units;
        INDArray row = flat.rank() == 2 && flat.size(0) == 1 ? flat : flat.reshape(1, flat.length());
        long p = 0;
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
        out.put(WEIGHT_KEY, row.get(NDArrayIndex.point(0), NDArrayIndex.interval(p, p + nIn * gu))
                .reshape('f', nIn, gu));
        p += nIn * gu;
        out.put(RECURRENT_WEIGHT_KEY, row.get(NDArrayIndex.point(0), NDArrayIndex.interval(p, p + units * gu))
                .reshape('f', units, gu));
        p += units * gu;
        out.put(BIAS_KEY, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(p, p + gu)));
        p += gu;
        if (c.hasRecurrentBias()) {
            out.put(RECURRENT_BIAS_KEY, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(p, p + gu)));
        }
        return out;
    }

    /**
     * Keras {@code Orthogonal} for a {@code [rows, cols]} kernel: QR of a standard-normal {@code [max, min]} matrix with
     * the signs of R's diagonal folded into Q (Gram-Schmidt gives exactly that), transposed when rows < cols.
     */
    static void orthogonal(INDArray target, Random rng) {
        int rows = (int) target.size(0);
        int cols = (int) target.size(1);
        int n = Math.max(rows, cols);
        int m = Math.min(rows, cols);
        double[][] q = new double[m][n]; // m orthonormal column vectors of length n
        // One op-based draw (like DL4J's own initializers), so the network seed fixes it.
        INDArray normal = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(
                Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.DOUBLE, m, n), 0.0, 1.0), rng);
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                q[j][i] = normal.getDouble(j, i);
            }
        }
        for (int j = 0; j < m; j++) {
            for (int pass = 0; pass < 2; pass++) { // re-orthogonalize once for accuracy
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += q[j][i] * q[p][i];
                    }
                    for (int i = 0; i < n; i++) {
                        q[j][i] -= dot * q[p][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[j][i] /= norm;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // Q is [n, m]; the kernel is Q when rows >= cols, else Q^T.
                double v = rows >= cols ? q[c][r] : q[r][c];
                target.putScalar(r, c, v);
            }
        }
    }
}
