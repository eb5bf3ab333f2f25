package io.reviewrnn.core.model;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.model.layers.KerasGlorotUniform;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * Turns a {@link ModelSpec} into a DL4J network. Contract shared with the train and score jobs:
 * <ul>
 * <li>features: {@code [mb, maxlen]} float token ids in {@code [0, numWords)}, 0 = padding, left-padded; any
 * {@code maxlen} works (the embedding infers it; no masks, as in the Keras exercise);</li>
 * <li>labels: {@code [mb, 1]} in {0, 1}; output: {@code [mb, 1]} sigmoid probability; loss: binary cross-entropy
 * ({@code XENT}).</li>
 * </ul>
 * The input and recurrent layers come from the {@link LayerImplementation} selected by {@code spec.impl()}; this
 * class adds Dense(1, sigmoid) (glorot-uniform kernel, zero bias), the optimizer and the seed. The configuration is
 * plain DL4J (JSON and Java serializable), so it trains under Spark parameter averaging. Thread-safe.
 */
public final class ModelFactory {

    private ModelFactory() {
    }

    /** The network configuration in single precision, the training default. */
    public static MultiLayerConfiguration configuration(ModelSpec spec, int numWords) {
        return configuration(spec, numWords, DataType.FLOAT);
    }

    /** The network configuration with the given floating-point type (DOUBLE for gradient checks). */
    public static MultiLayerConfiguration configuration(ModelSpec spec, int numWords, DataType dataType) {
        if (numWords <= 0) {
            throw new ConfigException("num_words", numWords, "must be > 0");
        }
        LayerImplementation impl = implementation(spec.impl());
        impl.check(spec);
        LayerStack stack = impl.layers(spec, numWords);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(dataType)
                .updater(updater(spec.optimizer()))
                .weightInit(new KerasGlorotUniform())
                .biasInit(0.0)
                .list();
        int index = 0;
        for (Layer layer : stack.layers()) {
            list.layer(index++, layer);
        }
        stack.preProcessors().forEach(list::inputPreProcessor);
        list.layer(index, new OutputLayer.Builder(new TallyingBinaryXent())
                .nIn(spec.units())
                .nOut(1)
                .activation(Activation.SIGMOID)
                .weightInit(new KerasGlorotUniform())
                .biasInit(0.0)
                .build());
        return list.build();
    }

    /** An initialized network (single precision) for {@code spec}. */
    public static MultiLayerNetwork network(ModelSpec spec, int numWords) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec, numWords));
        net.init();
        return net;
    }

    /** Number of parameters of the network for {@code spec}, without allocating it. */
    public static long numParams(ModelSpec spec, int numWords) {
        return numParams(configuration(spec, numWords));
    }

    /** Number of parameters of a configuration, without allocating it. */
    public static long numParams(MultiLayerConfiguration conf) {
        long n = 0;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            n += c.getLayer().initializer().numParams(c);
        }
        return n;
    }

    /** The DL4J updater for an optimizer spec (ND4J's RMSprop starts its accumulator at epsilon, Keras at 0). */
    public static IUpdater updater(ModelSpec.Optimizer o) {
        return switch (o.type()) {
            case RMSPROP -> new RmsProp(o.learningRate(), o.rho(), o.epsilon());
            case ADAM -> new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon());
        };
    }

    /** The layer implementation for {@code impl}. */
    public static LayerImplementation implementation(ModelSpec.Impl impl) {
        return switch (impl) {
            case REFERENCE -> new ReferenceLayers();
            case FAST -> new FastLayers();
        };
    }
}
