package io.reviewrnn.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.base.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentsConfigTest {
    private static ExperimentsConfig parse(String yaml) {
        return Yaml.bind(Yaml.readTree(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t"),
                ExperimentsConfig.class, "t");
    }

    private static final String BASE = "name: ref\ncorpus: /data/aclImdb\noutput: runs/x\n";

    @Test
    void theShippedConfigsBindAndNameTheirModels() {
        for (String f : List.of("reference.yaml", "tuned.yaml")) {
            ObjectNodeHolder.check(Path.of("..", "conf", "experiments", f));
        }
        ExperimentsConfig ref = parse(BASE + "prepare: {text: {num_words: 500, maxlen: 100}}\n"
                + "train: {patience: 3, batch_size_per_worker: 64}\nmodels: [conf/models/lstm.yaml, a/gru.yml]\n");
        assertEquals(List.of("lstm", "gru"), ref.modelKeys());
        PrepareConfig pc = ref.prepareConfig("out/prepared");
        assertEquals(500, pc.text().numWords());
        assertEquals("/data/aclImdb", pc.input().path());
        TrainConfig tc = ref.trainConfig("p", "conf/models/lstm.yaml", "r");
        assertEquals(3, tc.patience());
        assertEquals(64, tc.batchSizePerWorker());
        assertEquals("r", tc.runDir());
    }

    @Test
    void corpusMayBeAMapWithReaderOptions() {
        ExperimentsConfig c = parse("name: k\ncorpus: {path: /d/imdb.csv, format: csv, text_column: review}\n"
                + "output: o\nmodels: [m.yaml]\n");
        assertEquals("review", c.prepareConfig("p").input().textColumn());
    }

    @Test
    void mistakesFailWithTheirKeyBeforeAnyWork() {
        assertKey("name", "name: report\ncorpus: c\noutput: o\nmodels: [m.yaml]\n");
        assertKey("name", "name: a/b\ncorpus: c\noutput: o\nmodels: [m.yaml]\n");
        assertKey("name", "name: ..\ncorpus: c\noutput: o\nmodels: [m.yaml]\n");
        assertKey("models (the file name of specs/...yaml)", BASE + "models: [specs/...yaml]\n");
        assertKey("models (the file name of ../.yaml)", BASE + "models: [../.yaml]\n");
        assertKey("corpus", "name: a\noutput: o\nmodels: [m.yaml]\n");
        assertKey("models", BASE + "models: []\n");
        assertKey("models", BASE + "models: [x/m.yaml, y/m.yaml]\n");
        assertKey("train.run_dir", BASE + "train: {run_dir: x}\nmodels: [m.yaml]\n");
        assertKey("prepare.output", BASE + "prepare: {output: x}\nmodels: [m.yaml]\n");
        assertKey("patience", BASE + "train: {patience: -1}\nmodels: [m.yaml]\n");
        assertKey("maxlen", BASE + "prepare: {text: {maxlen: 0}}\nmodels: [m.yaml]\n");
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> parse(BASE + "train: {patiense: 3}\nmodels: [m.yaml]\n"));
        assertTrue(unknown.getMessage().contains("patiense"), unknown.getMessage());
    }

    private static void assertKey(String key, String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertTrue(e.getMessage().contains(key), key + " not in: " + e.getMessage());
    }

    /** Binds a shipped config file and checks its model spec files exist. */
    private static final class ObjectNodeHolder {
        static void check(Path file) {
            ExperimentsConfig c = Yaml.bind(Yaml.readTree(file.toString()).put("corpus", "/data/aclImdb"),
                    ExperimentsConfig.class, file.toString());
            for (String m : c.models()) {
                assertTrue(java.nio.file.Files.exists(Path.of("..").resolve(m)), file + ": " + m + " missing");
            }
        }
    }
}
