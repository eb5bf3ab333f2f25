package io.reviewrnn.jobs.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;

/**
 * What {@code train} produced; also written as {@code result.json} in the run directory.
 *
 * @param runDir the run directory (fully qualified)
 * @param bestCheckpoint the best checkpoint, which is the final model when {@code restore_best_weights} is set
 * @param bestContentHash content hash of the best checkpoint
 * @param bestEpoch epoch of the best monitored value
 * @param best metrics of the best epoch
 * @param last metrics of the last epoch run
 * @param epochs epochs completed (including those before a resume)
 * @param resumedFrom epoch the run resumed after (0 for a fresh run)
 * @param stopReason why training ended
 * @param wallSeconds wall time of this invocation (after a resume: since the resume)
 * @param samplesPerSecond training examples per second of fit time, over the epochs of this invocation
 * @param finalModel {@code best} when the best weights were restored, else {@code last}
 * @param finalCheckpoint the checkpoint that is the run's model: the best one with {@code restore_best_weights}
 *                        (the default), else the last one; what retrain, experiments and demo go on with
 * @param finalContentHash its content hash
 */
public record TrainResult(
        @JsonProperty("run_dir") String runDir,
        @JsonProperty("best_checkpoint") String bestCheckpoint,
        @JsonProperty("best_content_sha256") String bestContentHash,
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("best") EpochMetrics best,
        @JsonProperty("last") EpochMetrics last,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("resumed_from") int resumedFrom,
        @JsonProperty("stop_reason") EarlyStopping.StopReason stopReason,
        @JsonProperty("wall_seconds") double wallSeconds,
        @JsonProperty("samples_per_second") double samplesPerSecond,
        @JsonProperty("final_model") String finalModel,
        @JsonProperty("final_checkpoint") String finalCheckpoint,
        @JsonProperty("final_content_sha256") String finalContentHash) {

    public TrainResult {
        if (finalCheckpoint == null && !"last".equals(finalModel)) { // a result.json from before these fields
            finalCheckpoint = bestCheckpoint;
            finalContentHash = bestContentHash;
        }
    }
}
