package io.reviewrnn.core.score;

import io.reviewrnn.core.export.ExportedModel;
import io.reviewrnn.core.inference.Dl4jSequenceModel;
import io.reviewrnn.core.inference.InferenceEngine;
import io.reviewrnn.core.inference.OnnxSequenceModel;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.CheckpointMismatchException;
import io.reviewrnn.core.store.NetworkArchive;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A verified model reduced to what scoring needs (the model bytes, vocabulary, text spec, content hash), in a form
 * that is cheap to broadcast: a checkpoint's verified {@code network.zip} for the {@code dl4j} engine (rebuilt
 * without its optimizer state), or an
 * exported {@code model.onnx} for {@code onnx} ({@link InferenceEngine}). On each JVM the model is rebuilt at most
 * once per concurrent task: {@link #borrow()} takes an idle {@link ReviewClassifier} for this engine and content hash
 * from a per-JVM pool (or builds one), {@link #release} returns it. Thread-safe.
 */
public final class PackagedModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<ReviewClassifier>> POOL = new ConcurrentHashMap<>();

    private final InferenceEngine engine;
    private final byte[] model;
    private final Vocabulary vocabulary;
    private final TextSpec text;
    private final String contentHash;
    private final String modelName;
    private final String checkpoint;

    private PackagedModel(InferenceEngine engine, byte[] model, Vocabulary vocabulary, TextSpec text,
            String contentHash, String modelName, String checkpoint) {
        this.engine = engine;
        this.model = model;
        this.vocabulary = vocabulary;
        this.text = text;
        this.contentHash = contentHash;
        this.modelName = modelName;
        this.checkpoint = checkpoint;
    }

    /** Packs a loaded checkpoint after {@link ReviewClassifier#checkUsable}. */
    public static PackagedModel of(Checkpoint c, String expectedHash) throws IOException {
        ReviewClassifier.checkUsable(c, expectedHash);
        return new PackagedModel(InferenceEngine.DL4J, c.networkArchive(), c.vocabulary(), c.textSpec(),
                c.contentHash(), c.metadata().modelName(), c.path().toString());
    }

    /**
     * Packs an export written by {@code review-rnn export --format onnx}; {@code expectedHash} (or null) is the
     * content hash of the checkpoint it was exported from.
     */
    public static PackagedModel of(ExportedModel e, String expectedHash) throws CheckpointMismatchException {
        if (expectedHash != null && !expectedHash.equalsIgnoreCase(e.checkpointSha256())) {
            throw new CheckpointMismatchException("export " + e.path() + " comes from the checkpoint with content "
                    + "hash " + e.checkpointSha256() + ", expected " + expectedHash);
        }
        return new PackagedModel(InferenceEngine.ONNX, e.model(), e.vocabulary(), e.textSpec(), e.checkpointSha256(),
                e.manifest().modelName(), e.manifest().checkpoint());
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

    /** A checkpoint ({@code dl4j}) or an export directory ({@code onnx}) at {@code path}, loaded and verified. */
    public static PackagedModel load(String path, String expectedHash, org.apache.hadoop.conf.Configuration conf,
            InferenceEngine engine) throws IOException {
        return engine == InferenceEngine.ONNX ? of(ExportedModel.load(path, conf), expectedHash)
                : load(path, expectedHash, conf);
    }

    /** A classifier for this model, idle and owned by the caller until {@link #release}. */
    public ReviewClassifier borrow() {
        ReviewClassifier c = POOL.computeIfAbsent(poolKey(engine, contentHash), k -> new ConcurrentLinkedQueue<>())
                .poll();
        return c != null ? c : newClassifier();
    }

    /** Returns a classifier taken with {@link #borrow()} to this JVM's pool. */
    public void release(ReviewClassifier c) {
        POOL.computeIfAbsent(poolKey(c.model().engine(), c.contentHash()), k -> new ConcurrentLinkedQueue<>()).add(c);
    }

    private static String poolKey(InferenceEngine engine, String contentHash) {
        return engine.key() + ":" + contentHash;
    }

    /** Builds a new classifier (a new network instance, or a new ONNX Runtime session with one thread). */
    public ReviewClassifier newClassifier() {
        SequenceEncoder encoder = new SequenceEncoder(text, vocabulary);
        if (engine == InferenceEngine.ONNX) {
            return new ReviewClassifier(new OnnxSequenceModel(model, 1), encoder, contentHash, modelName);
        }
        try {
            MultiLayerNetwork net = NetworkArchive.restore(model, false, "the network of model " + contentHash);
            return new ReviewClassifier(Dl4jSequenceModel.frozen(net), encoder, contentHash, modelName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild the network of model " + contentHash, e);
        }
    }

    public InferenceEngine engine() {
        return engine;
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

    /**
     * The checkpoint the model is (dl4j) or was exported from (onnx, as {@code export.json} records it; it may no
     * longer be reachable). Its metadata leads to the training corpus's statistics for drift reports.
     */
    public String checkpoint() {
        return checkpoint;
    }
}
