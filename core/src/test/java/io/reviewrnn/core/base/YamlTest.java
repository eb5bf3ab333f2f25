package io.reviewrnn.core.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.config.TrainConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Config binding errors speak the config file's language: file, key, accepted values; never a Java class. */
class YamlTest {
    private static final String BASE = "corpus: c\nmodel: m.yaml\nrun_dir: r\n";

    /** A record with an enum that has no creator of its own (Jackson's default enum handling). */
    record Plain(@JsonProperty("colour") Colour colour, @JsonProperty("count") Integer count) {
    }

    enum Colour { RED, GREEN }

    private static String error(String yaml, Class<?> type) {
        String m = assertThrows(ConfigException.class, () -> Yaml.read(new ByteArrayInputStream(
                yaml.getBytes(StandardCharsets.UTF_8)), type, "train.yaml")).getMessage();
        assertFalse(m.contains("io.reviewrnn") || m.contains("java.") || m.contains("`")
                || m.contains("Cannot construct") || m.contains("Cannot deserialize"), "Java internals in: " + m);
        assertTrue(m.startsWith("train.yaml: "), "names the file: " + m);
        return m;
    }

    @Test
    void unknownKeySuggestsTheClosestKnownOne() {
        String m = error(BASE + "batch_size: 3\n", TrainConfig.class);
        assertTrue(m.contains("unknown key 'batch_size' (did you mean 'batch_size_per_worker'?)"), m);
        assertTrue(m.contains("known keys: ") && m.contains("max_epochs"), m);
    }

    @Test
    void enumWithItsOwnParserNamesKeyAndAcceptedValues() {
        String m = error(BASE + "monitor: val_acc\n", TrainConfig.class);
        assertEquals("train.yaml: monitor must be 'val_loss' or 'val_accuracy', was 'val_acc'", m);
    }

    @Test
    void plainEnumListsItsValues() {
        String m = error("colour: blue\n", Plain.class);
        assertEquals("train.yaml: colour must be one of [RED, GREEN], was 'blue'", m);
    }

    @Test
    void wrongTypeNamesWhatTheKeyTakes() {
        assertEquals("train.yaml: max_epochs must be an integer, was 'many'",
                error(BASE + "max_epochs: many\n", TrainConfig.class));
        assertEquals("train.yaml: min_delta must be a number, was 'tiny'",
                error(BASE + "min_delta: tiny\n", TrainConfig.class));
        assertTrue(error("count: [1, 2]\n", Plain.class).startsWith("train.yaml: count must be an integer"));
    }

    @Test
    void nestedKeysArePrefixed() {
        String m = error("input: {path: x}\noutput: o\ntext: {padding: middle}\n", PrepareConfig.class);
        assertTrue(m.startsWith("train.yaml: text.padding "), m);
        assertTrue(m.contains("middle"), m);
    }

    @Test
    void closestKeyNeedsToBeClose() {
        assertEquals("patience", Yaml.closest("patiense", List.of("patience", "seed")));
        assertNull(Yaml.closest("learning_rate", List.of("patience", "seed")));
    }
}
