package io.reviewrnn.core.model.fast;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Embedding of token ids {@code [mb, T]} or {@code [mb, 1, T]} into a sequence {@code [mb, nOut, T]} ('f' order),
 * like DL4J's {@code EmbeddingSequenceLayer} without bias and with the same single parameter {@code W [nIn, nOut]}
 * (so parameter vectors map 1:1), but with the lookup and the gradient scatter-add as plain Java loops: ND4J's
 * {@code pullRows}/{@code scatterUpdate} cost about as much as a whole fast LSTM(8) step. Keras default
 * initialization: uniform(-0.05, 0.05). No feature masks, no DL4J dropout. Immutable after build.
 */
public final class FastEmbedding extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;

    private FastEmbedding() {
        // for Jackson
    }

    private FastEmbedding(Builder b) {
        super(b);
        if (nIn <= 0 || nOut <= 0) {
            throw new IllegalArgumentException("FastEmbedding needs nIn (vocabulary size) and nOut (dimension) > 0, "
                    + "was nIn=" + nIn + ", nOut=" + nOut);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        FastEmbeddingLayer layer = new FastEmbeddingLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return ParamInit.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long length = -1;
        if (inputType instanceof InputType.InputTypeRecurrent) {
            length = ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength();
        }
        return InputType.recurrent(nOut, length);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // nIn is the vocabulary size, never inferred from the input type.
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = nIn * nOut;
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(params, params).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    /** Builder; {@code nIn} (vocabulary size) and {@code nOut} (dimension) are required. */
    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        public Builder() {
            this.weightInitFn = new WeightInitDistribution(new UniformDistribution(-0.05, 0.05));
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastEmbedding build() {
            return new FastEmbedding(this);
        }
    }

    /** One parameter, {@code W} ('f' order {@code [nIn, nOut]}), as DL4J's embedding layers without bias. */
    static final class ParamInit implements ParamInitializer {
        static final ParamInit INSTANCE = new ParamInit();
        static final String WEIGHT_KEY = "W";

        @Override
        public long numParams(NeuralNetConfiguration conf) {
            return numParams(conf.getLayer());
        }

        @Override
        public long numParams(org.deeplearning4j.nn.conf.layers.Layer layer) {
            FeedForwardLayer l = (FeedForwardLayer) layer;
            return l.getNIn() * l.getNOut();
        }

        @Override
        public List<String> paramKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of(WEIGHT_KEY);
        }

        @Override
        public List<String> weightKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of(WEIGHT_KEY);
        }

        @Override
        public List<String> biasKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of();
        }

        @Override
        public boolean isWeightParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return WEIGHT_KEY.equals(key);
        }

        @Override
        public boolean isBiasParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return false;
        }

        @Override
        public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initialize) {
            FeedForwardLayer l = (FeedForwardLayer) conf.getLayer();
            conf.addVariable(WEIGHT_KEY);
            INDArray w = view(l, paramsView);
            if (initialize) {
                w = l.getWeightInitFn().init(l.getNIn(), l.getNOut(), new long[] {l.getNIn(), l.getNOut()}, 'f', w);
            }
            Map<String, INDArray> out = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
            out.put(WEIGHT_KEY, w);
            return out;
        }

        @Override
        public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
            Map<String, INDArray> out = new java.util.LinkedHashMap<>();
            out.put(WEIGHT_KEY, view((FeedForwardLayer) conf.getLayer(), gradientView));
            return out;
        }

        private static INDArray view(FeedForwardLayer l, INDArray flat) {
            long n = l.getNIn() * l.getNOut();
            if (flat.length() != n) {
                throw new IllegalStateException("FastEmbedding: expected a parameter view of length " + n + ", got "
                        + flat.length());
            }
            INDArray row = flat.rank() == 2 && flat.size(0) == 1 ? flat : flat.reshape(1, n);
            return row.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, n)).reshape('f', l.getNIn(), l.getNOut());
        }
    }
}
