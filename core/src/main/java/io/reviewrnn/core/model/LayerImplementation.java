package io.reviewrnn.core.model;

import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;

/**
 * Builds the input and recurrent layers of a {@link ModelSpec} for one value of {@code impl}; {@link ModelFactory}
 * adds the Dense(1, sigmoid) output, the optimizer and the seed. The implementations are {@link ReferenceLayers} and
 * {@link FastLayers}; each takes the layer builder of a model kind from its {@link ModelSpec.Kind} entry and adds
 * what every kind shares.
 *
 * <p>Contract: network input is {@code [mb, maxlen]} token ids (0 = padding); the layers built here must end in
 * a layer whose output is {@code [mb, units]} (the last time step of the last recurrent layer). Every layer and
 * preprocessor must be a plain DL4J configuration object that survives DL4J JSON and Java serialization (Spark
 * parameter averaging ships it that way). Implementations are stateless and thread-safe.
 */
public interface LayerImplementation {

    /** The {@code impl} value this implementation serves. */
    ModelSpec.Impl impl();

    /**
     * Validates that this implementation supports {@code spec}; throws a
     * {@link io.reviewrnn.core.base.ConfigException} naming the key otherwise.
     */
    void check(ModelSpec spec);

    /** The input and recurrent layers for {@code spec} with a vocabulary of {@code numWords} ids. */
    LayerStack layers(ModelSpec spec, int numWords);

    /** Keras' default Embedding initializer, U(-0.05, 0.05), which both implementations give their embedding. */
    static IWeightInit kerasEmbeddingInit() {
        return new WeightInitDistribution(new UniformDistribution(-0.05, 0.05));
    }
}
