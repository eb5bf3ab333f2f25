package io.reviewrnn.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reviewrnn.core.base.Yaml;

/**
 * Command-line options layered over a YAML config file: each option that was given replaces the key at a dotted
 * path ({@code input.path}, {@code text.maxlen}); the merged tree is then bound and validated as one record, so
 * errors name the same keys whether a value came from the file or the command line.
 */
final class ConfigOverrides {
    private final ObjectNode tree;

    private ConfigOverrides(ObjectNode tree) {
        this.tree = tree;
    }

    /** Starts from the YAML file at {@code path}, or from an empty config when it is null. */
    static ConfigOverrides from(String path) {
        return new ConfigOverrides(path == null ? Yaml.yaml().createObjectNode() : Yaml.readTree(path));
    }

    /** Sets {@code dottedKey} to {@code value} unless the value is null (option not given). */
    ConfigOverrides set(String dottedKey, Object value) {
        if (value == null) {
            return this;
        }
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], Yaml.yaml().valueToTree(value));
        return this;
    }

    /** True when the config holds a mapping (not a plain value) at top-level {@code key}. */
    boolean isObject(String key) {
        JsonNode n = tree.get(key);
        return n != null && n.isObject();
    }

    <T> T bind(Class<T> type, String source) {
        return Yaml.bind(tree, type, source);
    }
}
