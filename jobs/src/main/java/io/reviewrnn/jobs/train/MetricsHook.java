package io.reviewrnn.jobs.train;

import io.reviewrnn.core.model.TallyingBinaryXent;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs on the workers around every minibatch update and sums into Spark accumulators what Keras shows as the
 * training metrics of an epoch: the loss of each minibatch (DL4J's score of the forward pass that produced the
 * gradient, i.e. before the update) and, optionally, the accuracy of the pre-update weights (one extra inference
 * forward pass, without dropout). It also counts the examples actually fitted, which is how a silently dropped
 * part of the data becomes visible (see docs/TRAINING.md, Direct vs Export).
 */
final class MetricsHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final LongAccumulator examples;
    private final LongAccumulator minibatches;
    private final DoubleAccumulator lossSum;
    private final LongAccumulator correct;
    private final boolean accuracy;

    MetricsHook(LongAccumulator examples, LongAccumulator minibatches, DoubleAccumulator lossSum,
            LongAccumulator correct, boolean accuracy) {
        this.examples = examples;
        this.minibatches = minibatches;
        this.lossSum = lossSum;
        this.correct = correct;
        this.accuracy = accuracy;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        TallyingBinaryXent.reset();
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        long n = minibatch.numExamples();
        examples.add(n);
        minibatches.add(1);
        lossSum.add(model.score() * n);
        if (accuracy) {
            if (TallyingBinaryXent.scored() == n) {
                correct.add(TallyingBinaryXent.correct());
            } else if (model instanceof MultiLayerNetwork net) {
                // A network built without TallyingBinaryXent (a checkpoint of an older version): one extra
                // inference pass, with the updated weights.
                INDArray p = net.output(minibatch.getFeatures(), false);
                correct.add(EvaluateFunction.correct(p, minibatch.getLabels()));
            }
        }
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        throw new UnsupportedOperationException("train uses DataSet minibatches");
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        throw new UnsupportedOperationException("train uses DataSet minibatches");
    }
}
