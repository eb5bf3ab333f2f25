package io.reviewrnn.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.RetrainConfig.Direction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetrainConfigTest {
    static final String MINIMAL = """
            work_dir: /tmp/retrain
            prepare:
              input: {path: /data/reviews.csv}
            model: conf/models/lstm.yaml
            compare: {metric: loss}
            registry: {path: /tmp/registry}
            """;

    static RetrainConfig parse(String yaml) {
        return Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), RetrainConfig.class,
                "retrain.yaml");
    }

    @Test
    void defaultsAreFilledIn() {
        RetrainConfig c = parse(MINIMAL);
        assertEquals(Direction.MIN, c.compare().direction(), "loss is minimized");
        assertEquals(0.0, c.compare().minDelta());
        assertEquals(10, c.registry().keepLast());
        assertEquals(Duration.ofMinutes(30), c.lock().timeout());
        assertEquals(Duration.ofMinutes(5), c.lock().heartbeat());
        assertTrue(c.train().isEmpty());
        PrepareConfig p = c.prepareConfig("/tmp/retrain/run-1/prepared");
        assertEquals("/tmp/retrain/run-1/prepared", p.output());
        assertEquals("/data/reviews.csv", p.input().path());
    }

    @Test
    void theShippedExampleIsValid() throws IOException {
        Path file = Paths.get("").toAbsolutePath().getParent().resolve("conf/retrain.yaml");
        assumeTrue(Files.exists(file), "conf/retrain.yaml not found from " + Paths.get("").toAbsolutePath());
        try (InputStream in = Files.newInputStream(file)) {
            RetrainConfig c = Yaml.read(in, RetrainConfig.class, file.toString());
            assertEquals("accuracy", c.compare().metric());
            assertEquals(Direction.MAX, c.compare().direction());
            assertEquals(0.002, c.compare().minDelta());
            assertEquals(Duration.ofMinutes(30), c.lock().timeout());
            assertEquals(100, c.prepareConfig("x").text().maxlen());
        }
    }

    @Test
    void errorsNameTheKeyAndTheValue() {
        assertMessage("compare.min_delta must be a finite number >= 0, was -0.1",
                MINIMAL.replace("{metric: loss}", "{metric: loss, min_delta: -0.1}"));
        assertMessage("compare.direction cannot be guessed for metric 'kappa'",
                MINIMAL.replace("{metric: loss}", "{metric: kappa}"));
        assertMessage("registry.keep_last must be >= 1, was 0",
                MINIMAL.replace("{path: /tmp/registry}", "{path: /tmp/registry, keep_last: 0}"));
        assertMessage("lock.heartbeat_minutes must be > 0 and at most half",
                MINIMAL + "lock: {timeout_minutes: 10, heartbeat_minutes: 6}\n");
        assertMessage("prepare.output must not be set", MINIMAL.replace("input: {path: /data/reviews.csv}",
                "input: {path: /data/reviews.csv}\n  output: /x"));
        assertMessage("prepare.validation_split must be in [0, 1), was 1.5", MINIMAL.replace(
                "input: {path: /data/reviews.csv}", "input: {path: /data/reviews.csv}\n  validation_split: 1.5"));
        assertMessage("unknown key 'compare.min_detla'", MINIMAL.replace("{metric: loss}", "{metric: loss, min_detla: 1}"));
        assertMessage("work_dir must be set", MINIMAL.replace("work_dir: /tmp/retrain\n", ""));
    }

    /** The train: section is checked when the file is read, before a registry, lock or prepare exists. */
    @Test
    void theTrainSectionIsValidatedWhenTheConfigIsRead() {
        assertMessage("train.max_epochs must be > 0, was 0", MINIMAL + "train: {max_epochs: 0}\n");
        assertMessage("unknown key 'max_epoch'", MINIMAL + "train: {max_epoch: 3}\n");
        assertMessage("'shared' (DL4J's gradient-sharing SharedTrainingMaster) is not supported",
                MINIMAL + "train: {trainer: shared}\n");
        assertMessage("train.run_dir must not be set", MINIMAL + "train: {run_dir: /elsewhere}\n");
        RetrainConfig c = parse(MINIMAL + "train: {max_epochs: 7, restore_best_weights: false}\n");
        TrainConfig t = c.trainConfig("/tmp/retrain/r1/prepared", "/tmp/retrain/r1/train");
        assertEquals(7, t.maxEpochs());
        assertEquals(false, t.restoreBestWeights());
        assertEquals("/tmp/retrain/r1/train", t.runDir());
        assertEquals("conf/models/lstm.yaml", t.model());
    }

    private static void assertMessage(String expected, String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
