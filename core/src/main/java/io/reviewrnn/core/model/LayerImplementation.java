package io.reviewrnn.core.model;

/**
 * Builds the input and recurrent layers of a {@link ModelSpec} for one value of {@code impl}; {@link ModelFactory}
 * adds the Dense(1, sigmoid) output, the optimizer and the seed. {@link ReferenceLayers} is built in; other
 * implementations (the fast layers of issue 9) register through {@link java.util.ServiceLoader}: implement this
 * interface with a public no-arg constructor and list the class in
 * {@code META-INF/services/io.reviewrnn.core.model.LayerImplementation}.
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
}
