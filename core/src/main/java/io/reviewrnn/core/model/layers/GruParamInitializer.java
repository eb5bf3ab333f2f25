package io.reviewrnn.core.model.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The GRU parameter layout, shared by the reference {@link GruLayer} and the fast GRU (issue 9); do not change it.
 * In the flattened parameter vector, in this order: {@code W [nIn, 3u]}, {@code RW [u, 3u]}, {@code b [1, 3u]}
 * (input bias), {@code rb [1, 3u]} (recurrent bias); matrices are stored column-major ('f'), like DL4J's LSTM and
 * SimpleRnn. Along the 3u axis the gate blocks are PyTorch's (r, z, n), so PyTorch's {@code weight_ih_l0} is
 * {@code W}ᵀ, {@code weight_hh_l0} is {@code RW}ᵀ, {@code bias_ih_l0} is {@code b} and {@code bias_hh_l0} is
 * {@code rb}. Initialization: {@code W} by the layer's weight init, {@code RW} by its recurrent weight init,
 * biases to the layer's bias init. Works for any {@link BaseRecurrentLayer} config, so other GRU implementations
 * can reuse it. Stateless singleton.
 */
public final class GruParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String BIAS_KEY = "b";
    public static final String RECURRENT_BIAS_KEY = "rb";
    /** Gate blocks along the 3u axis, in order. */
    public static final int GATE_R = 0;
    public static final int GATE_Z = 1;
    public static final int GATE_N = 2;

    private static final GruParamInitializer INSTANCE = new GruParamInitializer();

    private GruParamInitializer() {
    }

    public static GruParamInitializer getInstance() {
        return INSTANCE;
    }

    /** Parameters of a GRU with {@code nIn} inputs and {@code units} units: 3u(nIn + u + 2). */
    public static long numParams(long nIn, long units) {
        return 3 * units * (nIn + units + 2);
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        BaseRecurrentLayer c = (BaseRecurrentLayer) layer;
        return numParams(c.getNIn(), c.getNOut());
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY, RECURRENT_BIAS_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS_KEY, RECURRENT_BIAS_KEY);
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
        BaseRecurrentLayer c = (BaseRecurrentLayer) conf.getLayer();
        long nIn = c.getNIn();
        long units = c.getNOut();
        if (paramsView.length() != numParams(nIn, units)) {
            throw new IllegalStateException("GRU params view has length " + paramsView.length() + ", expected "
                    + numParams(nIn, units) + " for nIn=" + nIn + ", units=" + units);
        }
        Map<String, INDArray> m = subsets(paramsView, nIn, units);
        if (initializeParams) {
            IWeightInit rwInit = c.getWeightInitFnRecurrent() != null ? c.getWeightInitFnRecurrent() : c.getWeightInitFn();
            c.getWeightInitFn().init(nIn, 3 * units, new long[] {nIn, 3 * units}, 'f', paramsView.get(
                    interval(0, 0, true), interval(0, nIn * 3 * units)));
            rwInit.init(units, 3 * units, new long[] {units, 3 * units}, 'f', paramsView.get(
                    interval(0, 0, true), interval(nIn * 3 * units, (nIn + units) * 3 * units)));
            m.get(BIAS_KEY).assign(c.getBiasInit());
            m.get(RECURRENT_BIAS_KEY).assign(c.getBiasInit());
        }
        for (String key : paramKeys(c)) {
            conf.addVariable(key);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        BaseRecurrentLayer c = (BaseRecurrentLayer) conf.getLayer();
        return subsets(gradientView, c.getNIn(), c.getNOut());
    }

    private static Map<String, INDArray> subsets(INDArray flat, long nIn, long units) {
        long g = 3 * units;
        long wEnd = nIn * g;
        long rwEnd = wEnd + units * g;
        long bEnd = rwEnd + g;
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(WEIGHT_KEY, flat.get(interval(0, 0, true), interval(0, wEnd)).reshape('f', nIn, g));
        m.put(RECURRENT_WEIGHT_KEY, flat.get(interval(0, 0, true), interval(wEnd, rwEnd)).reshape('f', units, g));
        m.put(BIAS_KEY, flat.get(interval(0, 0, true), interval(rwEnd, bEnd)));
        m.put(RECURRENT_BIAS_KEY, flat.get(interval(0, 0, true), interval(bEnd, bEnd + g)));
        return m;
    }
}
