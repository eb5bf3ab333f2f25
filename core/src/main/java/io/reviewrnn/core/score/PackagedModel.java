package io.reviewrnn.core.score;

import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.NetworkArchive;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A verified checkpoint reduced to what scoring needs (network without optimizer state, vocabulary, text spec,
 * content hash), in a form that is cheap to broadcast. On each JVM the network is rebuilt at most once per
 * concurrent task: {@link #borrow()} takes an idle {@link ReviewClassifier} for this content hash from a per-JVM
 * pool (or builds one), {@link #release} returns it. Thread-safe.
 */
public final class PackagedModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<ReviewClassifier>> POOL = new ConcurrentHashMap<>();

    private final byte[] network;
    private final Vocabulary vocabulary;
    private final TextSpec text;
    private final String contentHash;
    private final String modelName;

    private PackagedModel(byte[] network, Vocabulary vocabulary, TextSpec text, String contentHash, String modelName) {
        this.network = network;
        this.vocabulary = vocabulary;
        this.text = text;
        this.contentHash = contentHash;
        this.modelName = modelName;
    }

    /** Packs a loaded checkpoint after {@link ReviewClassifier#checkUsable}. */
    public static PackagedModel of(Checkpoint c, String expectedHash) throws IOException {
        ReviewClassifier.checkUsable(c, expectedHash);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(c.network(), bytes, false);
        return new PackagedModel(bytes.toByteArray(), c.vocabulary(), c.textSpec(), c.contentHash(),
                c.metadata().modelName());
    }

    /**
     * Loads, verifies and packs the checkpoint at {@code path} (any Hadoop FS URI); a registry version is first
     * checked against its {@code version.json} ({@link ModelRegistry#locate}).
     */
    public static PackagedModel load(String path, String expectedHash) throws IOException {
        return load(path, expectedHash, new org.apache.hadoop.conf.Configuration());
    }

    /** As {@link #load(String, String)}, with the given Hadoop configuration (e.g. Spark's). */
    public static PackagedModel load(String path, String expectedHash, org.apache.hadoop.conf.Configuration conf)
            throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(conf);
        ModelRegistry.Located located = ModelRegistry.locate(fs, p);
        return of(Checkpoint.load(fs, located.checkpoint(), false),
                ReviewClassifier.requiredHash(located, expectedHash));
    }

    /** A classifier for this model, idle and owned by the caller until {@link #release}. */
    public ReviewClassifier borrow() {
        ReviewClassifier c = POOL.computeIfAbsent(contentHash, k -> new ConcurrentLinkedQueue<>()).poll();
        return c != null ? c : newClassifier();
    }

    /** Returns a classifier taken with {@link #borrow()} to this JVM's pool. */
    public void release(ReviewClassifier c) {
        POOL.computeIfAbsent(c.contentHash(), k -> new ConcurrentLinkedQueue<>()).add(c);
    }

    /** Builds a new classifier (a new network instance). */
    public ReviewClassifier newClassifier() {
        try {
            MultiLayerNetwork net = NetworkArchive.restore(network, false, "the network of model " + contentHash);
            return new ReviewClassifier(net, new SequenceEncoder(text, vocabulary), contentHash, modelName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild the network of model " + contentHash, e);
        }
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public TextSpec text() {
        return text;
    }

    public String contentHash() {
        return contentHash;
    }

    public String modelName() {
        return modelName;
    }
}
