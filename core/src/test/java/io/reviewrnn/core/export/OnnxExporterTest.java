package io.reviewrnn.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.inference.InferenceEngine;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.store.CheckpointMismatchException;
import io.reviewrnn.core.score.PackagedModel;
import io.reviewrnn.core.score.ReviewClassifier;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.OutputExistsException;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.Monitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

/**
 * The export directory end to end on the local file system (no Spark): what it holds and says, that ONNX Runtime
 * reads its input and output as documented, that the onnx engine scores texts as the checkpoint does, that an
 * existing output is refused without overwrite, a tampered file is refused when read, and a refused network leaves
 * no output behind.
 */
class OnnxExporterTest {
    @TempDir
    Path tmp;
    private FileSystem fs;
    private Configuration conf;
    private Vocabulary vocab;

    @BeforeEach
    void setUp() throws IOException {
        conf = new Configuration();
        fs = FileSystem.getLocal(conf);
        List<WordCount> words = new ArrayList<>();
        String[] common = {"the", "movie", "film", "great", "worst", "i", "want", "my", "back", "acting", "music",
            "ending", "all", "wonderful", "hours", "ever", "fun", "plot", "good", "bad"};
        for (int i = 0; i < common.length; i++) {
            words.add(new WordCount(common[i], 1000 - i));
        }
        for (int i = words.size(); i < 497; i++) {
            words.add(new WordCount(String.format("w%03d", i), 500 - i));
        }
        vocab = Vocabulary.ofRanked(words);
    }

    private String checkpoint(String name, MultiLayerNetwork net, ModelSpec spec) throws IOException {
        Path dir = tmp.resolve(name);
        EpochMetrics m = new EpochMetrics(1, 0.6, 0.7, 0.65, 0.68, 800, 3.0, 0.4, 266);
        EarlyStopping.State s = new EarlyStopping(Monitor.VAL_LOSS, 0, 3, 10).initial();
        Checkpoint.Metadata meta = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, "best", 1,
                "2026-01-01T00:00:00Z", spec.name(), net.numParams(), OnnxExportTest.TEXT, "file:/corpus",
                Yaml.json().valueToTree(Map.of("seed", 42)), m, s, List.of(m));
        Checkpoint.write(fs, new org.apache.hadoop.fs.Path(dir.toUri()), net, vocab, spec, meta);
        return dir.toString();
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void exportHoldsTheModelItsEncodingAndWhereItCameFrom() throws Exception {
        ModelSpec spec = OnnxExportTest.spec("gru", ModelSpec.Impl.FAST);
        String cp = checkpoint("cp", OnnxExportTest.randomNetwork(spec, 7), spec);
        String hash = Checkpoint.load(cp).contentHash();
        Path out = tmp.resolve("export");

        ExportResult r = OnnxExporter.export(cp, out.toString(), false, conf);

        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("_SUCCESS", "export.json", "model.onnx", "text_spec.json", "vocabulary.tsv"),
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
        }
        assertEquals(hash, r.checkpointSha256());
        JsonNode manifest = Yaml.json().readTree(out.resolve("export.json").toFile());
        assertEquals(hash, manifest.get("checkpoint_sha256").asText());
        assertEquals(17, manifest.get("onnx").get("opset").asInt());
        assertEquals("[\"Transpose\",\"Gather\",\"GRU\",\"Squeeze\",\"Gemm\",\"Sigmoid\"]",
                manifest.get("onnx").get("operators").toString());
        assertEquals("{\"name\":\"token_ids\",\"type\":\"int64\",\"shape\":[\"batch\",100]}",
                manifest.get("input").toString());
        assertEquals("{\"name\":\"probability\",\"type\":\"float32\",\"shape\":[\"batch\",1]}",
                manifest.get("output").toString());
        for (String f : List.of("model.onnx", "text_spec.json", "vocabulary.tsv")) {
            assertEquals(sha256(out.resolve(f)), manifest.get("files").get(f).asText(), f);
        }
        assertTrue(manifest.get("verification").get("max_abs_diff").asDouble() <= 1e-5);
        assertEquals("gru", manifest.get("model_spec").get("kind").asText());
        // The exported vocabulary is the checkpoint's file, byte for byte.
        assertArrayEquals(Files.readAllBytes(Path.of(cp, "vocabulary.tsv")),
                Files.readAllBytes(out.resolve("vocabulary.tsv")));

