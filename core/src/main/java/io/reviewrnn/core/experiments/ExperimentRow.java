package io.reviewrnn.core.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One finished model of an experiment: a row of the report, written as {@code experiment-row.json} into the
 * model's run directory once training and the test evaluation are both done (its presence marks the model done).
 *
 * @param experiment the experiment's name
 * @param model the model key (spec file name without {@code .yaml})
 * @param specName the {@code name} inside the spec
 * @param description kind, input, units, layers, dropout, optimizer and implementation in a few words
 * @param parameters trainable parameters
 * @param epochs epochs run
 * @param bestEpoch epoch of the best monitored value (the restored weights)
 * @param bestValLoss validation loss at the best epoch
 * @param bestValAccuracy validation accuracy at the best epoch
 * @param testAccuracy accuracy of the best model on the test split
 * @param testLoss binary cross-entropy of the best model on the test split
 * @param testRocAuc ROC AUC of the best model on the test split
 * @param stopReason why training stopped ({@code early_stopping}, {@code max_epochs}, ...)
 * @param trainWallSeconds wall time of training (all invocations, including resumes: the sum of epoch times plus
 *                         the last invocation's set-up), as measured by the train job
 * @param samplesPerSecond training samples per second of fit time
 * @param runDir the model's run directory
 */
public record ExperimentRow(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("model") String model,
        @JsonProperty("spec_name") String specName,
        @JsonProperty("description") String description,
        @JsonProperty("parameters") long parameters,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("best_val_loss") double bestValLoss,
        @JsonProperty("best_val_accuracy") double bestValAccuracy,
        @JsonProperty("test_accuracy") double testAccuracy,
        @JsonProperty("test_loss") double testLoss,
        @JsonProperty("test_roc_auc") double testRocAuc,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("train_wall_seconds") double trainWallSeconds,
        @JsonProperty("samples_per_second") double samplesPerSecond,
        @JsonProperty("run_dir") String runDir) {

    public static final String FILE = "experiment-row.json";

    /** The same row with another description (the report words it from the run's spec at writing time). */
    public ExperimentRow withDescription(String d) {
        return new ExperimentRow(experiment, model, specName, d, parameters, epochs, bestEpoch, bestValLoss,
                bestValAccuracy, testAccuracy, testLoss, testRocAuc, stopReason, trainWallSeconds, samplesPerSecond,
                runDir);
    }
}
