package io.reviewrnn.core.inference;

import io.reviewrnn.core.model.fast.EmbeddingFolding;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A checkpoint's DL4J network as a {@link SequenceModel}: {@code network.output} on float ids {@code [b, maxlen]}. */
public final class Dl4jSequenceModel implements SequenceModel {
    private final MultiLayerNetwork network;

    public Dl4jSequenceModel(MultiLayerNetwork network) {
        this.network = network;
    }

    /**
     * For a model that no longer trains (a checkpoint to score): the network in its inference form, an embedding
     * folded into the recurrent layer after it ({@link EmbeddingFolding}), a snapshot of {@code network}'s
     * parameters.
     */
    public static Dl4jSequenceModel frozen(MultiLayerNetwork network) {
        return new Dl4jSequenceModel(EmbeddingFolding.fold(network));
    }

    @Override
    public InferenceEngine engine() {
        return InferenceEngine.DL4J;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    public double[] predict(List<int[]> batch, int maxlen) {
        SequenceModel.checkLengths(batch, maxlen);
        int b = batch.size();
        if (b == 0) {
            return new double[0];
        }
        float[] features = new float[b * maxlen];
        for (int i = 0; i < b; i++) {
            int[] ids = batch.get(i);
            for (int t = 0; t < maxlen; t++) {
                features[i * maxlen + t] = ids[t];
            }
        }
        DataType type = network.getLayerWiseConfigurations().getDataType();
        INDArray in = Nd4j.create(features, new long[] {b, maxlen}, 'c').castTo(type == null ? DataType.FLOAT : type);
        INDArray out = network.output(in, false);
        double[] p = out.reshape(out.length()).toDoubleVector();
        if (p.length != b) {
            throw new IllegalStateException("network returned " + p.length + " outputs for " + b + " reviews");
        }
        return p;
    }

    @Override
    public void close() {
        // nothing native to release
    }
}
