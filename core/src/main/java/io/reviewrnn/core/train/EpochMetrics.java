package io.reviewrnn.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one training epoch measured. Training loss and accuracy are running means over the epoch's minibatches,
 * each computed on the forward pass that produced its gradient (as Keras reports them); validation loss and
 * accuracy are computed after the epoch on the whole validation split. Loss is binary cross-entropy with the
 * prediction clipped to {@code [1e-5, 1 - 1e-5]} (DL4J's {@code LossBinaryXENT}); accuracy uses threshold 0.5.
 *
 * @param epoch 1-based epoch number
 * @param trainExamples examples actually fitted in the epoch (counted on the workers)
 * @param trainSeconds wall time of the distributed fit
 * @param evalSeconds wall time of validation
 * @param samplesPerSecond {@code trainExamples / trainSeconds}
 */
public record EpochMetrics(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("train_loss") double trainLoss,
        @JsonProperty("train_accuracy") double trainAccuracy,
        @JsonProperty("val_loss") double valLoss,
        @JsonProperty("val_accuracy") double valAccuracy,
        @JsonProperty("train_examples") long trainExamples,
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("eval_seconds") double evalSeconds,
        @JsonProperty("samples_per_second") double samplesPerSecond) {
}
