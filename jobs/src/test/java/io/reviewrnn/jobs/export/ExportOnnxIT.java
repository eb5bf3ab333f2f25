package io.reviewrnn.jobs.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticCorpusWriter;
import io.reviewrnn.core.corpus.SyntheticReview;
import io.reviewrnn.core.export.ExportedModel;
import io.reviewrnn.core.inference.InferenceEngine;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.score.ReviewClassifier;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.text.PaddingMode;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.jobs.cli.Main;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.score.ScoreJob;
import io.reviewrnn.jobs.score.ScoreResult;
import io.reviewrnn.jobs.testing.LocalSpark;
import io.reviewrnn.jobs.testing.MiniHdfs;
import io.reviewrnn.jobs.train.TrainJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 18's proof: each of the six model specs of conf/models trains one epoch with the real train job on the
 * generated corpus, is exported with {@code review-rnn export --format onnx} (to a local path or a file:// URI), and
 * its {@code model.onnx}, loaded in ONNX Runtime for Java (CPU) and fed ids encoded with the export's own
 * vocabulary.tsv and text_spec.json, gives the checkpoint's probabilities for 1,000 reviews to 1e-5. A network ONNX
 * cannot express is refused by the command with the reason, and nothing is written. {@code score} and
 * {@code predict} with {@code --engine onnx} agree with {@code --engine dl4j} on the same data, and an export to and
 * from HDFS (MiniDFSCluster) scores. One shared local[2] session (prepare, train, score); maxlen 40 keeps it quick.
 */
class ExportOnnxIT {
    private static final Logger LOG = LoggerFactory.getLogger(ExportOnnxIT.class);
    static final int TRAIN = 1200;
    static final int REVIEWS = 1000;
    static final int MAXLEN = 40;
    static final double TOLERANCE = 1e-5;

    private static Path root;
    private static String raw;
    private static String prepared;
    private static List<String> reviews;
    private static final Map<String, String> CHECKPOINTS = new HashMap<>();
    private static MiniHdfs hdfs;

    @BeforeAll
    static void corpus() throws Exception {
        root = Files.createTempDirectory("export-it");
        SparkSession spark = LocalSpark.get();
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path rawPath = new org.apache.hadoop.fs.Path(root.resolve("raw.jsonl").toUri());
        SyntheticCorpusWriter.write(new SyntheticCorpusGenerator(7).corpus(TRAIN, REVIEWS), fs, rawPath,
                CorpusFormat.JSONL, false);
        raw = rawPath.toString();
        prepared = root.resolve("prepared").toUri().toString();
        new PrepareJob(PrepareConfig.builder().setInput(CorpusSource.of(raw)).setOutput(prepared)
                .optText(new TextSpec(500, MAXLEN, PaddingMode.PRE, PaddingMode.PRE, true)).optPartitions(4).build())
                .run(spark);
        reviews = new ArrayList<>();
        for (Iterator<SyntheticReview> it = new SyntheticCorpusGenerator(7).corpus(TRAIN, REVIEWS); it.hasNext(); ) {
            SyntheticReview r = it.next();
            if (r.split().equals("test")) {
                reviews.add(r.text());
            }
        }
        assertEquals(REVIEWS, reviews.size());
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /** The best checkpoint of a 1-epoch run of conf/models/{spec}.yaml, trained once per JVM. */
    private static synchronized String checkpoint(String spec) throws Exception {
        String done = CHECKPOINTS.get(spec);
        if (done != null) {
            return done;
        }
        Path models = Path.of(System.getProperty("project.root", ".."), "conf", "models");
        String yaml = "corpus: " + prepared + "\nmodel: " + models.resolve(spec + ".yaml").toUri()
                + "\nrun_dir: " + root.resolve("run-" + spec).toUri() + "\nmax_epochs: 1\n";
        TrainConfig c = Yaml.read(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                TrainConfig.class, "test");
        String best = new TrainJob(c).run(LocalSpark.get()).bestCheckpoint();
        CHECKPOINTS.put(spec, best);
        return best;
    }

    /** Runs the CLI; returns its exit code, with what it printed to stdout and stderr in {@code out}/{@code err}. */
    private static int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            return Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void export(String checkpoint, String out) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int rc = cli(stdout, stderr, "export", "--model", checkpoint, "--format", "onnx", "--output", out);
        assertEquals(0, rc, stderr.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("exported "), stdout.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simplernn-onehot", "simplernn-embedding", "lstm", "lstm-dropout", "lstm-2layer", "gru"})
    void exportedModelGivesTheCheckpointsProbabilities(String spec) throws Exception {
        String checkpoint = checkpoint(spec);
        // Local paths and file:// URIs both work; the LSTM specs take the URI.
        Path dir = root.resolve("onnx-" + spec);
        String out = spec.startsWith("lstm") ? dir.toUri().toString() : dir.toString();
        export(checkpoint, out);

        // The checkpoint's own probabilities, with its own encoder.
        ReviewClassifier dl4j = ReviewClassifier.load(checkpoint, null);
        assertEquals(MAXLEN, dl4j.textSpec().maxlen());
        List<int[]> ids = new ArrayList<>();
        for (String t : reviews) {
            ids.add(dl4j.encode(t).ids());
        }
        double[] expected = new double[REVIEWS];
        for (int from = 0; from < REVIEWS; from += 250) {
            double[] p = dl4j.predictIds(ids.subList(from, from + 250));
            System.arraycopy(p, 0, expected, from, p.length);
        }

        // The export's encoding files give the same ids.
        ExportedModel export = ExportedModel.load(out, new Configuration());
        assertEquals(Checkpoint.load(checkpoint).contentHash(), export.checkpointSha256());
        for (String f : List.of("model.onnx", "vocabulary.tsv", "text_spec.json", "export.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        int maxlen = export.textSpec().maxlen();
        assertEquals(MAXLEN, maxlen);
        SequenceEncoder portable = new SequenceEncoder(export.textSpec(), export.vocabulary());
        long[] flat = new long[REVIEWS * maxlen];
        for (int i = 0; i < REVIEWS; i++) {
            int[] row = portable.encode(reviews.get(i)).ids();
            assertArrayEquals(ids.get(i), row, "review " + i + " encodes differently from the export's files");
            for (int t = 0; t < row.length; t++) {
                flat[i * maxlen + t] = row[t];
            }
        }

        // model.onnx in ONNX Runtime for Java, CPU, all 1,000 reviews in one call.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] actual;
        try (OrtSession session = env.createSession(dir.resolve("model.onnx").toString(),
                new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[] {REVIEWS, maxlen});
                OrtSession.Result r = session.run(Map.of("token_ids", in))) {
            actual = (float[][]) r.get("probability").orElseThrow().getValue();
        }
        assertEquals(REVIEWS, actual.length);
        double worst = 0;
        double min = 1;
        double max = 0;
        for (int i = 0; i < REVIEWS; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i][0]));
            min = Math.min(min, expected[i]);
            max = Math.max(max, expected[i]);
        }
        LOG.info("{}: max |p_onnx - p_dl4j| = {} over {} reviews (checkpoint probabilities {} .. {})", spec, worst,
                REVIEWS, min, max);
        assertTrue(worst <= TOLERANCE, spec + ": max |difference| " + worst + " > " + TOLERANCE);
        assertTrue(max - min > 1e-3, spec + ": probabilities " + min + " .. " + max + " too uniform to compare");
    }

    /** id -> probability of a score run's predictions. */
    private static Map<String, Double> predictions(ScoreResult r) {
        Map<String, Double> p = new HashMap<>();
        for (Row row : LocalSpark.get().read().parquet(r.predictions()).select("id", "probability").collectAsList()) {
            p.put(row.getString(0), row.getDouble(1));
        }
        return p;
    }

    @Test
    void scoreAndPredictWithTheOnnxEngineAgreeWithTheDl4jEngine() throws Exception {
        String checkpoint = checkpoint("gru");
        String export = root.resolve("engines-gru").toString();
        export(checkpoint, export);
        SparkSession spark = LocalSpark.get();
        String hash = Checkpoint.load(checkpoint).contentHash();

        // score: the same raw corpus through both engines, in one JVM (so a model cache that ignored the engine
        // would hand the onnx run the dl4j network).
        ScoreResult dl4j = new ScoreJob(ScoreConfig.builder().setModel(checkpoint).setInput(CorpusSource.of(raw))
                .setOutput(root.resolve("score-dl4j").toString()).optOutputFormat("parquet").optExpectedHash(hash)
                .optEngine(InferenceEngine.DL4J).build()).run(spark);
        ScoreResult onnx = new ScoreJob(ScoreConfig.builder().setModel(export).setInput(CorpusSource.of(raw))
                .setOutput(root.resolve("score-onnx").toString()).optOutputFormat("parquet").optExpectedHash(hash)
                .optEngine(InferenceEngine.ONNX).build()).run(spark);
        assertEquals(TRAIN + REVIEWS, dl4j.scored());
        assertEquals(dl4j.scored(), onnx.scored());
        assertEquals(hash, onnx.modelHash());
        assertTrue(onnx.drift() != null && onnx.drift().trainOovRate() != null,
                "the export leads drift to the checkpoint's training corpus: " + onnx.drift());
        Map<String, Double> a = predictions(dl4j);
        Map<String, Double> b = predictions(onnx);
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (var e : a.entrySet()) {
            worst = Math.max(worst, Math.abs(e.getValue() - b.get(e.getKey())));
        }
        LOG.info("score: max |p_onnx - p_dl4j| = {} over {} records", worst, a.size());
        assertTrue(worst <= TOLERANCE, "score engines differ by " + worst);
        // Float kernels with other summation orders: bit-identical output on every record would mean that the
        // onnx run did not use ONNX Runtime.
        assertTrue(worst > 0, "the onnx engine returned the dl4j engine's exact probabilities");

        // predict: the same texts through both engines.
        String[] texts = {"A wonderful, moving film with a great cast.", "Dull, boring and far too long.",
            reviews.get(0)};
        List<Double> viaDl4j = predictCli(List.of("--model", checkpoint), texts);
        List<Double> viaOnnx = predictCli(List.of("--engine", "onnx", "--model", export), texts);
        assertEquals(texts.length, viaOnnx.size());
        for (int i = 0; i < texts.length; i++) {
            // predict prints 6 decimals
            assertEquals(viaDl4j.get(i), viaOnnx.get(i), TOLERANCE + 1e-6, "predict, text " + i);
        }
        // the export of a checkpoint is no checkpoint, and the reverse
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, cli(new ByteArrayOutputStream(), err, "predict", "--engine", "onnx", "--model", checkpoint,
                "text"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("it is a checkpoint: export it with review-rnn "
                + "export --format onnx, or use --engine dl4j"), err.toString(StandardCharsets.UTF_8));
    }

    private static List<Double> predictCli(List<String> options, String... texts) {
        List<String> args = new ArrayList<>(List.of("predict"));
        args.addAll(options);
        args.addAll(List.of(texts));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, cli(out, err, args.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
        List<Double> p = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                p.add(Double.parseDouble(line.split("\t")[0]));
            }
        }
        return p;
    }

    @Test
    void exportsFromAndToHdfsAndScoresFromThere() throws Exception {
        String checkpoint = checkpoint("lstm");
        hdfs = new MiniHdfs(root.resolve("minidfs"));
        LocalSpark.get().sparkContext().hadoopConfiguration().set("dfs.replication", "1");
        FileSystem fs = hdfs.fs();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(checkpoint),
                new org.apache.hadoop.fs.Path("/models/lstm"));
        String export = hdfs.uri() + "/exports/lstm";
        export(hdfs.uri() + "/models/lstm", export);
        for (String f : List.of("model.onnx", "vocabulary.tsv", "text_spec.json", "export.json", "_SUCCESS")) {
            assertTrue(fs.isFile(new org.apache.hadoop.fs.Path("/exports/lstm/" + f)), f + " on HDFS");
        }
        ExportedModel e = ExportedModel.load(export, new Configuration());
        String hash = Checkpoint.load(checkpoint).contentHash();
        assertEquals(hash, e.checkpointSha256());

        try (var o = fs.create(new org.apache.hadoop.fs.Path("/data/lines.txt"))) {
            o.write(String.join("\n", reviews.subList(0, 50)).getBytes(StandardCharsets.UTF_8));
        }
        ScoreResult r = new ScoreJob(ScoreConfig.builder().setModel(export)
                .setInput(CorpusSource.of(hdfs.uri() + "/data/lines.txt")).setOutput(hdfs.uri() + "/out/onnx")
                .optOutputFormat("parquet").optExpectedHash(hash).optEngine(InferenceEngine.ONNX).build())
                .run(LocalSpark.get());
        assertEquals(50, r.scored());
        assertTrue(r.output().startsWith("hdfs://"), r.output());
        double[] expected = ReviewClassifier.load(checkpoint, hash).predictTexts(reviews.subList(0, 50));
        List<Double> sortedExpected = new ArrayList<>();
        for (double p : expected) {
            sortedExpected.add(p);
        }
        List<Double> sortedActual = new ArrayList<>(predictions(r).values());
        sortedExpected.sort(null);
        sortedActual.sort(null);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(sortedExpected.get(i), sortedActual.get(i), TOLERANCE, "rank " + i);
        }
    }

    @Test
    void aNetworkOnnxCannotExpressIsRefusedWithTheReason() throws Exception {
        // A stock DL4J SimpleRnn with a rational-approximation tanh: no ONNX recurrent operator computes it.
        var conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(500).nOut(16).hasBias(false).build())
                .layer(new LastTimeStep(new SimpleRnn.Builder().nIn(16).nOut(8).activation(Activation.RATIONALTANH)
                        .build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(8).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ModelSpec spec = ModelSpec.load(Path.of(System.getProperty("project.root", ".."), "conf", "models",
                "simplernn-embedding.yaml"));
        Checkpoint.Metadata meta = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, "best", 1,
                "2026-01-01T00:00:00Z", "rational-tanh", net.numParams(), TextSpec.defaults(), prepared,
                Yaml.json().createObjectNode(), null, null, List.of());
        Path cp = root.resolve("rational-tanh");
        Checkpoint.write(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(cp.toUri()), net,
                io.reviewrnn.core.text.Vocabulary.ofRanked(List.of()), spec, meta);
        Path out = root.resolve("onnx-rational-tanh");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = cli(new ByteArrayOutputStream(), err, "export", "--model", cp.toString(), "--format", "onnx",
                "--output", out.toString());
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, message);
        assertTrue(message.contains("review-rnn export failed: layer 1: activation rationaltanh has no counterpart "
                + "among the activations of ONNX's recurrent operators"), message);
        assertFalse(Files.exists(out), "a refused export writes nothing");
    }
}
