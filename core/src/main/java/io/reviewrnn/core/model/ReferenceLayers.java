package io.reviewrnn.core.model;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.model.layers.DeepCloneLastTimeStep;
import io.reviewrnn.core.model.layers.KerasGlorotUniform;
import io.reviewrnn.core.model.layers.KerasOrthogonal;
import io.reviewrnn.core.model.layers.OneHotPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;

/**
 * {@code impl: reference}: stock DL4J layers ({@code EmbeddingSequenceLayer}, {@code SimpleRnn}, {@code LSTM},
 * {@code LastTimeStep}, as {@link DeepCloneLastTimeStep}) plus the reference
 * {@link io.reviewrnn.core.model.layers.Gru}, each kind's layer builder named by its {@link ModelSpec.Kind} entry,
 * initialized as Keras does:
 * <ul>
 * <li>Embedding: U(-0.05, 0.05), no bias; one-hot input: {@link OneHotPreProcessor}, expanded per minibatch.</li>
 * <li>Input kernels: {@link KerasGlorotUniform}; recurrent kernels: {@link KerasOrthogonal}; biases 0; LSTM forget
 * gate bias 1 (Keras {@code unit_forget_bias}).</li>
 * <li>Activations: tanh, gates sigmoid (TF2 Keras defaults; Keras 1/2.0 used hard_sigmoid gates).</li>
 * <li>Keras {@code dropout=p}: DL4J {@link SpatialDropout} with retain probability {@code 1 - p} on each
 * recurrent layer's input {@code [mb, features, T]}: one inverted-dropout mask per sample and feature, reused at
 * every time step, as Keras does.</li>
 * </ul>
 * {@code recurrent_dropout > 0} is refused: no stock DL4J recurrent layer can drop recurrent connections.
 * Stateless and thread-safe.
 */
public final class ReferenceLayers implements LayerImplementation {

    @Override
    public ModelSpec.Impl impl() {
        return ModelSpec.Impl.REFERENCE;
    }

    @Override
    public void check(ModelSpec spec) {
        if (!spec.kind().hasReferenceLayer()) {
            throw new ConfigException("model.impl", "reference", "has no layer for kind '" + spec.kind().key()
                    + "' (use impl: fast)");
        }
        if (spec.recurrentDropout() > 0) {
            throw new ConfigException("model.recurrent_dropout", spec.recurrentDropout(),
                    "must be 0 with impl 'reference' (stock DL4J recurrent layers have no recurrent dropout)");
        }
    }

    @Override
    public LayerStack layers(ModelSpec spec, int numWords) {
        check(spec);
        LayerStack stack = new LayerStack();
        if (spec.input().type() == ModelSpec.Input.Type.EMBEDDING) {
            stack.add(embedding(numWords, spec.input().dim()));
        }
        for (int i = 0; i < spec.layers(); i++) {
            int nIn = i == 0 ? spec.recurrentInputSize(numWords) : spec.units();
            Layer layer = recurrent(spec, nIn);
            if (i == spec.layers() - 1) {
                layer = new DeepCloneLastTimeStep(layer);
            }
            if (i == 0 && spec.input().type() == ModelSpec.Input.Type.ONE_HOT) {
                stack.add(layer, new OneHotPreProcessor(numWords));
            } else {
                stack.add(layer);
            }
        }
        return stack;
    }

    /**
     * Keras {@code Embedding(numWords, dim)}: no bias, U(-0.05, 0.05), input {@code [mb, T]} ids of any length,
     * output NCW {@code [mb, dim, T]}. Public so that other implementations can share the input layer.
     */
    public static EmbeddingSequenceLayer embedding(int numWords, int dim) {
        return new EmbeddingSequenceLayer.Builder()
                .nIn(numWords)
                .nOut(dim)
                .hasBias(false)
                .inferInputLength(true)
                .outputDataFormat(RNNFormat.NCW)
                .activation(Activation.IDENTITY)
                .weightInit(LayerImplementation.kerasEmbeddingInit())
                .build();
    }

    private static BaseRecurrentLayer recurrent(ModelSpec spec, int nIn) {
        BaseRecurrentLayer.Builder<?> b = spec.kind().referenceLayer();
        b.nIn(nIn).nOut(spec.units())
                .activation(Activation.TANH)
                .weightInit(new KerasGlorotUniform())
                .weightInitRecurrent(new KerasOrthogonal())
                .biasInit(0.0)
                .dataFormat(RNNFormat.NCW);
        if (spec.dropout() > 0) {
            b.dropOut(new SpatialDropout(spec.inputRetainProbability()));
        }
        return (BaseRecurrentLayer) b.build();
    }
}
