package io.reviewrnn.jobs.train;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Distributed evaluation of a broadcast network on minibatches: each partition builds the network once, runs
 * inference and returns its {@link EvalMetrics}; the driver adds them up. The loss is the training
 * loss, binary cross-entropy with the prediction clipped to {@code [1e-5, 1 - 1e-5]} as DL4J's
 * {@code LossBinaryXENT} does; accuracy uses threshold 0.5.
 */
final class EvaluateFunction implements FlatMapFunction<Iterator<DataSet>, EvalMetrics> {
    private static final long serialVersionUID = 1L;
    static final double CLIP = 1e-5;

    private final Broadcast<NetBroadcastTuple> net;

    EvaluateFunction(Broadcast<NetBroadcastTuple> net) {
        this.net = net;
    }

    @Override
    public Iterator<EvalMetrics> call(Iterator<DataSet> batches) {
        if (!batches.hasNext()) {
            return List.of(EvalMetrics.EMPTY).iterator();
        }
        NetBroadcastTuple t = net.value();
        MultiLayerNetwork network = new MultiLayerNetwork(t.getConfiguration().clone());
        network.init(t.getParameters().unsafeDuplication(), false);
        double loss = 0;
        long correct = 0;
        long examples = 0;
        while (batches.hasNext()) {
            DataSet ds = batches.next();
            INDArray p = network.output(ds.getFeatures(), false);
            loss += lossSum(p, ds.getLabels());
            correct += correct(p, ds.getLabels());
            examples += ds.numExamples();
        }
        return List.of(new EvalMetrics(loss, correct, examples)).iterator();
    }

    /** Sum over the minibatch of the clipped binary cross-entropy. */
    static double lossSum(INDArray probabilities, INDArray labels) {
        float[] p = probabilities.reshape(probabilities.length()).toFloatVector();
        float[] y = labels.reshape(labels.length()).toFloatVector();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(Math.max(p[i], CLIP), 1 - CLIP);
            sum -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
        }
        return sum;
    }

    /** Number of predictions on the right side of 0.5. */
    static long correct(INDArray probabilities, INDArray labels) {
        float[] p = probabilities.reshape(probabilities.length()).toFloatVector();
        float[] y = labels.reshape(labels.length()).toFloatVector();
        long c = 0;
        for (int i = 0; i < p.length; i++) {
            if ((p[i] >= 0.5f) == (y[i] >= 0.5f)) {
                c++;
            }
        }
        return c;
    }
}
