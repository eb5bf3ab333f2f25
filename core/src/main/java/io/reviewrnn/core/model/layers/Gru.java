package io.reviewrnn.core.model.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a GRU layer for {@code MultiLayerNetwork} (DL4J 1.0.0-M2 has none): the Keras
 * {@code reset_after=True} / PyTorch {@code nn.GRU} cell, with PyTorch's sigmoid gates and tanh candidate
 * (the layer's activation setting is not used):
 * <pre>
 * r = σ(x W_r + b_r + h RW_r + rb_r)      z = σ(x W_z + b_z + h RW_z + rb_z)
 * n = tanh(x W_n + b_n + r ⊙ (h RW_n + rb_n))      h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Parameters ({@link GruParamInitializer}, a fixed layout shared with the fast GRU): {@code W [nIn, 3u]},
 * {@code RW [u, 3u]}, {@code b [1, 3u]}, {@code rb [1, 3u]}, gate blocks (r, z, n) along the 3u axis; 3u(nIn + u + 2)
 * in all (624 for GRU(8) on 16 inputs, as Keras). Input {@code [mb, nIn, T]} (NCW) or {@code [mb, T, nIn]} (NWC),
 * output the full sequence of hidden states; wrap in {@code LastTimeStep} for the last step. Input dropout
 * ({@code dropOut(...)}) works as on any DL4J layer; there is no recurrent dropout. The runtime layer is
 * {@link GruLayer}. Serializable to DL4J JSON and by Java serialization.
 */
public class Gru extends BaseRecurrentLayer {
    private static final long serialVersionUID = 1L;

    protected Gru(Builder builder) {
        super(builder);
    }

    /** For JSON and Java deserialization. */
    protected Gru() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("Gru", getLayerName(), layerIndex, getNIn(), getNOut());
        GruLayer layer = new GruLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GruParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterStateSize = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        long t = inputType instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() > 0
                ? r.getTimeSeriesLength() : 1;
        // Per example: output [u, T]; training keeps r, z, n, h RW_n and the previous state per step (5u * T).
        return new LayerMemoryReport.Builder(layerName, Gru.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(0, 0, 0, 5L * nOut * t)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Builder: {@code new Gru.Builder().nIn(16).nOut(8).build()}. Defaults: Keras initializers, zero biases. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        public Builder() {
            this.activationFn = Activation.TANH.getActivationFunction();
            this.weightInitFn = new KerasGlorotUniform();
            this.weightInitFnRecurrent = new KerasOrthogonal();
            this.biasInit = 0.0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Gru build() {
            return new Gru(this);
        }
    }
}
