package io.reviewrnn.core.retrain;

import com.fasterxml.jackson.databind.JsonNode;
import io.reviewrnn.core.config.RetrainConfig;
import java.util.Map;

/**
 * The Spark work of a retrain, implemented in the jobs module with {@code PrepareJob}, the train job and the
 * evaluate job. {@link Retrainer} calls the stages in order, holding the retrain lock, and does all registry work
 * itself, so an implementation only computes and writes under {@code runDir}; it never touches the registry.
 * Every method may throw; the run then fails and the registry is left as it was.
 */
public interface RetrainStages {

    /** Prepares a fresh corpus snapshot with {@code config.prepareConfig(runDir + "/prepared")}. */
    PreparedSnapshot prepare(RetrainConfig config, String runDir) throws Exception;

    /** Trains a challenger on {@code data}; the returned checkpoint directory must be complete. */
    TrainedChallenger train(RetrainConfig config, PreparedSnapshot data, String runDir) throws Exception;

    /**
     * Evaluates the checkpoint at {@code checkpoint} on the held-out test split of {@code data}, with the
     * checkpoint's own vocabulary and text spec, writing its reports under {@code outputDir}. Returns the metrics
     * by name (at least the one named by {@code compare.metric}).
     */
    Map<String, Double> evaluate(String checkpoint, PreparedSnapshot data, String outputDir) throws Exception;

    /**
     * A prepared corpus.
     *
     * @param path the prepared corpus directory
     * @param manifest its {@code manifest.json}
     * @param manifestSha256 SHA-256 of the manifest, recorded as the data lineage of the challenger
     */
    record PreparedSnapshot(String path, String manifest, String manifestSha256) {
    }

    /**
     * A trained challenger.
     *
     * @param checkpoint the best checkpoint directory (self-contained)
     * @param effectiveConfig the train job's effective config, stored with the version
     */
    record TrainedChallenger(String checkpoint, JsonNode effectiveConfig) {
    }
}
