package io.reviewrnn.core.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A self-contained model checkpoint: everything needed to score text or to resume training, in one directory on
 * any Hadoop FileSystem, published atomically (see {@link AtomicDirectory}).
 *
 * <pre>
 * network.zip      DL4J ModelSerializer: configuration, parameters and updater (optimizer) state
 * vocabulary.tsv   the prepared corpus's vocabulary ({@link Vocabulary#write})
 * model.yaml       the model spec
 * metadata.json    {@link Metadata}: epoch, metrics, TextSpec, effective train config, early-stopping state, history
 * block_momentum.npy  only with a block-momentum averaging rule: its momentum buffer (a NumPy array, data only)
 * SHA256SUMS       "&lt;sha256 hex&gt;  &lt;file&gt;" per line for the files above, sorted by file name
 *                  (the format of {@code sha256sum}, so {@code sha256sum -c SHA256SUMS} verifies by hand)
 * content.sha256   the content hash: SHA-256 of the exact bytes of SHA256SUMS, as 64 lower-case hex digits
 * _SUCCESS
 * </pre>
 *
 * The content hash therefore covers every byte of the network (incl. updater state), vocabulary, spec and metadata,
 * and nothing else (not the directory name or file times). {@link #load} recomputes every file's hash and the
 * content hash and refuses a checkpoint on any mismatch. Instances are immutable apart from the network, which the
 * caller owns.
 */
public final class Checkpoint {
    public static final int FORMAT_VERSION = 1;
    public static final String NETWORK = "network.zip";
    public static final String VOCABULARY = "vocabulary.tsv";
    public static final String MODEL_SPEC = "model.yaml";
    public static final String METADATA = "metadata.json";
    public static final String CHECKSUMS = "SHA256SUMS";
    public static final String CONTENT_HASH = "content.sha256";
    /** The averaging rule's momentum buffer ({@code io.reviewrnn.core.train.BlockMomentum}), when it has one. */
    public static final String BLOCK_MOMENTUM = "block_momentum.npy";
    static final List<String> CONTENT_FILES = List.of(METADATA, MODEL_SPEC, NETWORK, VOCABULARY);
    /** Content files a checkpoint may lack; covered by SHA256SUMS and the content hash when present. */
    static final List<String> OPTIONAL_CONTENT_FILES = List.of(BLOCK_MOMENTUM);

    private final Path path;
    private final MultiLayerNetwork network;
    private final Vocabulary vocabulary;
    private final ModelSpec spec;
    private final Metadata metadata;
    private final String contentHash;
    private final INDArray blockMomentum;
    private final byte[] networkArchive;

    private Checkpoint(Path path, MultiLayerNetwork network, Vocabulary vocabulary, ModelSpec spec, Metadata metadata,
            String contentHash, INDArray blockMomentum, byte[] networkArchive) {
        this.path = path;
        this.network = network;
        this.vocabulary = vocabulary;
        this.spec = spec;
        this.metadata = metadata;
        this.contentHash = contentHash;
        this.blockMomentum = blockMomentum;
        this.networkArchive = networkArchive;
    }

    /**
     * What a checkpoint says about itself.
     *
     * @param role {@code best} or {@code last}
     * @param epoch epochs completed when it was written
     * @param config the effective train config of the run
     * @param metrics the metrics of {@code epoch}
     * @param earlyStopping early-stopping state after {@code epoch}
     * @param history all epochs up to {@code epoch}, so a resumed run has its full history
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metadata(
            @JsonProperty("format_version") int formatVersion,
            @JsonProperty("role") String role,
            @JsonProperty("epoch") int epoch,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("model_name") String modelName,
            @JsonProperty("num_params") long numParams,
            @JsonProperty("text") TextSpec text,
            @JsonProperty("corpus") String corpus,
            @JsonProperty("config") JsonNode config,
            @JsonProperty("metrics") EpochMetrics metrics,
            @JsonProperty("early_stopping") EarlyStopping.State earlyStopping,
            @JsonProperty("history") List<EpochMetrics> history) {
    }

    /** The checkpoint's content is not what its checksums say, or a file is missing. */
    public static class CorruptCheckpointException extends IOException {
        private static final long serialVersionUID = 1L;

        public CorruptCheckpointException(String message) {
            super(message);
        }
    }

    /**
     * Writes a checkpoint to {@code target}, replacing an existing one atomically: the content goes to a hidden
     * temporary sibling and is published by rename; the previous checkpoint is never modified in place. Returns
     * the content hash.
     */
    public static String write(FileSystem fs, Path target, MultiLayerNetwork network, Vocabulary vocabulary,
            ModelSpec spec, Metadata metadata) throws IOException {
        return write(fs, target, content(network, vocabulary, spec, metadata, null));
    }

    /** {@link #write} with the averaging rule's momentum buffer ({@code null}: none). */
    public static String write(FileSystem fs, Path target, MultiLayerNetwork network, Vocabulary vocabulary,
            ModelSpec spec, Metadata metadata, INDArray blockMomentum) throws IOException {
        return write(fs, target, content(network, vocabulary, spec, metadata, blockMomentum));
    }

    /** Writes serialized checkpoint content to {@code target} as {@link #write} does; returns the content hash. */
    public static String write(FileSystem fs, Path target, Content content) throws IOException {
        try (AtomicDirectory dir = AtomicDirectory.begin(fs, target, true, CONTENT_HASH)) {
            String hash = content.writeTo(fs, dir.temp());
            dir.commit();
            return hash;
        }
    }

    /**
     * The content files of a checkpoint, serialized now: the network, its updater state and the momentum buffer
     * as they are at this moment, so that the network can go on training while the bytes are written elsewhere.
     */
    public static Content content(MultiLayerNetwork network, Vocabulary vocabulary, ModelSpec spec,
            Metadata metadata, INDArray blockMomentum) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (blockMomentum != null) {
            files.put(BLOCK_MOMENTUM, Nd4j.toNpyByteArray(blockMomentum));
        }
        files.put(NETWORK, NetworkArchive.write(network, true));
        ByteArrayOutputStream vocab = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(vocab, StandardCharsets.UTF_8)) {
            vocabulary.write(w);
        }
        files.put(VOCABULARY, vocab.toByteArray());
        files.put(MODEL_SPEC, spec.toYaml().getBytes(StandardCharsets.UTF_8));
        files.put(METADATA, Yaml.json().writeValueAsBytes(metadata));
        return new Content(files);
    }

    /** Writes the checkpoint files (not {@code _SUCCESS}) into the existing directory {@code dir}. */
    static String writeContent(FileSystem fs, Path dir, MultiLayerNetwork network, Vocabulary vocabulary,
            ModelSpec spec, Metadata metadata, INDArray blockMomentum) throws IOException {
        return content(network, vocabulary, spec, metadata, blockMomentum).writeTo(fs, dir);
    }

    /** Serialized checkpoint content files by name (immutable; see {@link #content}). */
    public static final class Content {
        private final Map<String, byte[]> files;

        private Content(Map<String, byte[]> files) {
            this.files = files;
        }

        /** The same content with other metadata (e.g. the best checkpoint's role). */
        public Content withMetadata(Metadata metadata) throws IOException {
            Map<String, byte[]> copy = new TreeMap<>(files);
            copy.put(METADATA, Yaml.json().writeValueAsBytes(metadata));
            return new Content(copy);
        }

        /** Writes the files, {@code SHA256SUMS} and {@code content.sha256} into {@code dir}; returns the hash. */
        String writeTo(FileSystem fs, Path dir) throws IOException {
            StringBuilder sums = new StringBuilder();
            for (var e : files.entrySet()) {
                HadoopFiles.write(fs, new Path(dir, e.getKey()), e.getValue());
                sums.append(sha256(e.getValue())).append("  ").append(e.getKey()).append('\n');
            }
            byte[] sumsBytes = sums.toString().getBytes(StandardCharsets.UTF_8);
            HadoopFiles.write(fs, new Path(dir, CHECKSUMS), sumsBytes);
            String contentHash = sha256(sumsBytes);
            HadoopFiles.write(fs, new Path(dir, CONTENT_HASH),
                    (contentHash + "\n").getBytes(StandardCharsets.UTF_8));
            return contentHash;
        }
    }

    /** Loads and verifies the checkpoint at {@code path} (any Hadoop FileSystem URI), with its updater state. */
    public static Checkpoint load(String path) throws IOException {
        Path p = new Path(path);
        return load(p.getFileSystem(new Configuration()), p, true);
    }

    /**
     * Loads and verifies a checkpoint. If {@code path} is not a complete checkpoint but a writer died while
     * replacing it, the complete previous version it moved aside is read instead.
     */
    public static Checkpoint load(FileSystem fs, Path path, boolean loadUpdater) throws IOException {
        Path dir = AtomicDirectory.readable(fs, path);
        if (dir == null) {
            throw new FileNotFoundException("no complete checkpoint at " + fs.makeQualified(path)
                    + " (expected a directory with " + AtomicDirectory.SUCCESS + ")");
        }
        Map<String, byte[]> files = readContent(fs, dir);
        String contentHash = verify(fs, dir, files);
        Metadata metadata = Yaml.json().readValue(files.get(METADATA), Metadata.class);
        if (metadata.formatVersion() != FORMAT_VERSION) {
            throw new IOException("checkpoint " + dir + " has format_version " + metadata.formatVersion()
                    + ", this build reads " + FORMAT_VERSION);
        }
        ModelSpec spec = ModelSpec.load(new ByteArrayInputStream(files.get(MODEL_SPEC)), dir + "/" + MODEL_SPEC);
        Vocabulary vocabulary = Vocabulary.read(new InputStreamReader(new ByteArrayInputStream(files.get(VOCABULARY)),
                StandardCharsets.UTF_8));
        MultiLayerNetwork network = NetworkArchive.restore(files.get(NETWORK), loadUpdater, dir + "/" + NETWORK);
        INDArray blockMomentum = null;
        if (files.containsKey(BLOCK_MOMENTUM)) {
            blockMomentum = Nd4j.createNpyFromByteArray(files.get(BLOCK_MOMENTUM));
            if (blockMomentum.length() != network.numParams()) {
                throw new CorruptCheckpointException("checkpoint " + dir + ": " + BLOCK_MOMENTUM + " holds "
                        + blockMomentum.length() + " values, the network has " + network.numParams() + " parameters");
            }
            blockMomentum = blockMomentum.reshape(network.params().shape()).castTo(network.params().dataType());
        }
        return new Checkpoint(dir, network, vocabulary, spec, metadata, contentHash, blockMomentum,
                files.get(NETWORK));
    }

    /** The content files of a checkpoint directory: every required one, and the optional ones it has. */
    private static Map<String, byte[]> readContent(FileSystem fs, Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : CONTENT_FILES) {
            files.put(name, readRequired(fs, dir, name));
        }
        for (String name : OPTIONAL_CONTENT_FILES) {
            if (fs.exists(new Path(dir, name))) {
                files.put(name, readRequired(fs, dir, name));
            }
        }
        return files;
    }

    /** Verifies the checksums of the checkpoint at {@code path} without building the network; returns the content hash. */
    public static String verify(FileSystem fs, Path path) throws IOException {
        Path dir = AtomicDirectory.readable(fs, path);
        if (dir == null) {
            throw new FileNotFoundException("no complete checkpoint at " + fs.makeQualified(path));
        }
        return verify(fs, dir, readContent(fs, dir));
    }

    private static String verify(FileSystem fs, Path dir, Map<String, byte[]> files) throws IOException {
        byte[] sumsBytes = readRequired(fs, dir, CHECKSUMS);
        Map<String, String> expected = new TreeMap<>();
        for (String line : new String(sumsBytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int sep = line.indexOf("  ");
            if (sep != 64) {
                throw new CorruptCheckpointException(dir + "/" + CHECKSUMS + ": malformed line '" + line + "'");
            }
            expected.put(line.substring(sep + 2), line.substring(0, sep));
        }
        if (!expected.keySet().equals(files.keySet())) {
            throw new CorruptCheckpointException(dir + "/" + CHECKSUMS + " lists " + expected.keySet() + ", expected "
                    + files.keySet());
        }
        for (var e : files.entrySet()) {
            String actual = sha256(e.getValue());
            if (!actual.equals(expected.get(e.getKey()))) {
                throw new CorruptCheckpointException("checkpoint " + dir + ": " + e.getKey() + " has SHA-256 " + actual
                        + " but " + CHECKSUMS + " says " + expected.get(e.getKey()));
            }
        }
        String contentHash = sha256(sumsBytes);
        String recorded = new String(readRequired(fs, dir, CONTENT_HASH), StandardCharsets.UTF_8).trim();
        if (!contentHash.equals(recorded)) {
            throw new CorruptCheckpointException("checkpoint " + dir + ": content hash is " + contentHash + " but "
                    + CONTENT_HASH + " says " + recorded);
        }
        return contentHash;
    }

    private static byte[] readRequired(FileSystem fs, Path dir, String name) throws IOException {
        Path p = new Path(dir, name);
        if (!fs.exists(p)) {
            throw new CorruptCheckpointException("checkpoint " + dir + " lacks " + name);
        }
        try {
            return HadoopFiles.read(fs, p);
        } catch (org.apache.hadoop.fs.ChecksumException e) {
            // the file system's own block checksums caught the damage before ours could
            throw new CorruptCheckpointException("checkpoint " + dir + ": " + name + " is damaged: " + e.getMessage());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Refuses a checkpoint whose network is not the one its {@code model.yaml} and text spec describe (layer types
     * and parameter count), that has no text spec, or whose vocabulary has ids beyond {@code num_words}.
     */
    public void checkMatchesSpec() throws CheckpointMismatchException {
        TextSpec text = textSpec();
        if (text == null) {
            throw new CheckpointMismatchException("checkpoint " + path + " has no text spec in "
                    + Checkpoint.METADATA);
        }
        if (vocabulary.idLimit() > text.numWords()) {
            throw new CheckpointMismatchException("checkpoint " + path + ": vocabulary has ids up to "
                    + (vocabulary.idLimit() - 1) + " but num_words is " + text.numWords());
        }
        MultiLayerConfiguration expected;
        try {
            expected = ModelFactory.configuration(spec, text.numWords());
        } catch (RuntimeException e) {
            throw new CheckpointMismatchException("checkpoint " + path + ": model.yaml does not build: "
                    + e.getMessage());
        }
        MultiLayerConfiguration actual = network.getLayerWiseConfigurations();
        if (expected.getConfs().size() != actual.getConfs().size()) {
            throw new CheckpointMismatchException("checkpoint " + path + ": model.yaml describes "
                    + expected.getConfs().size() + " layers, the network has " + actual.getConfs().size());
        }
        for (int i = 0; i < expected.getConfs().size(); i++) {
            var e = expected.getConf(i).getLayer();
            var a = actual.getConf(i).getLayer();
            // a subclass either way is the same layer (e.g. DeepCloneLastTimeStep for checkpoints made before it)
            if (!e.getClass().isAssignableFrom(a.getClass()) && !a.getClass().isAssignableFrom(e.getClass())) {
                throw new CheckpointMismatchException("checkpoint " + path + ": layer " + i + " is "
                        + a.getClass().getSimpleName() + " but model.yaml describes " + e.getClass().getSimpleName());
            }
        }
        long want = ModelFactory.numParams(expected);
        if (want != network.numParams()) {
            throw new CheckpointMismatchException("checkpoint " + path + ": model.yaml with num_words "
                    + text.numWords() + " has " + want + " parameters, the network has " + network.numParams());
        }
    }

    /**
     * The bytes of {@code network.zip} as read and verified (with the updater state): what scoring ships to the
     * executors, which rebuild the network with {@link NetworkArchive#restore}, rather than writing it out again.
     */
    public byte[] networkArchive() {
        return networkArchive.clone();
    }

    /** The directory the checkpoint was read from (fully qualified). */
    public Path path() {
        return path;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public ModelSpec spec() {
        return spec;
    }

    public Metadata metadata() {
        return metadata;
    }

    public TextSpec textSpec() {
        return metadata.text();
    }

    public int epoch() {
        return metadata.epoch();
    }

    /** The averaging rule's momentum buffer saved with the checkpoint, or null (plain mean, or none yet). */
    public INDArray blockMomentum() {
        return blockMomentum == null ? null : blockMomentum.dup();
    }

    /** SHA-256 of SHA256SUMS, i.e. of the whole content (see the class comment). */
    public String contentHash() {
        return contentHash;
    }
}
