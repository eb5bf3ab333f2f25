package io.reviewrnn.core.score;

import io.reviewrnn.core.inference.Dl4jSequenceModel;
import io.reviewrnn.core.inference.InferenceEngine;
import io.reviewrnn.core.inference.SequenceModel;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.CheckpointMismatchException;
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
     * Loads and verifies the checkpoint at {@code path} (any Hadoop FS URI); a registry version is first checked
     * against its {@code version.json} ({@link ModelRegistry#locate}).
     *
     * @param expectedHash content hash the caller requires, or null to accept any intact checkpoint
     */
    public static ReviewClassifier load(String path, String expectedHash) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(new org.apache.hadoop.conf.Configuration());
        ModelRegistry.Located located = ModelRegistry.locate(fs, p);
        Checkpoint c = Checkpoint.load(fs, located.checkpoint(), false);
        checkUsable(c, requiredHash(located, expectedHash));
        return new ReviewClassifier(Dl4jSequenceModel.frozen(c.network()),
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
     * The content hash a checkpoint must have: the one its registry recorded for a registry version, which an
     * {@code expectedHash} given as well must equal; otherwise {@code expectedHash} (null: any).
     */
    static String requiredHash(ModelRegistry.Located located, String expectedHash) throws CheckpointMismatchException {
        String registered = located.contentSha256();
        if (registered == null) {
            return expectedHash;
        }
        if (expectedHash != null && !expectedHash.equalsIgnoreCase(registered)) {
            throw new CheckpointMismatchException("registry version v" + located.version() + " ("
                    + located.checkpoint() + ") has content hash " + registered + ", expected " + expectedHash);
        }
        return registered;
    }

    /**
     * Refuses a checkpoint that is intact but cannot score: another content hash than expected, or a network that
     * is not the one its {@code model.yaml} and text spec describe ({@link Checkpoint#checkMatchesSpec}).
     */
    public static void checkUsable(Checkpoint c, String expectedHash) throws CheckpointMismatchException {
        if (expectedHash != null && !expectedHash.equalsIgnoreCase(c.contentHash())) {
            throw new CheckpointMismatchException("checkpoint " + c.path() + " has content hash " + c.contentHash()
                    + ", expected " + expectedHash);
        }
        c.checkMatchesSpec();
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
