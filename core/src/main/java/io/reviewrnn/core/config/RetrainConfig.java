package io.reviewrnn.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.base.ConfigException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * Configuration of {@code retrain}: where fresh data comes from, what to train, how to compare the challenger with
 * the champion, and the registry that keeps both. Keys are documented in {@code conf/README.md}.
 *
 * @param workDir each run writes {@code <work_dir>/<run-id>/} (prepared corpus, training run, evaluations)
 * @param prepare the keys of {@link PrepareConfig} except {@code output}, which retrain sets per run
 * @param model path of the model spec YAML (e.g. {@code conf/models/lstm.yaml})
 * @param train the keys of the train job's config except {@code corpus}, {@code model} and {@code run_dir}, which
 *              retrain sets per run; validated when the config is read; may be empty
 * @param compare the metric and margin that decide promotion
 * @param registry the model registry and its retention
 * @param lock the retrain lock's lease
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrainConfig(
        @JsonProperty("work_dir") String workDir,
        @JsonProperty("prepare") ObjectNode prepare,
        @JsonProperty("model") String model,
        @JsonProperty("train") ObjectNode train,
        @JsonProperty("compare") Compare compare,
        @JsonProperty("registry") Registry registry,
        @JsonProperty("lock") Lock lock) implements Serializable {

    private static final long serialVersionUID = 1L;

    public RetrainConfig {
        if (workDir == null || workDir.isBlank()) {
            throw new ConfigException("work_dir", workDir, "must be set");
        }
        if (prepare == null) {
            throw new ConfigException("prepare", null, "must be set (at least prepare.input.path)");
        }
        if (prepare.has("output")) {
            throw new ConfigException("prepare.output", prepare.get("output").asText(),
                    "must not be set: retrain writes each run's corpus to <work_dir>/<run-id>/prepared");
        }
        bindPrepare(prepare, workDir + "/validation-only"); // validates the section now, with its keys named
        if (model == null || model.isBlank()) {
            throw new ConfigException("model", model, "must be set (a model spec, e.g. conf/models/lstm.yaml)");
        }
        if (train == null) {
            train = Yaml.json().createObjectNode();
        }
        for (String k : new String[] {"corpus", "model", "run_dir"}) {
            if (train.has(k)) {
                throw new ConfigException("train." + k, train.get(k).asText(), "must not be set: retrain sets it for"
                        + " each run");
            }
        }
        bindTrain(train, "validation-only", model, workDir + "/validation-only"); // before any side effect
        if (compare == null) {
            throw new ConfigException("compare", null, "must be set (compare.metric at least)");
        }
        if (registry == null) {
            throw new ConfigException("registry", null, "must be set (registry.path at least)");
        }
        if (lock == null) {
            lock = new Lock(null, null);
        }
    }

    /** The prepare config of one run, writing to {@code output}. */
    public PrepareConfig prepareConfig(String output) {
        return bindPrepare(prepare, output);
    }

    private static PrepareConfig bindPrepare(ObjectNode prepare, String output) {
        ObjectNode tree = prepare.deepCopy();
        tree.put("output", output);
        return Yaml.bindSection(tree, PrepareConfig.class, "prepare");
    }

    /** The train config of one run: the {@code train:} keys on {@code corpus}, writing to {@code runDir}. */
    public TrainConfig trainConfig(String corpus, String runDir) {
        return bindTrain(train, corpus, model, runDir);
    }

    private static TrainConfig bindTrain(ObjectNode train, String corpus, String model, String runDir) {
        ObjectNode tree = train.deepCopy();
        tree.put("corpus", corpus).put("model", model).put("run_dir", runDir);
        try {
            return Yaml.bind(tree, TrainConfig.class, "train");
        } catch (ConfigException e) {
            // "train: max_epochs must be > 0" reads as the key it is: train.max_epochs
            throw new ConfigException(e.getMessage().replaceFirst("^train: (?!unknown key|bad value)(?=[a-z_]+[ .])",
                    "train."));
        }
    }

    /** Which way a metric improves. */
    public enum Direction {
        /** Higher is better (accuracy, F1, ROC AUC). */
        MAX,
        /** Lower is better (loss). */
        MIN,
        /** MIN for loss-like metrics, MAX for the others. */
        AUTO;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Direction parse(String s) {
            for (Direction d : values()) {
                if (d.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return d;
                }
            }
            throw new IllegalArgumentException("must be max, min or auto, was '" + s + "'");
        }
    }

    /**
     * How the challenger is compared with the champion.
     *
     * @param metric a metric reported by {@code evaluate} on the test split, e.g. {@code accuracy} or {@code loss}
     * @param direction {@code max}, {@code min} or {@code auto} (default; loss-like metrics are minimized)
     * @param minDelta the challenger must beat the champion by at least this much (default 0: any improvement)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Compare(
            @JsonProperty("metric") String metric,
            @JsonProperty("direction") Direction direction,
            @JsonProperty("min_delta") Double minDelta) implements Serializable {

        private static final long serialVersionUID = 1L;
        /** Metrics with a known direction, for {@code direction: auto}. */
        public static final Set<String> HIGHER_IS_BETTER = Set.of("accuracy", "precision", "recall", "f1",
                "roc_auc", "auc");
        public static final Set<String> LOWER_IS_BETTER = Set.of("loss", "log_loss", "error_rate");

        public Compare {
            if (metric == null || !metric.matches("[a-z][a-z0-9_]*")) {
                throw new ConfigException("metric", metric, "must be a metric name such as accuracy or loss");
            }
            direction = direction == null ? Direction.AUTO : direction;
            if (direction == Direction.AUTO) {
                if (LOWER_IS_BETTER.contains(metric)) {
                    direction = Direction.MIN;
                } else if (HIGHER_IS_BETTER.contains(metric)) {
                    direction = Direction.MAX;
                } else {
                    throw new ConfigException("direction", "auto", "cannot be guessed for metric '" + metric
                            + "': set direction to max or min");
                }
            }
            minDelta = minDelta == null ? 0.0 : minDelta;
            if (!(minDelta >= 0.0) || minDelta.isInfinite()) {
                throw new ConfigException("min_delta", minDelta, "must be a finite number >= 0");
            }
        }

        public static Compare of(String metric, Direction direction, double minDelta) {
            return new Compare(metric, direction, minDelta);
        }
    }

    /**
     * The model registry.
     *
     * @param path registry root on any Hadoop FileSystem with atomic rename (hdfs://, file://)
     * @param keepLast versions kept by retention, besides the champion and the rollback target (default 10)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Registry(
            @JsonProperty("path") String path,
            @JsonProperty("keep_last") Integer keepLast) implements Serializable {

        private static final long serialVersionUID = 1L;

        public Registry {
            if (path == null || path.isBlank()) {
                throw new ConfigException("path", path, "must be set");
            }
            keepLast = keepLast == null ? 10 : keepLast;
            if (keepLast < 1) {
                throw new ConfigException("keep_last", keepLast, "must be >= 1");
            }
        }
    }

    /**
     * The retrain lock's lease: a run that stops renewing for {@code timeout_minutes} is presumed dead and its lock
     * may be taken over.
     *
     * @param timeoutMinutes lease timeout (default 30)
     * @param heartbeatMinutes renewal interval (default timeout / 6)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lock(
            @JsonProperty("timeout_minutes") Double timeoutMinutes,
            @JsonProperty("heartbeat_minutes") Double heartbeatMinutes) implements Serializable {

        private static final long serialVersionUID = 1L;

        public Lock {
            timeoutMinutes = timeoutMinutes == null ? 30.0 : timeoutMinutes;
            if (!(timeoutMinutes > 0) || timeoutMinutes.isInfinite()) {
                throw new ConfigException("timeout_minutes", timeoutMinutes, "must be > 0");
            }
            heartbeatMinutes = heartbeatMinutes == null ? timeoutMinutes / 6 : heartbeatMinutes;
            if (!(heartbeatMinutes > 0) || heartbeatMinutes > timeoutMinutes / 2) {
                throw new ConfigException("heartbeat_minutes", heartbeatMinutes,
                        "must be > 0 and at most half of timeout_minutes (" + timeoutMinutes + ")");
            }
        }

        public Duration timeout() {
            return Duration.ofMillis(Math.round(timeoutMinutes * 60_000));
        }

        public Duration heartbeat() {
            return Duration.ofMillis(Math.round(heartbeatMinutes * 60_000));
        }
    }
}
