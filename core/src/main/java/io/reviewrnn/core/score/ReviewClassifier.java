package io.reviewrnn.core.score;

import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.CheckpointMismatchException;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import java.io.IOException;
import java.util.List;
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
        return new ReviewClassifier(c.network(), new SequenceEncoder(c.textSpec(), c.vocabulary()), c.contentHash(),
                c.metadata().modelName());
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
