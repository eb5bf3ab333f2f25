package io.reviewrnn.core.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.model.ModelSpec;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * conf/README.md documents every key of every config, in the section of its command: a key added to a config record
 * without a line in the README fails here. Keys of nested records are checked by their dotted names
 * ({@code text.maxlen}), except where the README describes a nested block as a whole.
 */
class ConfigKeysDocumentedTest {
    private static final Path README = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/README.md");

    @Test
    void everyKeyOfEveryConfigIsInConfReadme() throws IOException {
        String readme = Files.readString(README);
        List<String> missing = new ArrayList<>();
        missing.addAll(undocumented(section(readme, "prepare"), PrepareConfig.class, Set.of("test_input")));
        missing.addAll(undocumented(section(readme, "train"), TrainConfig.class, Set.of()));
        String scoring = section(readme, "evaluate");
        missing.addAll(undocumented(scoring, EvaluateConfig.class, Set.of("input")));
        missing.addAll(undocumented(scoring, ScoreConfig.class, Set.of("input")));
        missing.addAll(undocumented(section(readme, "experiments"), ExperimentsConfig.class, Set.of()));
        missing.addAll(undocumented(section(readme, "Model specs"), ModelSpec.class, Set.of()));
        missing.addAll(undocumented(section(readme, "retrain"), RetrainConfig.class, Set.of()));
        assertTrue(missing.isEmpty(), "keys missing from their section of conf/README.md: " + missing);
    }

    /** From the heading {@code ## <name>} to the next level-2 heading. */
    private static String section(String readme, String name) {
        int start = readme.indexOf("\n## " + name);
        assertTrue(start >= 0, "conf/README.md has no section '## " + name + "'");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String> undocumented(String section, Class<?> config, Set<String> described) {
        List<String> missing = new ArrayList<>();
        for (String key : keys(config, "", described)) {
            if (!section.contains("`" + key + "`") && !section.contains("`" + key + " ")) {
                missing.add(config.getSimpleName() + "." + key);
            }
        }
        assertTrue(!keys(config, "", described).isEmpty(), config + " has no keys");
        return missing;
    }

    /** The YAML keys of a config record; those of nested records of ours by dotted name. */
    private static List<String> keys(Class<?> record, String prefix, Set<String> described) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            String key = p == null ? c.getName() : p.value();
            Class<?> type = c.getType();
            if (type.isRecord() && type.getName().startsWith("io.reviewrnn.") && !described.contains(key)) {
                keys.addAll(keys(type, prefix + key + ".", Set.of()));
            } else {
                keys.add(prefix + key);
            }
        }
        return keys;
    }
}