        // ONNX Runtime's own view of the file: names, types and shapes as documented, our metadata.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(out.resolve("model.onnx").toString(), new OrtSession.SessionOptions())) {
            NodeInfo in = s.getInputInfo().get("token_ids");
            assertEquals(OnnxJavaType.INT64, ((TensorInfo) in.getInfo()).type);
            assertArrayEquals(new long[] {-1, 100}, ((TensorInfo) in.getInfo()).getShape());
            NodeInfo o = s.getOutputInfo().get("probability");
            assertEquals(OnnxJavaType.FLOAT, ((TensorInfo) o.getInfo()).type);
            assertArrayEquals(new long[] {-1, 1}, ((TensorInfo) o.getInfo()).getShape());
            assertEquals(hash, s.getMetadata().getCustomMetadata().get("review_rnn.checkpoint_sha256"));
        }

        // text_spec.json: the rules, and examples a re-implementation can test against (checked by hand here).
        JsonNode text = Yaml.json().readTree(out.resolve("text_spec.json").toFile());
        assertEquals(500, text.get("num_words").asInt());
        assertEquals(100, text.get("maxlen").asInt());
        assertEquals("pre", text.get("padding").asText());
        assertEquals("{\"padding\":0,\"start\":1,\"oov\":2}", text.get("reserved_ids").toString());
        JsonNode ex = text.get("examples").get(1);
        assertEquals("Worst movie ever... I want my 2 hours back :(", ex.get("text").asText());
        assertEquals("[\"worst\",\"movie\",\"ever\",\"i\",\"want\",\"my\",\"2\",\"hours\",\"back\"]",
                ex.get("tokens").toString());
        int[] ids = Yaml.json().treeToValue(ex.get("ids"), int[].class);
        assertEquals(100, ids.length);
        // pre-padding, start marker, "worst"=7 "movie"=4 "ever"=18 "i"=8 "want"=9 "my"=10 "2"=oov "hours"=17 "back"=11
        assertArrayEquals(new int[] {1, 7, 4, 18, 8, 9, 10, 2, 17, 11}, java.util.Arrays.copyOfRange(ids, 90, 100));
        assertEquals(0, ids[89]);

        // Read back: the same text spec and vocabulary as the checkpoint.
        ExportedModel e = ExportedModel.load(out.toString(), conf);
        assertEquals(OnnxExportTest.TEXT, e.textSpec());
        assertEquals(vocab, e.vocabulary());
        assertEquals(hash, e.checkpointSha256());
    }

    @Test
    void theOnnxEngineScoresTextsAsTheCheckpointDoes() throws Exception {
        ModelSpec spec = OnnxExportTest.spec("lstm-2layer", ModelSpec.Impl.FAST);
        String cp = checkpoint("cp", OnnxExportTest.randomNetwork(spec, 7), spec);
        String out = tmp.resolve("export").toString();
        OnnxExporter.export(cp, out, false, conf);
        List<String> texts = new ArrayList<>();
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < 5 + r.nextInt(140); w++) {
                b.append(vocab.tokenOf(3 + r.nextInt(vocab.size() + 20) % vocab.size())).append(r.nextInt(9) == 0
                        ? ". " : " ");
            }
            texts.add(b.toString());
        }
        ReviewClassifier dl4j = ReviewClassifier.load(cp, null, InferenceEngine.DL4J);
        ReviewClassifier onnx = ReviewClassifier.load(out, null, InferenceEngine.ONNX);
        assertEquals(InferenceEngine.ONNX, onnx.model().engine());
        assertEquals(dl4j.contentHash(), onnx.contentHash());
        double[] a = dl4j.predictTexts(texts);
        double[] b = onnx.predictTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(a[i], b[i], 1e-5, "review " + i);
        }
        String other = "0".repeat(64);
        CheckpointMismatchException m = assertThrows(CheckpointMismatchException.class,
                () -> PackagedModel.load(out, other, conf, InferenceEngine.ONNX));
        assertTrue(m.getMessage().contains("expected " + other), m.getMessage());
        // The onnx engine wants an export, and says so when given a checkpoint.
        IOException notExport = assertThrows(IOException.class, () -> ExportedModel.load(cp, conf));
        assertTrue(notExport.getMessage().contains("it is a checkpoint"), notExport.getMessage());
    }

    @Test
    void existingOutputIsKeptUnlessOverwriteAndTamperingIsCaught() throws Exception {
        ModelSpec spec = OnnxExportTest.spec("simplernn-onehot", ModelSpec.Impl.FAST);
        String cp = checkpoint("cp", OnnxExportTest.randomNetwork(spec, 7), spec);
        Path out = tmp.resolve("export");
        OnnxExporter.export(cp, out.toString(), false, conf);
        byte[] before = Files.readAllBytes(out.resolve("model.onnx"));
        byte[] textSpec = Files.readAllBytes(out.resolve("text_spec.json"));
        assertThrows(OutputExistsException.class, () -> OnnxExporter.export(cp, out.toString(), false, conf));
        OnnxExporter.export(cp, out.toString(), true, conf);
        assertArrayEquals(before, Files.readAllBytes(out.resolve("model.onnx")), "the same checkpoint, the same bytes");
        assertArrayEquals(textSpec, Files.readAllBytes(out.resolve("text_spec.json")));

        byte[] tampered = before.clone();
        tampered[tampered.length - 3] ^= 1;
        Files.write(out.resolve("model.onnx"), tampered);
        Files.deleteIfExists(out.resolve(".model.onnx.crc"));
        IOException e = assertThrows(IOException.class, () -> ExportedModel.load(out.toString(), conf));
        assertTrue(e.getMessage().contains("model.onnx has SHA-256"), e.getMessage());
    }

    @Test
    void aRefusedNetworkLeavesNoOutput() throws Exception {
        ModelSpec spec = OnnxExportTest.spec("simplernn-embedding", ModelSpec.Impl.REFERENCE);
        String cp = checkpoint("cp", OnnxExportTest.simpleRnn(Activation.RATIONALTANH, false), spec);
        Path out = tmp.resolve("export");
        ExportRefusedException e = assertThrows(ExportRefusedException.class,
                () -> OnnxExporter.export(cp, out.toString(), false, conf));
        assertTrue(e.getMessage().contains("rationaltanh"), e.getMessage());
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of("cp"), left.map(p -> p.getFileName().toString()).toList(), "no temporary output");
        }
    }
}
