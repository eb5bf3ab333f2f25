package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ModelFactoryTest {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFactoryTest.class);
    static final int NUM_WORDS = 500;
    static final int MAXLEN = 100;

    /** The six specs of the exercise and their Keras model.summary() totals. */
    static final Map<String, Long> KERAS_PARAMS = Map.of(
            "simplernn-onehot", 4081L,
            "simplernn-embedding", 8209L,
            "lstm", 8809L,
            "lstm-dropout", 8809L,
            "lstm-2layer", 9353L,
            "gru", 8633L);

    static Path confModels() {
        Path p = Path.of(System.getProperty("basedir", "."), "..", "conf", "models").normalize();
        if (!Files.isDirectory(p)) {
            p = Path.of("conf", "models");
        }
        assertTrue(Files.isDirectory(p), "conf/models not found from " + Path.of(".").toAbsolutePath());
        return p;
    }

    static Stream<String> specNames() {
        return KERAS_PARAMS.keySet().stream().sorted();
    }

    static ModelSpec spec(String name) {
        return ModelSpec.load(confModels().resolve(name + ".yaml"));
    }

    @ParameterizedTest
    @MethodSource("specNames")
    void parameterCountEqualsKeras(String name) {
        ModelSpec spec = spec(name);
        MultiLayerNetwork net = ModelFactory.network(spec, NUM_WORDS);
        LOG.info("{}: DL4J numParams = {} (Keras {})", name, net.numParams(), KERAS_PARAMS.get(name));
        assertEquals(KERAS_PARAMS.get(name), net.numParams(), name);
        assertEquals(KERAS_PARAMS.get(name), ModelFactory.numParams(spec, NUM_WORDS), name);
        assertEquals(KERAS_PARAMS.get(name), ModelSummary.totalParams(spec, NUM_WORDS, MAXLEN), name);
    }

    @Test
    void everyFileInConfModelsLoadsAndHasItsKerasCount() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(confModels())) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(KERAS_PARAMS.size(), files.size(), "spec files: " + files);
        for (Path f : files) {
            ModelSpec spec = ModelSpec.load(f);
            String base = f.getFileName().toString().replace(".yaml", "");
            assertEquals(base, spec.name(), f + ": name should match the file name");
            assertTrue(KERAS_PARAMS.containsKey(base), "unexpected spec " + f);
            assertEquals(KERAS_PARAMS.get(base), ModelFactory.numParams(spec, NUM_WORDS), f.toString());
            assertEquals(1e-4, spec.optimizer().learningRate(), 0.0, f + ": the exercise uses RMSprop 1e-4");
            assertEquals(ModelSpec.Optimizer.Type.RMSPROP, spec.optimizer().type());
        }
    }

    @ParameterizedTest
    @MethodSource("specNames")
    void contractInputIdsOutputProbability(String name) {
        MultiLayerNetwork net = ModelFactory.network(spec(name), NUM_WORDS);
        INDArray features = ids(5, 20, 11);
        INDArray out = net.output(features);
        assertArrayEquals(new long[] {5, 1}, out.shape());
        for (double p : out.toDoubleVector()) {
            assertTrue(p > 0 && p < 1, "sigmoid output " + p);
        }
        assertEquals(out, net.output(features.castTo(DataType.DOUBLE)), "double ids give the same result");
        // labels [mb, 1]: one fit step runs and changes the parameters
        INDArray before = net.params().dup();
        net.fit(new DataSet(features, Nd4j.create(new float[] {0, 1, 0, 1, 1}, 5, 1)));
        assertFalse(before.equals(net.params()), "fit must update parameters");
        assertTrue(Double.isFinite(net.score()));
    }

    @ParameterizedTest
    @MethodSource("specNames")
    void configurationRoundTripsThroughJsonAndJavaSerialization(String name) throws Exception {
        MultiLayerConfiguration conf = ModelFactory.configuration(spec(name), NUM_WORDS);
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, fromJson, name + " JSON");
        assertEquals(conf.toJson(), fromJson.toJson());
        MultiLayerConfiguration fromJava = javaRoundTrip(conf);
        assertEquals(conf, fromJava, name + " Java serialization");

        // same seed, same initial parameters and outputs from either copy
        MultiLayerNetwork a = new MultiLayerNetwork(conf);
        a.init();
        MultiLayerNetwork b = new MultiLayerNetwork(fromJson);
        b.init();
        assertEquals(a.params(), b.params());
        INDArray x = ids(3, 12, 5);
        assertEquals(a.output(x), b.output(x));
    }

    @Test
    void fastImplIsFastLayersAndTakesRecurrentDropout() {
        assertEquals(FastLayers.class,
                ModelFactory.implementation(ModelSpec.Impl.FAST).getClass());
        ModelSpec s = spec("lstm");
        ModelSpec rd = ModelSpec.Builder.from(s).optRecurrentDropout(0.2).optImpl(ModelSpec.Impl.FAST).build();
        assertEquals(8809, ModelFactory.network(rd, NUM_WORDS).numParams());
    }

    @Test
    void referenceRefusesRecurrentDropout() {
        ModelSpec s = spec("lstm");
        ModelSpec rd = ModelSpec.Builder.from(s).optRecurrentDropout(0.2).optImpl(ModelSpec.Impl.REFERENCE)
                .build();
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFactory.configuration(rd, NUM_WORDS));
        assertEquals("model.recurrent_dropout", e.key());
    }

    @Test
    void adamOptimizerTranslates() {
        ModelSpec s = spec("gru");
        ModelSpec adam = ModelSpec.Builder.from(s).optRecurrentDropout(0.0)
                .optOptimizer(ModelSpec.Optimizer.defaults(ModelSpec.Optimizer.Type.ADAM)).build();
        var u = (org.nd4j.linalg.learning.config.Adam) ModelFactory.updater(adam.optimizer());
        assertEquals(1e-3, u.getLearningRate(), 0);
        assertEquals(0.9, u.getBeta1(), 0);
        assertEquals(0.999, u.getBeta2(), 0);
        assertEquals(1e-7, u.getEpsilon(), 0);
        var r = (org.nd4j.linalg.learning.config.RmsProp) ModelFactory.updater(s.optimizer());
        assertEquals(1e-4, r.getLearningRate(), 0);
        assertEquals(0.9, r.getRmsDecay(), 0);
        assertEquals(1e-7, r.getEpsilon(), 0);
    }

    static ModelSpec withImpl(ModelSpec s, ModelSpec.Impl impl) {
        return ModelSpec.Builder.from(s).optImpl(impl).build();
    }

    /** Random token ids [mb, len] in [0, NUM_WORDS), left-padded with a few zeros. */
    static INDArray ids(int mb, int len, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        float[][] a = new float[mb][len];
        for (int b = 0; b < mb; b++) {
            int pad = rnd.nextInt(len / 2);
            for (int t = pad; t < len; t++) {
                a[b][t] = 1 + rnd.nextInt(NUM_WORDS - 1);
            }
        }
        return Nd4j.create(a).castTo(DataType.FLOAT);
    }

    @SuppressWarnings("unchecked")
    static <T> T javaRoundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
