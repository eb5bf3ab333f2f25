package io.reviewrnn.core.score;

import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A checkpoint's network with the checkpoint's own encoder: text in, probability of the positive class out,
 * in minibatches. Nothing is refit; text is encoded exactly as the training corpus was. Not thread-safe (a DL4J
 * network is not): use one instance per thread, e.g. through {@link PackagedModel#borrow()}.
 */
public final class ReviewClassifier {
    private final MultiLayerNetwork network;
    private final SequenceEncoder encoder;
    private final String contentHash;
    private final String modelName;

    ReviewClassifier(MultiLayerNetwork network, SequenceEncoder encoder, String contentHash, String modelName) {
        this.network = network;
        this.encoder = encoder;
        this.contentHash = contentHash;
        this.modelName = modelName;
    }

    /**
     * Loads and verifies the checkpoint at {@code path} (any Hadoop FS URI).
     *
     * @param expectedHash content hash the caller requires, or null to accept any intact checkpoint
     */
    public static ReviewClassifier load(String path, String expectedHash) throws IOException {
        Checkpoint c = Checkpoint.load(path);
        checkUsable(c, expectedHash);
        return new ReviewClassifier(c.network(), new SequenceEncoder(c.textSpec(), c.vocabulary()), c.contentHash(),
                c.metadata().modelName());
    }

    /**
     * Refuses a checkpoint that is intact but cannot score: another content hash than expected, a network that is
     * not the one its {@code model.yaml} and text spec describe, or a vocabulary larger than {@code num_words}.
     */
    public static void checkUsable(Checkpoint c, String expectedHash) throws CheckpointMismatchException {
        if (expectedHash != null && !expectedHash.equalsIgnoreCase(c.contentHash())) {
            throw new CheckpointMismatchException("checkpoint " + c.path() + " has content hash " + c.contentHash()
                    + ", expected " + expectedHash);
        }
        TextSpec text = c.textSpec();
        if (text == null) {
            throw new CheckpointMismatchException("checkpoint " + c.path() + " has no text spec in "
                    + Checkpoint.METADATA);
        }
        if (c.vocabulary().idLimit() > text.numWords()) {
            throw new CheckpointMismatchException("checkpoint " + c.path() + ": vocabulary has ids up to "
                    + (c.vocabulary().idLimit() - 1) + " but num_words is " + text.numWords());
        }
        MultiLayerConfiguration expected;
        try {
            expected = ModelFactory.configuration(c.spec(), text.numWords());
        } catch (RuntimeException e) {
            throw new CheckpointMismatchException("checkpoint " + c.path() + ": model.yaml does not build: "
                    + e.getMessage());
        }
        MultiLayerConfiguration actual = c.network().getLayerWiseConfigurations();
        if (expected.getConfs().size() != actual.getConfs().size()) {
            throw new CheckpointMismatchException("checkpoint " + c.path() + ": model.yaml describes "
                    + expected.getConfs().size() + " layers, the network has " + actual.getConfs().size());
        }
        for (int i = 0; i < expected.getConfs().size(); i++) {
            var e = expected.getConf(i).getLayer();
            var a = actual.getConf(i).getLayer();
            // a subclass either way is the same layer (e.g. DeepCloneLastTimeStep for checkpoints made before it)
            if (!e.getClass().isAssignableFrom(a.getClass()) && !a.getClass().isAssignableFrom(e.getClass())) {
                throw new CheckpointMismatchException("checkpoint " + c.path() + ": layer " + i + " is "
                        + a.getClass().getSimpleName() + " but model.yaml describes " + e.getClass().getSimpleName());
            }
        }
        long want = ModelFactory.numParams(expected);
        if (want != c.network().numParams()) {
            throw new CheckpointMismatchException("checkpoint " + c.path() + ": model.yaml with num_words "
                    + text.numWords() + " has " + want + " parameters, the network has " + c.network().numParams());
        }
    }

    public EncodedReview encode(String text) {
        return encoder.encode(text);
    }

    public SequenceEncoder encoder() {
        return encoder;
    }

    public TextSpec textSpec() {
        return encoder.spec();
    }

    public String contentHash() {
        return contentHash;
    }

    public String modelName() {
        return modelName;
    }

    /** The network itself (for checks against direct calls). */
    public MultiLayerNetwork network() {
        return network;
    }

    /** Probabilities of the positive class for a minibatch of encoded reviews ({@code maxlen} ids each). */
    public double[] predictIds(List<int[]> batch) {
        int maxlen = encoder.spec().maxlen();
        int b = batch.size();
        if (b == 0) {
            return new double[0];
        }
        float[] features = new float[b * maxlen];
        for (int i = 0; i < b; i++) {
            int[] ids = batch.get(i);
            if (ids.length != maxlen) {
                throw new IllegalArgumentException("encoded review has " + ids.length + " ids, maxlen is " + maxlen);
            }
            for (int t = 0; t < maxlen; t++) {
                features[i * maxlen + t] = ids[t];
            }
        }
        INDArray in = Nd4j.create(features, new long[] {b, maxlen}, 'c').castTo(network.getLayerWiseConfigurations()
                .getDataType() == null ? DataType.FLOAT : network.getLayerWiseConfigurations().getDataType());
        INDArray out = network.output(in, false);
        double[] p = out.reshape(out.length()).toDoubleVector();
        if (p.length != b) {
            throw new IllegalStateException("network returned " + p.length + " outputs for " + b + " reviews");
        }
        return p;
    }

    /** Encodes and scores a minibatch of texts. */
    public double[] predictTexts(List<String> texts) {
        List<int[]> ids = new java.util.ArrayList<>(texts.size());
        for (String t : texts) {
            ids.add(encoder.encode(t).ids());
        }
        return predictIds(ids);
    }
}
