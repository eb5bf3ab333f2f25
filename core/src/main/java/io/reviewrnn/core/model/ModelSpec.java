package io.reviewrnn.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.model.fast.AbstractFastRecurrent;
import io.reviewrnn.core.model.fast.FastGru;
import io.reviewrnn.core.model.fast.FastLstm;
import io.reviewrnn.core.model.fast.FastSimpleRnn;
import io.reviewrnn.core.model.layers.Gru;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.Activation;

/**
 * A recurrent sentiment classifier, as in the reference Keras exercise: token ids, then one-hot or embedding
 * input, then {@code layers} stacked recurrent layers of {@code units} each (all but the last return sequences),
 * then Dense(1, sigmoid) trained with binary cross-entropy. Loaded from YAML ({@code conf/models/*.yaml}, keys
 * documented in {@code conf/models/README.md}); every invalid value raises a {@link ConfigException} naming the
 * key, e.g. {@code model.units must be > 0, was 0}. {@code dropout} and {@code recurrent_dropout} are Keras
 * fractions DROPPED. Immutable and thread-safe.
 */
@JsonPropertyOrder({"name", "kind", "input", "units", "layers", "dropout", "recurrent_dropout", "optimizer", "seed",
        "impl"})
public record ModelSpec(
        @JsonProperty("name") String name,
        @JsonProperty("kind") Kind kind,
        @JsonProperty("input") Input input,
        @JsonProperty("units") int units,
        @JsonProperty("layers") int layers,
        @JsonProperty("dropout") double dropout,
        @JsonProperty("recurrent_dropout") double recurrentDropout,
        @JsonProperty("optimizer") Optimizer optimizer,
        @JsonProperty("seed") long seed,
        @JsonProperty("impl") Impl impl) implements Serializable {

    /** The shared strict mapper, writing unquoted strings like the files in conf/models. */
    private static final ObjectMapper YAML_WRITER = yamlWriter();

    /** Seed used when a spec names none. */
    public static final long DEFAULT_SEED = 42L;

    public ModelSpec {
        if (name == null || name.isBlank()) {
            throw new ConfigException("model.name", name, "must be a non-empty string");
        }
        if (kind == null) {
            throw new ConfigException("model.kind", null, "must be one of " + Kind.keys());
        }
        if (input == null) {
            throw new ConfigException("model.input", null, "must be given ({type: one_hot} or {type: embedding, dim: N})");
        }
        if (units <= 0) {
            throw new ConfigException("model.units", units, "must be > 0");
        }
        if (layers <= 0) {
            throw new ConfigException("model.layers", layers, "must be > 0");
        }
        checkFraction("model.dropout", dropout);
        checkFraction("model.recurrent_dropout", recurrentDropout);
        if (optimizer == null) {
            optimizer = Optimizer.defaults(Optimizer.Type.RMSPROP);
        }
        if (impl == null) {
            impl = Impl.FAST;
        }
    }

    /** YAML entry point: absent optional keys take their defaults; enum keys are parsed with the key in errors. */
    @JsonCreator
    static ModelSpec fromYaml(
            @JsonProperty("name") String name,
            @JsonProperty("kind") String kind,
            @JsonProperty("input") Input input,
            @JsonProperty("units") Integer units,
            @JsonProperty("layers") Integer layers,
            @JsonProperty("dropout") Double dropout,
            @JsonProperty("recurrent_dropout") Double recurrentDropout,
            @JsonProperty("optimizer") Optimizer optimizer,
            @JsonProperty("seed") Long seed,
            @JsonProperty("impl") String impl) {
        return builder().setName(name).setKind(parse(Kind.class, "model.kind", kind, true)).setInput(input)
                .setUnits(units).optLayers(layers).optDropout(dropout).optRecurrentDropout(recurrentDropout)
                .optOptimizer(optimizer).optSeed(seed).optImpl(parse(Impl.class, "model.impl", impl, false)).build();
    }

    /** A builder: {@code setX} for the required keys, {@code optX} for the rest; {@link Builder#build} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a spec in code, DJL style: {@code setName}, {@code setKind}, {@code setInput} and {@code setUnits} are
     * required; every {@code optX} may be left out (or given null) for the default a spec file gets: one layer, no
     * dropout, RMSprop with Keras' defaults, seed {@value ModelSpec#DEFAULT_SEED}, {@code impl: fast}.
     * {@link #build} runs the same validation as a spec file, so a missing or bad value fails with a
     * {@link ConfigException} naming its key.
     */
    public static final class Builder {
        private String name;
        private Kind kind;
        private Input input;
        private Integer units;
        private Integer layers;
        private Double dropout;
        private Double recurrentDropout;
        private Optimizer optimizer;
        private Long seed;
        private Impl impl;

        private Builder() {
        }

        /** A builder holding every value of {@code spec}. */
        public static Builder from(ModelSpec spec) {
            return new Builder().setName(spec.name).setKind(spec.kind).setInput(spec.input).setUnits(spec.units)
                    .optLayers(spec.layers).optDropout(spec.dropout).optRecurrentDropout(spec.recurrentDropout)
                    .optOptimizer(spec.optimizer).optSeed(spec.seed).optImpl(spec.impl);
        }

        /** {@code name}. */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /** {@code kind}. */
        public Builder setKind(Kind kind) {
            this.kind = kind;
            return this;
        }

        /** {@code input}. */
        public Builder setInput(Input input) {
            this.input = input;
            return this;
        }

        /** {@code units}. */
        public Builder setUnits(Integer units) {
            this.units = units;
            return this;
        }

        /** {@code layers} (default 1). */
        public Builder optLayers(Integer layers) {
            this.layers = layers;
            return this;
        }

        /** {@code dropout} (default 0). */
        public Builder optDropout(Double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** {@code recurrent_dropout} (default 0). */
        public Builder optRecurrentDropout(Double recurrentDropout) {
            this.recurrentDropout = recurrentDropout;
            return this;
        }

        /** {@code optimizer} (default RMSprop with Keras' defaults). */
        public Builder optOptimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** {@code seed} (default {@value ModelSpec#DEFAULT_SEED}). */
        public Builder optSeed(Long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code impl} (default fast). */
        public Builder optImpl(Impl impl) {
            this.impl = impl;
            return this;
        }

        public ModelSpec build() {
            if (units == null) {
                throw new ConfigException("model.units", null, "must be given");
            }
            return new ModelSpec(name, kind, input, units, layers == null ? 1 : layers,
                    dropout == null ? 0.0 : dropout, recurrentDropout == null ? 0.0 : recurrentDropout, optimizer,
                    seed == null ? DEFAULT_SEED : seed, impl);
        }
    }

    /** Loads and validates a spec file; {@code sourceName} names it in error messages. */
    public static ModelSpec load(InputStream in, String sourceName) {
        return Yaml.read(in, ModelSpec.class, sourceName);
    }

    /** Loads and validates a spec file from the local file system. */
    public static ModelSpec load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("model spec not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model spec " + file, e);
        }
    }

    /**
     * Loads and validates a spec from any Hadoop FileSystem location ({@code hdfs://...}, {@code file:/...}, or a
     * plain local path). Needs Hadoop on the classpath, as in the jobs.
     */
    public static ModelSpec load(String location) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
        try (InputStream in = p.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(p)) {
            return load(in, location);
        } catch (java.io.FileNotFoundException e) {
            throw new ConfigException("model spec not found: " + location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model spec " + location, e);
        }
    }

    /** The spec as YAML, in the same form {@link #load} reads. */
    public String toYaml() {
        try {
            return YAML_WRITER.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectMapper yamlWriter() {
        ObjectMapper m = Yaml.yaml().copy();
        ((YAMLFactory) m.getFactory()).configure(YAMLGenerator.Feature.MINIMIZE_QUOTES, true);
        return m;
    }

    /** Keras {@code dropout} translated to DL4J's retain probability ({@code 1 - dropout}); 1 means no dropout. */
    @JsonIgnore
    public double inputRetainProbability() {
        return 1.0 - dropout;
    }

    /** Width of the vectors entering the first recurrent layer: {@code numWords} for one-hot, else the embedding dim. */
    public int recurrentInputSize(int numWords) {
        return input.type() == Input.Type.ONE_HOT ? numWords : input.dim();
    }

    private static void checkFraction(String key, double p) {
        if (!(p >= 0.0 && p < 1.0)) {
            throw new ConfigException(key, p, "must be a fraction dropped, 0 <= x < 1");
        }
    }

    /** Case-insensitive lookup of a lower-case enum key; {@code required} decides whether null is an error. */
    static <E extends Enum<E> & Keyed> E parse(Class<E> type, String key, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new ConfigException(key, null, "must be one of " + keys(type));
            }
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.key().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new ConfigException(key, value, "must be one of " + keys(type));
    }

    private static <E extends Enum<E> & Keyed> String keys(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Keyed::key).collect(Collectors.joining(", "));
    }

    /** An enum written in YAML as its lower-case name. */
    interface Keyed {
        @JsonValue
        default String key() {
            return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The recurrent cell, and everything that differs between cells: Keras' name and parameter count, and the
     * builders of one layer of it for each {@link Impl} ({@link ReferenceLayers} and {@link FastLayers} set what
     * all kinds share: sizes, initializers, dropout, which layer returns its sequence). A new kind is an entry here,
     * its whole-sequence layer and kernel in {@code fast/}, and a spec in {@code conf/models}. {@code gru} is the
     * Keras {@code reset_after=True} / PyTorch {@code nn.GRU} form.
     */
    public enum Kind implements Keyed {
        SIMPLE_RNN("SimpleRNN", 1, 1, SimpleRnn.Builder::new, FastSimpleRnn.Builder::new),
        LSTM("LSTM", 4, 1,
                () -> new LSTM.Builder().gateActivationFunction(Activation.SIGMOID).forgetGateBiasInit(1.0),
                () -> new FastLstm.Builder().forgetGateBiasInit(1.0)),
        GRU("GRU", 3, 2, Gru.Builder::new, FastGru.Builder::new);

        private final String kerasName;
        private final int gates;
        private final int biasesPerGate;
        private final Supplier<BaseRecurrentLayer.Builder<?>> reference;
        private final Supplier<AbstractFastRecurrent.Builder<?>> fast;

        /**
         * @param reference a new builder of the layer for {@code impl: reference} (stock DL4J where it has the cell);
         *                  null for a kind with only its fast layer, which {@code impl: reference} then refuses
         * @param fast a new builder of the whole-sequence layer for {@code impl: fast}
         */
        Kind(String kerasName, int gates, int biasesPerGate, Supplier<BaseRecurrentLayer.Builder<?>> reference,
                Supplier<AbstractFastRecurrent.Builder<?>> fast) {
            this.kerasName = kerasName;
            this.gates = gates;
            this.biasesPerGate = biasesPerGate;
            this.reference = reference;
            this.fast = fast;
        }

        /** Keras' name of the layer class ({@code SimpleRNN}, {@code LSTM}, {@code GRU}), for summaries and reports. */
        public String kerasName() {
            return kerasName;
        }

        /**
         * Trainable parameters of one layer with {@code inputWidth} inputs and {@code units} units, as Keras counts
         * them: per gate an input kernel, a recurrent kernel and the biases (two per gate for GRU's
         * {@code reset_after}).
         */
        public long parameters(long inputWidth, long units) {
            return gates * units * (inputWidth + units + biasesPerGate);
        }

        /** Whether {@code impl: reference} can build this kind. */
        public boolean hasReferenceLayer() {
            return reference != null;
        }

        /** A new builder of one layer of this kind for {@code impl: reference}, with the kind's own settings. */
        public BaseRecurrentLayer.Builder<?> referenceLayer() {
            if (reference == null) {
                throw new IllegalStateException(key() + " has no reference layer");
            }
            return reference.get();
        }

        /** A new builder of one whole-sequence layer of this kind for {@code impl: fast}, with its own settings. */
        public AbstractFastRecurrent.Builder<?> fastLayer() {
            return fast.get();
        }

        static String keys() {
            return ModelSpec.keys(Kind.class);
        }
    }

    /**
     * Which layer implementation builds the recurrent stack: {@code fast} (the default: whole-sequence layers, same
     * parameters and results, several times faster) or {@code reference} (stock DL4J layers and the reference GRU,
     * kept for comparison). See {@link LayerImplementation}.
     */
    public enum Impl implements Keyed {
        REFERENCE, FAST
    }

    /** How token ids enter the network: one-hot vectors of {@code numWords}, or an embedding of {@code dim}. */
    @JsonPropertyOrder({"type", "dim"})
    public record Input(@JsonProperty("type") Type type,
            @JsonProperty("dim") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int dim) implements Serializable {

        public Input {
            if (type == null) {
                throw new ConfigException("model.input.type", null, "must be one of " + keys(Type.class));
            }
            if (type == Type.EMBEDDING && dim <= 0) {
                throw new ConfigException("model.input.dim", dim, "must be > 0 for an embedding");
            }
            if (type == Type.ONE_HOT && dim != 0) {
                throw new ConfigException("model.input.dim", dim, "must be absent for one_hot (the width is num_words)");
            }
        }

        @JsonCreator
        static Input fromYaml(@JsonProperty("type") String type, @JsonProperty("dim") Integer dim) {
            return new Input(parse(Type.class, "model.input.type", type, true), dim == null ? 0 : dim);
        }

        public static Input oneHot() {
            return new Input(Type.ONE_HOT, 0);
        }

        public static Input embedding(int dim) {
            return new Input(Type.EMBEDDING, dim);
        }

        /** Input encodings. */
        public enum Type implements Keyed {
            ONE_HOT, EMBEDDING
        }
    }

    /**
     * The optimizer with Keras defaults: RMSprop (lr 1e-3, rho 0.9, epsilon 1e-7; the exercise uses lr 1e-4) or Adam
     * (lr 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7). {@code rho} is RMSprop-only and {@code beta1}/{@code beta2}
     * Adam-only; for the other type they are null and omitted from YAML.
     */
    @JsonPropertyOrder({"type", "learning_rate", "rho", "epsilon", "beta1", "beta2"})
    public record Optimizer(
            @JsonProperty("type") Type type,
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("rho") @JsonInclude(JsonInclude.Include.NON_NULL) Double rho,
            @JsonProperty("epsilon") double epsilon,
            @JsonProperty("beta1") @JsonInclude(JsonInclude.Include.NON_NULL) Double beta1,
            @JsonProperty("beta2") @JsonInclude(JsonInclude.Include.NON_NULL) Double beta2) implements Serializable {

        public static final double KERAS_LEARNING_RATE = 1e-3;
        public static final double KERAS_RHO = 0.9;
        public static final double KERAS_EPSILON = 1e-7;
        public static final double KERAS_BETA1 = 0.9;
        public static final double KERAS_BETA2 = 0.999;

        public Optimizer {
            if (type == null) {
                throw new ConfigException("model.optimizer.type", null, "must be one of " + keys(Type.class));
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new ConfigException("model.optimizer.learning_rate", learningRate, "must be > 0");
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new ConfigException("model.optimizer.epsilon", epsilon, "must be > 0");
            }
            if (type == Type.RMSPROP) {
                checkDecay("model.optimizer.rho", rho);
                beta1 = null;
                beta2 = null;
            } else {
                checkDecay("model.optimizer.beta1", beta1);
                checkDecay("model.optimizer.beta2", beta2);
                rho = null;
            }
        }

        @JsonCreator
        static Optimizer fromYaml(
                @JsonProperty("type") String typeKey,
                @JsonProperty("learning_rate") Double learningRate,
                @JsonProperty("rho") Double rho,
                @JsonProperty("epsilon") Double epsilon,
                @JsonProperty("beta1") Double beta1,
                @JsonProperty("beta2") Double beta2) {
            Type type = parse(Type.class, "model.optimizer.type", typeKey, true);
            if (type == Type.RMSPROP && (beta1 != null || beta2 != null)) {
                throw new ConfigException("model.optimizer." + (beta1 != null ? "beta1" : "beta2"),
                        beta1 != null ? beta1 : beta2, "is only valid for type adam");
            }
            if (type == Type.ADAM && rho != null) {
                throw new ConfigException("model.optimizer.rho", rho, "is only valid for type rmsprop");
            }
            return new Optimizer(type, learningRate == null ? KERAS_LEARNING_RATE : learningRate,
                    rho == null ? KERAS_RHO : rho, epsilon == null ? KERAS_EPSILON : epsilon,
                    beta1 == null ? KERAS_BETA1 : beta1, beta2 == null ? KERAS_BETA2 : beta2);
        }

        /** The Keras defaults of an optimizer type. */
        public static Optimizer defaults(Type type) {
            return new Optimizer(type, KERAS_LEARNING_RATE, KERAS_RHO, KERAS_EPSILON, KERAS_BETA1, KERAS_BETA2);
        }

        /** RMSprop with Keras defaults and the given learning rate. */
        public static Optimizer rmsprop(double learningRate) {
            return new Optimizer(Type.RMSPROP, learningRate, KERAS_RHO, KERAS_EPSILON, null, null);
        }

        /** Adam with Keras defaults and the given learning rate. */
        public static Optimizer adam(double learningRate) {
            return new Optimizer(Type.ADAM, learningRate, null, KERAS_EPSILON, KERAS_BETA1, KERAS_BETA2);
        }

        private static void checkDecay(String key, Double v) {
            if (v == null || !(v >= 0.0 && v < 1.0)) {
                throw new ConfigException(key, v, "must be in [0, 1)");
            }
        }

        /** Optimizer types. */
        public enum Type implements Keyed {
            RMSPROP, ADAM
        }
    }
}
