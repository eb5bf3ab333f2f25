package io.reviewrnn.core.score;

import io.reviewrnn.core.inference.Dl4jSequenceModel;
import io.reviewrnn.core.inference.InferenceEngine;
import io.reviewrnn.core.inference.SequenceModel;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * A model with its own encoder: text in, probability of the positive class out, in minibatches. The model is a
 * checkpoint's DL4J network or an exported ONNX model ({@link SequenceModel}); nothing is refit, and text is
 * encoded exactly as the training corpus was. Not thread-safe (a DL4J network is not): use one instance per
 * thread, e.g. through {@link PackagedModel#borrow()}.
 */
public final class ReviewClassifier {
    private final SequenceModel model;
    private final SequenceEncoder encoder;
    private final String contentHash;
    private final String modelName;

    ReviewClassifier(SequenceModel model, SequenceEncoder encoder, String contentHash, String modelName) {
        this.model = model;
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
        return new ReviewClassifier(new Dl4jSequenceModel(c.network()),
                new SequenceEncoder(c.textSpec(), c.vocabulary()), c.contentHash(), c.metadata().modelName());
    }

    /**
     * Loads a model for {@code engine}: a checkpoint for {@code dl4j} ({@link #load(String, String)}), an export
     * directory for {@code onnx} (its {@code expectedHash} is the content hash of the checkpoint it came from).
     */
    public static ReviewClassifier load(String path, String expectedHash, InferenceEngine engine) throws IOException {
        if (engine == InferenceEngine.DL4J) {
            return load(path, expectedHash);
        }
        return PackagedModel.load(path, expectedHash, new org.apache.hadoop.conf.Configuration(), engine)
                .newClassifier();
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

    /** The model that runs inference (a DL4J network or an ONNX Runtime session). */
    public SequenceModel model() {
        return model;
    }

    /** Probabilities of the positive class for a minibatch of encoded reviews ({@code maxlen} ids each). */
    public double[] predictIds(List<int[]> batch) {
        return model.predict(batch, encoder.spec().maxlen());
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
