package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.model.fast.AbstractFastRecurrent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ModelSpecTest {

    private static final String LSTM = """
            name: lstm
            kind: lstm
            input: {type: embedding, dim: 16}
            units: 8
            layers: 1
            dropout: 0.3
            recurrent_dropout: 0.0
            optimizer: {type: rmsprop, learning_rate: 1.0e-4, rho: 0.9, epsilon: 1.0e-7}
            seed: 7
            impl: reference
            """;

    static ModelSpec load(String yaml) {
        return ModelSpec.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void loadsEveryKey() {
        ModelSpec s = load(LSTM);
        assertEquals("lstm", s.name());
        assertEquals(ModelSpec.Kind.LSTM, s.kind());
        assertEquals(ModelSpec.Input.embedding(16), s.input());
        assertEquals(8, s.units());
        assertEquals(1, s.layers());
        assertEquals(0.3, s.dropout());
        assertEquals(0.7, s.inputRetainProbability(), 1e-12);
        assertEquals(0.0, s.recurrentDropout());
        assertEquals(ModelSpec.Optimizer.rmsprop(1e-4), s.optimizer());
        assertEquals(7L, s.seed());
        assertEquals(ModelSpec.Impl.REFERENCE, s.impl());
    }

    @Test
    void optionalKeysTakeKerasDefaults() {
        ModelSpec s = load("""
                name: minimal
                kind: gru
                input: {type: one_hot}
                units: 4
                """);
        assertEquals(1, s.layers());
        assertEquals(0.0, s.dropout());
        assertEquals(0.0, s.recurrentDropout());
        assertEquals(ModelSpec.DEFAULT_SEED, s.seed());
        assertEquals(ModelSpec.Impl.FAST, s.impl(), "fast is the default since issue 9");
        ModelSpec.Optimizer o = s.optimizer();
        assertEquals(ModelSpec.Optimizer.Type.RMSPROP, o.type());
        assertEquals(1e-3, o.learningRate());
        assertEquals(0.9, o.rho());
        assertEquals(1e-7, o.epsilon());
        assertNull(o.beta1());
        ModelSpec.Optimizer adam = load("""
                name: a
                kind: lstm
                input: {type: embedding, dim: 4}
                units: 4
                optimizer: {type: adam}
                """).optimizer();
        assertEquals(1e-3, adam.learningRate());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-7, adam.epsilon());
        assertNull(adam.rho());
    }

    @Test
    void yamlRoundTrip() {
        ModelSpec s = load(LSTM);
        assertEquals(s, load(s.toYaml()));
        ModelSpec adam = ModelSpec.builder().setName("x").setKind(ModelSpec.Kind.GRU).setInput(ModelSpec.Input.oneHot())
                .setUnits(3).optLayers(2).optDropout(0.1).optRecurrentDropout(0.2)
                .optOptimizer(ModelSpec.Optimizer.defaults(ModelSpec.Optimizer.Type.ADAM)).optSeed(1L)
                .optImpl(ModelSpec.Impl.FAST).build();
        String yaml = adam.toYaml();
        assertTrue(yaml.contains("kind: gru") && yaml.contains("impl: fast") && yaml.contains("type: one_hot"), yaml);
        assertEquals(adam, load(yaml));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "units: 8|units: 0|model.units must be > 0, was 0",
        "units: 8|units: -3|model.units must be > 0, was -3",
        "layers: 1|layers: 0|model.layers must be > 0, was 0",
        "kind: lstm|kind: rnn|model.kind must be one of simple_rnn, lstm, gru, was 'rnn'",
        "dropout: 0.3|dropout: 1.0|model.dropout must be a fraction dropped, 0 <= x < 1, was 1.0",
        "dropout: 0.3|dropout: -0.1|model.dropout must be a fraction dropped, 0 <= x < 1, was -0.1",
        "recurrent_dropout: 0.0|recurrent_dropout: 1.5|model.recurrent_dropout must be a fraction dropped",
        "name: lstm|name: ''|model.name must be a non-empty string",
        "impl: reference|impl: turbo|model.impl must be one of reference, fast, was 'turbo'",
        "{type: embedding, dim: 16}|{type: embedding}|model.input.dim must be > 0 for an embedding, was 0",
        "{type: embedding, dim: 16}|{type: embedding, dim: -2}|model.input.dim must be > 0 for an embedding, was -2",
        "{type: embedding, dim: 16}|{type: one_hot, dim: 16}|model.input.dim must be absent for one_hot",
        "{type: embedding, dim: 16}|{type: onehot}|model.input.type must be one of one_hot, embedding, was 'onehot'",
        "learning_rate: 1.0e-4|learning_rate: 0|model.optimizer.learning_rate must be > 0, was 0.0",
        "rho: 0.9|rho: 1.0|model.optimizer.rho must be in [0, 1), was 1.0",
        "epsilon: 1.0e-7|epsilon: -1|model.optimizer.epsilon must be > 0, was -1.0",
        "type: rmsprop|type: sgd|model.optimizer.type must be one of rmsprop, adam, was 'sgd'",
        "rho: 0.9|beta1: 0.9|model.optimizer.beta1 is only valid for type adam",
        "type: rmsprop|type: adam|model.optimizer.rho is only valid for type rmsprop",
    })
    void badValuesNameTheKey(String from, String to, String expected) {
        assertTrue(LSTM.contains(from), from);
        ConfigException e = assertThrows(ConfigException.class, () -> load(LSTM.replace(from, to)));
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("test.yaml: "), "names the file: " + e.getMessage());
    }

    @Test
    void missingRequiredKeysAreNamed() {
        assertMessage(LSTM.replace("units: 8\n", ""), "model.units must be given");
        assertMessage(LSTM.replace("kind: lstm\n", ""), "model.kind must be one of");
        assertMessage(LSTM.replace("input: {type: embedding, dim: 16}\n", ""), "model.input must be given");
    }

    @Test
    void unknownKeysAreErrors() {
        assertMessage(LSTM + "return_sequences: true\n", "unknown key 'return_sequences'");
        assertMessage(LSTM.replace("dim: 16", "dim: 16, trainable: false"), "unknown key 'input.trainable'");
        assertMessage(LSTM.replace("rho: 0.9", "rho: 0.9, momentum: 0.1"), "unknown key 'optimizer.momentum'");
    }

    @Test
    void loadsThroughHadoopFileSystem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("lstm.yaml");
        java.nio.file.Files.writeString(file, LSTM);
        assertEquals(load(LSTM), ModelSpec.load(file.toUri().toString()));
        assertEquals(load(LSTM), ModelSpec.load(file.toString()));
        assertEquals(load(LSTM), ModelSpec.load(file));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ModelSpec.load(dir.resolve("missing.yaml").toString()));
        assertTrue(e.getMessage().contains("model spec not found"), e.getMessage());
    }

    @Test
    void javaSerializable() throws Exception {
        ModelSpec s = load(LSTM);
        assertEquals(s, ModelFactoryTest.javaRoundTrip(s));
    }

    @Test
    void recordConstructorValidatesToo() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ModelSpec("x", ModelSpec.Kind.LSTM,
                ModelSpec.Input.embedding(4), 0, 1, 0, 0, null, 1, null));
        assertEquals("model.units", e.key());
        assertEquals("model.units must be > 0, was 0", e.getMessage());
    }

    @Test
    void builderNamesWhatIsMissingAndEqualsTheSpecFile() {
        ConfigException noUnits = assertThrows(ConfigException.class, () -> ModelSpec.builder().setName("x")
                .setKind(ModelSpec.Kind.LSTM).setInput(ModelSpec.Input.oneHot()).build());
        assertEquals("model.units", noUnits.key());
        assertTrue(noUnits.getMessage().startsWith("model.units must be given"), noUnits.getMessage());
        ConfigException noKind = assertThrows(ConfigException.class, () -> ModelSpec.builder().setName("x")
                .setInput(ModelSpec.Input.oneHot()).setUnits(3).build());
        assertEquals("model.kind", noKind.key());
        ModelSpec built = ModelSpec.builder().setName("lstm").setKind(ModelSpec.Kind.LSTM)
                .setInput(ModelSpec.Input.embedding(16)).setUnits(8).optDropout(0.3)
                .optOptimizer(ModelSpec.Optimizer.rmsprop(1e-4)).optSeed(7L).optImpl(ModelSpec.Impl.REFERENCE).build();
        assertEquals(load(LSTM), built);
        assertEquals(built, ModelSpec.Builder.from(built).build(), "from() keeps every value");
        assertEquals(load("name: g\nkind: gru\ninput: {type: one_hot}\nunits: 4\n"), ModelSpec.builder().setName("g")
                .setKind(ModelSpec.Kind.GRU).setInput(ModelSpec.Input.oneHot()).setUnits(4).build(),
                "left-out keys take the spec file's defaults");
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ModelSpec.Builder.from(built).optLayers(0).build());
        assertEquals("model.layers", bad.key());
        assertEquals(new ModelSpec.Optimizer(ModelSpec.Optimizer.Type.ADAM, 3e-3, null, 1e-7, 0.9, 0.999),
                ModelSpec.Optimizer.adam(3e-3));
    }

    /**
     * A kind's enum entry names the builders of its layer in both implementations; what they build has the parameter
     * count Keras gives that kind (a builder of another kind's layer, or a fast layer of another layout, fails here).
     */
    @ParameterizedTest
    @EnumSource(ModelSpec.Kind.class)
    void everyKindNamesLayerBuildersOfItsOwnKerasSize(ModelSpec.Kind kind) {
        AbstractFastRecurrent.Builder<?> fast = kind.fastLayer();
        fast.nIn(5);
        fast.units(3);
        Layer fastLayer = fast.build();
        assertEquals(kind.parameters(5, 3), fastLayer.initializer().numParams(fastLayer), kind + " fast");
        assertTrue(kind.hasReferenceLayer(), kind + " has a reference layer");
        BaseRecurrentLayer.Builder<?> reference = kind.referenceLayer();
        reference.nIn(5);
        reference.nOut(3);
        Layer referenceLayer = reference.build();
        assertEquals(kind.parameters(5, 3), referenceLayer.initializer().numParams(referenceLayer), kind + " reference");
        assertNotSame(kind.fastLayer(), kind.fastLayer(), "a new builder for every layer");
        assertNotSame(kind.referenceLayer(), kind.referenceLayer(), "a new builder for every layer");
    }

    private static void assertMessage(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }
}
