package io.reviewrnn.core.export;

import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.export.onnx.ModelProto;
import io.reviewrnn.core.inference.Dl4jSequenceModel;
import io.reviewrnn.core.inference.OnnxSequenceModel;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code review-rnn export --format onnx}: writes a checkpoint as a portable model directory, committed atomically
 * (see {@link AtomicDirectory}; an existing output is refused unless {@code overwrite}):
 *
 * <pre>
 * model.onnx       token_ids int64 [batch, maxlen] → probability float [batch, 1] ({@link OnnxModelBuilder})
 * vocabulary.tsv   the checkpoint's vocabulary, as written in checkpoints and prepared corpora
 * text_spec.json   tokenizer rules, num_words, maxlen, padding, truncating, reserved ids, examples ({@link PortableTextSpec})
 * export.json      checkpoint content hash, opset, shapes, the verification, SHA-256 of the files ({@link ExportManifest})
 * _SUCCESS
 * </pre>
 *
 * Steps: load and verify the checkpoint; check that its network is what its {@code model.yaml} describes; read the
 * network into an {@link InferenceGraph} (refusing what cannot be expressed exactly); build the ONNX model; run
 * {@value #VERIFY_REVIEWS} id sequences through the checkpoint's network and through the written model in ONNX
 * Runtime and refuse to publish unless every probability agrees within {@value #TOLERANCE}; write and commit.
 * No Spark. Stateless and thread-safe.
 */
public final class OnnxExporter {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxExporter.class);
    public static final String MODEL = "model.onnx";
    public static final String VOCABULARY = "vocabulary.tsv";
    public static final String TEXT_SPEC = "text_spec.json";
    public static final String MANIFEST = "export.json";
    /** Largest absolute difference of a probability between the checkpoint and the written model. */
    public static final double TOLERANCE = 1e-5;
    static final int VERIFY_REVIEWS = 256;
    /** Texts encoded into text_spec.json's examples, so callers can test their own encoding. */
    static final List<String> EXAMPLE_TEXTS = List.of(
            "A wonderful film.<br /><br />The acting, the music &amp; the ending: all GREAT!",
            "Worst movie ever... I want my 2 hours back :(",
            "Café crème, naïve plot — still fun?");

    private OnnxExporter() {
    }

    /** Loads the checkpoint at {@code checkpoint} and writes its export to {@code output} (any Hadoop FS URI). */
    public static ExportResult export(String checkpoint, String output, boolean overwrite, Configuration conf)
            throws IOException {
        long t0 = System.nanoTime();
        Path out = new Path(output);
        FileSystem outFs = out.getFileSystem(conf);
        try (AtomicDirectory dir = AtomicDirectory.begin(outFs, out, overwrite, MANIFEST)) {
            Path cp = new Path(checkpoint);
            Checkpoint c = Checkpoint.load(cp.getFileSystem(conf), cp, false);
            if (c.textSpec() == null) {
                throw new IOException("checkpoint " + c.path() + " has no text spec in " + Checkpoint.METADATA);
            }
            LOG.info("exporting checkpoint {} (model {}, epoch {}, sha256 {}) to ONNX", c.path(),
                    c.metadata().modelName(), c.epoch(), c.contentHash());
            InferenceGraph graph = InferenceGraph.of(c.network());
            byte[] model = model(c, graph).toByteArray();
            ExportManifest.Verification verification = verify(c.network(), model, c.textSpec(), c.contentHash());
            LOG.info("ONNX Runtime {} agrees with the checkpoint on {} reviews: max |difference| {} (tolerance {})",
                    verification.runtime(), verification.reviews(), verification.maxAbsDiff(), TOLERANCE);

            Map<String, byte[]> files = new TreeMap<>();
            files.put(MODEL, model);
            ByteArrayOutputStream vocab = new ByteArrayOutputStream();
            try (Writer w = new OutputStreamWriter(vocab, StandardCharsets.UTF_8)) {
                c.vocabulary().write(w);
            }
            files.put(VOCABULARY, vocab.toByteArray());
            files.put(TEXT_SPEC, Yaml.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    PortableTextSpec.of(c.textSpec(), c.vocabulary(), VOCABULARY, EXAMPLE_TEXTS)));
            Map<String, String> sums = new TreeMap<>();
            files.forEach((name, bytes) -> sums.put(name, sha256(bytes)));
            ExportManifest manifest = manifest(c, graph, verification, sums);
            files.put(MANIFEST, Yaml.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));

            Map<String, Long> sizes = new LinkedHashMap<>();
            for (var e : files.entrySet()) {
                HadoopFiles.write(outFs, new Path(dir.temp(), e.getKey()), e.getValue());
                sizes.put(e.getKey(), (long) e.getValue().length);
            }
            dir.commit();
            double seconds = (System.nanoTime() - t0) / 1e9;
            LOG.info("exported {} to {} in {} s", c.metadata().modelName(), dir.target(),
                    String.format("%.1f", seconds));
            return new ExportResult(dir.target().toString(), c.path().toString(), c.contentHash(),
                    c.metadata().modelName(), sizes, verification, seconds);
        }
    }

    /** The ONNX model of a loaded checkpoint (its network read with {@link InferenceGraph#of}). */
    public static ModelProto model(Checkpoint c) {
        return model(c, InferenceGraph.of(c.network()));
    }

    private static ModelProto model(Checkpoint c, InferenceGraph graph) {
        TextSpec text = c.textSpec();
        graph.checkDescribes(c.spec(), text.numWords());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("review_rnn.checkpoint_sha256", c.contentHash());
        metadata.put("review_rnn.model_name", c.metadata().modelName());
        metadata.put("review_rnn.num_words", Integer.toString(text.numWords()));
        metadata.put("review_rnn.maxlen", Integer.toString(text.maxlen()));
        metadata.put("review_rnn.padding", text.padding().key());
        metadata.put("review_rnn.truncating", text.truncating().key());
        metadata.put("review_rnn.start_marker", Boolean.toString(text.startMarker()));
        return OnnxModelBuilder.build(graph, text.maxlen(), c.metadata().modelName(), producerVersion(), metadata);
    }

    /**
     * Runs {@value #VERIFY_REVIEWS} random reviews (random lengths, padded and truncated as the text spec says)
     * through {@code network} and through {@code onnx} in ONNX Runtime; refuses when a probability differs by more
     * than {@value #TOLERANCE}.
     */
    static ExportManifest.Verification verify(MultiLayerNetwork network, byte[] onnx, TextSpec text, String seed) {
        List<int[]> reviews = randomReviews(text, VERIFY_REVIEWS, seed.hashCode());
        double[] expected = new Dl4jSequenceModel(network).predict(reviews, text.maxlen());
        double[] actual;
        try (OnnxSequenceModel m = new OnnxSequenceModel(onnx, 1)) {
            actual = m.predict(reviews, text.maxlen());
        }
        double max = 0;
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= max)) {
                max = d;
                worst = i;
            }
        }
        if (!(max <= TOLERANCE)) {
            throw new ExportRefusedException("the ONNX model disagrees with the checkpoint's network: review " + worst
                    + " of the verification set gives " + actual[worst] + " in ONNX Runtime and " + expected[worst]
                    + " in DL4J (|difference| " + max + " > tolerance " + TOLERANCE + "); nothing was written");
        }
        return new ExportManifest.Verification("onnxruntime " + OnnxSequenceModel.runtimeVersion(), reviews.size(), max,
                TOLERANCE);
    }

    /** Reviews of random words and lengths (0 to 1.5 maxlen tokens), encoded as the text spec says. */
    static List<int[]> randomReviews(TextSpec text, int n, long seed) {
        Random r = new Random(seed);
        SequenceEncoder pad = new SequenceEncoder(text, io.reviewrnn.core.text.Vocabulary.ofRanked(List.of()));
        List<int[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = r.nextInt(text.maxlen() * 3 / 2 + 1);
            int[] raw = new int[len + 1];
            raw[0] = TextSpec.START_ID;
            for (int t = 1; t <= len; t++) {
                raw[t] = TextSpec.OOV_ID + r.nextInt(text.numWords() - TextSpec.OOV_ID);
            }
            out.add(text.startMarker() ? pad.pad(raw, raw.length)
                    : pad.pad(java.util.Arrays.copyOfRange(raw, 1, raw.length), len));
        }
        return out;
    }

    private static ExportManifest manifest(Checkpoint c, InferenceGraph graph,
            ExportManifest.Verification verification, Map<String, String> sums) {
        int maxlen = c.textSpec().maxlen();
        return new ExportManifest(ExportManifest.FORMAT_VERSION, "onnx",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "review-rnn " + producerVersion(),
                c.path().toString(), c.contentHash(), c.metadata().modelName(), c.spec(), c.epoch(),
                new ExportManifest.Onnx(OnnxModelBuilder.OPSET, OnnxModelBuilder.IR_VERSION,
                        List.copyOf(OnnxModelBuilder.operators(graph))),
                new ExportManifest.Tensor(OnnxModelBuilder.INPUT, "int64", List.of(OnnxModelBuilder.BATCH, maxlen)),
                new ExportManifest.Tensor(OnnxModelBuilder.OUTPUT, "float32", List.of(OnnxModelBuilder.BATCH, 1)),
                verification, sums);
    }

    private static String producerVersion() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
