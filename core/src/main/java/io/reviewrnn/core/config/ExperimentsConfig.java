package io.reviewrnn.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.base.ConfigException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Configuration of {@code experiments}: one corpus prepared once, then every listed model spec trained, evaluated on
 * the test split and compared in one report.
 *
 * @param name experiment name; its runs live under {@code <output>/<name>/}, so several experiments (the reference
 *             exercise and a tuned one) can share one output directory and one report
 * @param corpus the raw corpus, as {@code prepare}'s {@code input} (a path, or a map with format and columns)
 * @param output root of all experiments; the report is written to {@code <output>/report/}
 * @param prepare {@code prepare} keys other than {@code input} and {@code output} (e.g. {@code text.num_words})
 * @param train {@code train} keys other than {@code corpus}, {@code model} and {@code run_dir}
 * @param models model spec files; each one's file name without {@code .yaml} is its key in the run directories,
 *               in {@code --only} and in the report
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentsConfig(
        @JsonProperty("name") String name,
        @JsonProperty("corpus") JsonNode corpus,
        @JsonProperty("output") String output,
        @JsonProperty("prepare") ObjectNode prepare,
        @JsonProperty("train") ObjectNode train,
        @JsonProperty("models") List<String> models) {

    private static final Set<String> RESERVED_PREPARE = Set.of("input", "output");
    private static final Set<String> RESERVED_TRAIN = Set.of("corpus", "model", "run_dir");

    public ExperimentsConfig {
        SimpleName.require("name", name);
        if (name.equals("report")) {
            throw new ConfigException("name", name, "must not be 'report' (the report's directory)");
        }
        if (corpus == null || corpus.isNull()) {
            throw new ConfigException("corpus", null, "must be set (in the config or with --corpus)");
        }
        if (output == null || output.isBlank()) {
            throw new ConfigException("output", output, "must be set");
        }
        prepare = prepare == null ? Yaml.json().createObjectNode() : prepare.deepCopy();
        train = train == null ? Yaml.json().createObjectNode() : train.deepCopy();
        for (String k : RESERVED_PREPARE) {
            if (prepare.has(k)) {
                throw new ConfigException("prepare." + k, prepare.get(k), "is set by experiments (use corpus/output)");
            }
        }
        for (String k : RESERVED_TRAIN) {
            if (train.has(k)) {
                throw new ConfigException("train." + k, train.get(k), "is set by experiments for each model");
            }
        }
        if (models == null || models.isEmpty()) {
            throw new ConfigException("models", models, "must list at least one model spec");
        }
        Set<String> keys = new HashSet<>();
        for (String m : models) {
            if (m == null || m.isBlank()) {
                throw new ConfigException("models", models, "must not hold empty entries");
            }
            SimpleName.require("models (the file name of " + m + ")", modelKey(m));
            if (!keys.add(modelKey(m))) {
                throw new ConfigException("models", models, "lists two specs with the file name " + modelKey(m));
            }
        }
        models = List.copyOf(models);
        // Bind both sections now, so a wrong key fails before hours of training rather than after.
        bindPrepare(prepare, corpus, "validation-only");
        bindTrain(train, "validation-only", "validation-only", "validation-only");
    }

    /** The key of a model spec path: its file name without directories and without {@code .yaml}/{@code .yml}. */
    public static String modelKey(String specPath) {
        String file = specPath.substring(specPath.lastIndexOf('/') + 1);
        return file.replaceFirst("\\.ya?ml$", "");
    }

    /** The model keys, in config order. */
    public List<String> modelKeys() {
        return models.stream().map(ExperimentsConfig::modelKey).toList();
    }

    /** The {@code prepare} config for writing the prepared corpus to {@code preparedDir}. */
    public PrepareConfig prepareConfig(String preparedDir) {
        return bindPrepare(prepare, corpus, preparedDir);
    }

    private static PrepareConfig bindPrepare(ObjectNode prepare, JsonNode corpus, String preparedDir) {
        ObjectNode tree = prepare.deepCopy();
        tree.set("input", corpus.isTextual() ? Yaml.json().createObjectNode().put("path", corpus.asText()) : corpus);
        tree.put("output", preparedDir).put("overwrite", true);   // experiments owns it; a half-written one is replaced
        return Yaml.bindSection(tree, PrepareConfig.class, "prepare");
    }

    /** The {@code train} config for one model. */
    public TrainConfig trainConfig(String preparedDir, String modelSpec, String runDir) {
        return bindTrain(train, preparedDir, modelSpec, runDir);
    }

    private static TrainConfig bindTrain(ObjectNode train, String preparedDir, String modelSpec, String runDir) {
        ObjectNode tree = train.deepCopy();
        tree.put("corpus", preparedDir).put("model", modelSpec).put("run_dir", runDir);
        return Yaml.bindSection(tree, TrainConfig.class, "train");
    }
}
