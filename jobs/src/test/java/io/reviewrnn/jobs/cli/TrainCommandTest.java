package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.train.Monitor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Parse-only tests of {@code review-rnn train}: options become config keys; no Spark. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private static TrainCommand parse(String... args) {
        TrainCommand c = new TrainCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void optionsOverrideConfigKeys() throws Exception {
        Path yaml = tmp.resolve("train.yaml");
        Files.writeString(yaml, "model: conf/models/gru.yaml\npatience: 7\nbatch_size_per_worker: 32\n");
        TrainConfig c = parse("--config", yaml.toString(), "--corpus", "p", "--run-dir", "r", "--max-epochs", "9",
                "--monitor", "val_accuracy", "--workers", "3", "--training-approach", "direct",
                "--no-restore-best-weights", "--no-train-accuracy").job().config();
        assertEquals("conf/models/gru.yaml", c.model());
        assertEquals(7, c.patience());
        assertEquals(32, c.batchSizePerWorker());
        assertEquals(9, c.maxEpochs());
        assertEquals(Monitor.VAL_ACCURACY, c.monitor());
        assertEquals(3, c.workers());
        assertEquals(TrainConfig.TrainingApproach.DIRECT, c.trainingApproach());
        assertFalse(c.restoreBestWeights());
        assertFalse(c.trainAccuracy());
    }

    @Test
    void resumeUsesTheRunsOwnConfig() throws Exception {
        TrainConfig saved = TrainConfig.of("corpus", "m.yaml", tmp.toString()).withWorkers(4);
        Files.write(tmp.resolve("config.yaml"), Yaml.yaml().writeValueAsBytes(saved));
        TrainConfig c = parse("--resume", tmp.toString(), "--max-epochs", "12").job().config();
        assertEquals(4, c.workers());
        assertEquals("corpus", c.corpus());
        assertEquals(12, c.maxEpochs());
        assertThrows(ConfigException.class, () -> parse("--resume", tmp.toString(), "--corpus", "x").job());
    }

    @Test
    void missingRequiredKeysNameTheKey() {
        var e = assertThrows(ConfigException.class, () -> parse("--corpus", "p", "--run-dir", "r").job());
        assertTrue(e.getMessage().contains("model must be set"), e.getMessage());
    }
}
