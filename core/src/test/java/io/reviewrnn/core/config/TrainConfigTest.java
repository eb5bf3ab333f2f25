package io.reviewrnn.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.train.Monitor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
    private static TrainConfig read(String yaml) {
        return Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), TrainConfig.class, "t.yaml");
    }

    private static final String BASE = "corpus: c\nmodel: m.yaml\nrun_dir: r\n";

    @Test
    void defaultsFollowTheIssue() {
        TrainConfig c = read(BASE);
        assertEquals(100, c.maxEpochs());
        assertEquals(3, c.patience());
        assertEquals(Monitor.VAL_LOSS, c.monitor());
        assertTrue(c.restoreBestWeights());
        assertEquals(64, c.batchSizePerWorker());
        assertEquals(5, c.averagingFrequency());
        assertNull(c.workers(), "resolved from the cluster at run time");
        assertEquals(TrainConfig.TrainingApproach.EXPORT, c.trainingApproach());
        assertEquals(TrainConfig.Trainer.PARAMETER_AVERAGING, c.trainer());
        assertEquals(7, c.withWorkers(7).workers());
    }

    @Test
    void keysAndAliasesParse() {
        TrainConfig c = read(BASE + "epochs: 7\nmonitor: val_accuracy\ntraining_approach: direct\nstorage_level: "
                + "memory_only\ntrainer: parameter_averaging\n");
        assertEquals(7, c.maxEpochs());
        assertEquals(Monitor.VAL_ACCURACY, c.monitor());
        assertEquals(TrainConfig.TrainingApproach.DIRECT, c.trainingApproach());
        assertEquals("MEMORY_ONLY", c.storageLevel());
        assertEquals(TrainConfig.Trainer.PARAMETER_AVERAGING, c.trainer());
    }

    @Test
    void sharedTrainerIsRefusedWithTheKey() {
        String m = assertThrows(ConfigException.class, () -> read(BASE + "trainer: shared\n")).getMessage();
        assertTrue(m.contains("trainer") && m.contains("bmuf"), m);
    }

    @Test
    void errorsNameTheKeyAndValue() {
        assertTrue(assertThrows(ConfigException.class, () -> read(BASE + "max_epochs: 0\n")).getMessage()
                .contains("max_epochs must be > 0, was 0"));
        assertTrue(assertThrows(ConfigException.class, () -> read(BASE + "patience: -1\n")).getMessage()
                .contains("patience must be >= 0, was -1"));
        assertTrue(assertThrows(ConfigException.class, () -> read(BASE + "storage_level: RAM\n")).getMessage()
                .contains("storage_level must be one of"));
        assertTrue(assertThrows(ConfigException.class, () -> read("model: m\nrun_dir: r\n")).getMessage()
                .contains("corpus must be set"));
        assertTrue(assertThrows(ConfigException.class, () -> read(BASE + "monitor: loss\n")).getMessage()
                .contains("monitor"));
        assertTrue(assertThrows(ConfigException.class, () -> read(BASE + "batch_size: 3\n")).getMessage()
                .contains("unknown key 'batch_size'"));
    }

    @Test
    void builderNamesWhatIsMissingAndEqualsTheYamlConfig() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> TrainConfig.builder().setCorpus("c").setRunDir("r").build());
        assertTrue(missing.getMessage().contains("model"), missing.getMessage());
        TrainConfig built = TrainConfig.builder().setCorpus("c").setModel("m.yaml").setRunDir("r").optMaxEpochs(7)
                .optMonitor(Monitor.VAL_ACCURACY).optWorkers(2).build();
        TrainConfig read = read("corpus: c\nmodel: m.yaml\nrun_dir: r\nmax_epochs: 7\nmonitor: val_accuracy\n"
                + "workers: 2\n");
        assertEquals(read, built);
        assertEquals(built, TrainConfig.Builder.from(built).build(), "from() keeps every value");
        ConfigException bad = assertThrows(ConfigException.class,
                () -> TrainConfig.Builder.from(built).optAveragingFrequency(0).build());
        assertTrue(bad.getMessage().contains("averaging_frequency"), bad.getMessage());
    }
}
