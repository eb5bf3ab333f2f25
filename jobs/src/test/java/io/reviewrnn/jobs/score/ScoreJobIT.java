package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.store.CheckpointMismatchException;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.OutputExistsException;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.jobs.io.CorpusReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** {@code score} on local[2] with the generated corpus and a checkpoint trained in the test. */
class ScoreJobIT {
    /**
     * How far a scored probability may be from DL4J's own network called on the same ids. Scoring runs the
     * checkpoint's inference form (the embedding folded into the recurrent layer, {@code EmbeddingFolding}), whose
     * float rounding differs from the two-layer network's: about 1e-6 over a review's recurrent steps with this
     * fixture's weights (1.01e-6 measured). A wrong id, a shifted sequence or another model moves a probability by
     * 1e-3 or more.
     */
    private static final double FLOAT_TOLERANCE = 1e-5;


    private static ScoreConfig config(String input, CorpusFormat format, Path out, String outputFormat,
            Integer maxChars, String expectedHash, boolean overwrite) throws Exception {
        CorpusSource src = CorpusSource.of(input).withFormat(format);
        return ScoreConfig.builder().setModel(ScoreFixtures.checkpoint()).setInput(src)
                .setOutput(out.toUri().toString()).optOutputFormat(outputFormat).optExpectedHash(expectedHash)
                .optBatchSize(37).optMaxReviewChars(maxChars).optPartitions(3).optProgressSeconds(1)
                .optOverwrite(overwrite).build();
    }

    private static Map<String, String> textsById(SparkSession spark, String input, CorpusFormat format)
            throws Exception {
        Map<String, String> m = new HashMap<>();
        for (Row r : spark.createDataFrame(CorpusReader.read(spark, CorpusSource.of(input).withFormat(format), null,
                1_000_000, 2, true), io.reviewrnn.jobs.io.RawReviews.SCHEMA).select("id", "text").collectAsList()) {
            m.put(r.getString(0), r.getString(1));
        }
        return m;
    }

    @Test
    void scoresEveryReviewExactlyAsTheNetworkCalledDirectly() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Path out = ScoreFixtures.root().resolve("scored-acl");
        String input = ScoreFixtures.rawCorpus().toString();

        ScoreResult r = new ScoreJob(config(input, CorpusFormat.AUTO, out, "parquet", null, null, false)).run(spark);

        int n = ScoreFixtures.TRAIN + ScoreFixtures.TEST;
        assertEquals(n, r.recordsIn());
        assertEquals(n, r.scored());
        assertEquals(0, r.rejected());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(Files.exists(out.resolve(ScoreJob.SUMMARY)));
        Checkpoint c = Checkpoint.load(ScoreFixtures.checkpoint());
        assertEquals(c.contentHash(), r.modelHash());

        List<Row> rows = spark.read().parquet(out.resolve(ScoreJob.PREDICTIONS).toString()).collectAsList();
        assertEquals(n, rows.size());
        Map<String, String> texts = textsById(spark, input, CorpusFormat.AUTO);
        List<EncodedReview> encoded = new java.util.ArrayList<>();
        List<int[]> ids = new java.util.ArrayList<>();
        for (Row row : rows) {
            EncodedReview e = Direct.encode(c, texts.get((String) row.getAs("id")));
            encoded.add(e);
            ids.add(e.ids());
        }
        double[] direct = Direct.predictAll(c, ids);
        double maxDiff = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String id = row.getAs("id");
            EncodedReview e = encoded.get(i);
            double p = row.getAs("probability");
            maxDiff = Math.max(maxDiff, Math.abs(p - direct[i]));
            assertEquals(p >= 0.5 ? 1 : 0, (int) row.getAs("predicted_label"));
            assertEquals(e.tokenCount(), (int) row.getAs("token_count"), id);
            assertEquals(e.oovCount(), (int) row.getAs("oov_count"), id);
            assertEquals(e.truncated(), row.getAs("truncated"), id);
            assertEquals(c.contentHash(), row.getAs("model_sha256"));
            assertEquals("tiny-lstm", row.getAs("model"));
        }
        assertTrue(maxDiff < FLOAT_TOLERANCE, "score equals the direct network call, max diff " + maxDiff);

        // drift: the training split's rates come from the corpus manifest; the scored set is the same distribution
        PrepareManifest m = Yaml.json().readValue(Files.readAllBytes(Path.of(java.net.URI.create(
                ScoreFixtures.prepared())).resolve(PreparedLayout.MANIFEST)), PrepareManifest.class);
        Drift d = r.drift();
        assertEquals(m.splits().get(PreparedLayout.TRAIN).oovRate(), d.trainOovRate(), 1e-12);
        assertEquals(m.splits().get(PreparedLayout.TRAIN).truncatedShare(), d.trainTruncatedRate(), 1e-12);
        assertTrue(d.oovRate() > 0 && Math.abs(d.oovRate() - d.trainOovRate()) < 0.05, d.toString());

        // existing output: refused without overwrite, replaced with it
        assertThrows(OutputExistsException.class,
                () -> new ScoreJob(config(input, CorpusFormat.AUTO, out, "parquet", null, null, false)).run(spark));
        ScoreResult again = new ScoreJob(config(input, CorpusFormat.AUTO, out, "csv", null, null, true)).run(spark);
        assertEquals(n, again.scored());
        assertEquals(n, spark.read().option("header", true).csv(out.resolve(ScoreJob.PREDICTIONS).toString()).count());
    }

    @Test
    void aTaskThatFailsAfterWritingAndIsRetriedIsCountedOnce() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        String input = ScoreFixtures.rawCorpus().toString();
        Path out = ScoreFixtures.root().resolve("scored-retried");
        // partition 0's first predictions file is written in full, then its task fails; Spark retries the task
        io.reviewrnn.jobs.testing.FlakyFileSystem.failNext(1, p -> p.toString().contains("/_attempts/predictions/")
                && p.getName().startsWith("part-00000-"));
        ScoreConfig c = ScoreConfig.builder().setModel(ScoreFixtures.checkpoint()).setInput(CorpusSource.of(input))
                .setOutput("flaky://" + out.toAbsolutePath()).optOutputFormat("parquet").optBatchSize(64)
                .optPartitions(3).optProgressSeconds(1).build();

        ScoreResult r = new ScoreJob(c).run(spark);

        assertEquals(1, io.reviewrnn.jobs.testing.FlakyFileSystem.injected(), "the failure was injected");
        int n = ScoreFixtures.TRAIN + ScoreFixtures.TEST;
        assertEquals(n, r.recordsIn());
        assertEquals(n, r.scored());
        assertEquals(0, r.rejected());
        Dataset<Row> written = spark.read().parquet(out.resolve(ScoreJob.PREDICTIONS).toString());
        assertEquals(n, written.count());
        assertEquals(n, written.select("id").distinct().count());
        assertFalse(Files.exists(out.resolve("_attempts")), "the failed attempt's file is not left behind");
    }

    @Test
    void csvWithQuotedNewlinesAndBadRecordsGoesToPredictionsOrRejectsNeverNowhere() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Path dir = Files.createDirectories(ScoreFixtures.root().resolve("csv-in"));
        Path csv = dir.resolve("reviews.csv");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(("id,review,sentiment\n"
                + "r1,\"A great film.\nSecond line, \"\"quoted\"\", still r1\",positive\n"
                + "r2,\"\",negative\n"
                + "r3,\"" + "long ".repeat(100) + "\",negative\n"
                + "r5,An unlabelled plain review,\n").getBytes(StandardCharsets.UTF_8));
        b.write("r4,\"Bad bytes \u00e9 here\",negative\n".getBytes(StandardCharsets.ISO_8859_1));
        b.write("r6,\"Good, and \n\n multi-line\",\n".getBytes(StandardCharsets.UTF_8));
        b.write("r7,A review whose label nobody knows,meh\n".getBytes(StandardCharsets.UTF_8));
        Files.write(csv, b.toByteArray());
        Path out = ScoreFixtures.root().resolve("scored-csv");

        ScoreResult r = new ScoreJob(config(csv.toString(), CorpusFormat.AUTO, out, "csv", 200, null, false))
                .run(spark);

        assertEquals(7, r.recordsIn());
        assertEquals(4, r.scored(), "scoring needs no label: an unknown one is no reason to reject");
        assertEquals(3, r.rejected());
        assertEquals(r.recordsIn(), r.scored() + r.rejected());
        assertEquals(Map.of("empty review", 1L, "review too long", 1L, "invalid UTF-8", 1L), r.rejectsByReason());
        List<Row> rejects = spark.read().json(out.resolve(ScoreJob.REJECTS).toString()).collectAsList();
        assertEquals(3, rejects.size());
        for (Row x : rejects) {
            assertNotNull(x.getAs("reason"));
            assertNotNull(x.getAs("source"));
        }
        Checkpoint c = Checkpoint.load(ScoreFixtures.checkpoint());
        Map<String, Row> byId = new HashMap<>();
        for (Row x : spark.read().option("header", true).option("inferSchema", true)
                .csv(out.resolve(ScoreJob.PREDICTIONS).toString()).collectAsList()) {
            byId.put(x.getAs("id"), x);
        }
        assertEquals(java.util.Set.of("r1", "r5", "r6", "r7"), byId.keySet());
        assertNull(byId.get("r7").getAs("label"), "an unknown label is dropped, the review scored");
        EncodedReview e1 = Direct.encode(c, "A great film.\nSecond line, \"quoted\", still r1");
        assertEquals(e1.tokenCount(), ((Number) byId.get("r1").getAs("token_count")).intValue());
        assertEquals(Direct.predict(c, e1.ids()), ((Number) byId.get("r1").getAs("probability")).doubleValue(),
                FLOAT_TOLERANCE);
        assertEquals(1, ((Number) byId.get("r1").getAs("label")).intValue());
        assertNull(byId.get("r5").getAs("label"), "unlabelled input is scored with a null label");
    }

    private static ScoreConfig keeping(String input, Path out, String outputFormat, List<String> kept)
            throws Exception {
        return ScoreConfig.builder().setModel(ScoreFixtures.checkpoint()).setInput(CorpusSource.of(input))
                .setOutput(out.toUri().toString()).optOutputFormat(outputFormat).optBatchSize(16).optPartitions(2)
                .optProgressSeconds(1).optKeepColumns(kept).build();
    }

    /** id to the values of {@code columns}, from predictions read back by Spark. */
    private static Map<String, List<String>> keptById(Dataset<Row> predictions, String... columns) {
        Map<String, List<String>> m = new HashMap<>();
        for (Row r : predictions.collectAsList()) {
            List<String> v = new java.util.ArrayList<>();
            for (String c : columns) {
                Object x = r.getAs(c);
                v.add(x == null ? null : x.toString());
            }
            m.put(r.getAs("id"), v);
        }
        return m;
    }

    @Test
    void keptColumnsAreCarriedIntoParquetAndCsvPredictionsFromCsvJsonLinesAndParquet() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Path dir = Files.createDirectories(ScoreFixtures.root().resolve("keep-in"));

        // CSV: a quoted value with a comma, an empty (null) field, a column that is not kept, a reject
        StringBuilder csv = new StringBuilder("id,review,day,shop,note\n");
        Map<String, List<String>> expected = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            String shop = i == 3 ? "Smith, Jones & Co" : i == 4 ? null : "s" + i;
            String day = "2026-12-0" + (1 + i % 3);
            csv.append("k").append(i).append(",a wonderful moving film number ").append(i).append(',').append(day)
                    .append(',').append(shop == null ? "" : shop.contains(",") ? '"' + shop + '"' : shop)
                    .append(",not kept\n");
            expected.put("k" + i, java.util.Arrays.asList(day, shop));
        }
        csv.append("k10,\"\",2026-12-01,s10,x\n"); // an empty review: a reject, not a prediction
        String csvIn = Files.writeString(dir.resolve("reviews.csv"), csv).toString();
        Path toParquet = ScoreFixtures.root().resolve("kept-csv-parquet");
        ScoreResult r = new ScoreJob(keeping(csvIn, toParquet, "parquet", List.of("day", "shop"))).run(spark);
        assertEquals(11, r.recordsIn());
        assertEquals(10, r.scored());
        assertNull(r.keptColumnsWithoutValues());
        Dataset<Row> parquet = spark.read().parquet(r.predictions());
        assertEquals(List.of("id", "label", "probability", "predicted_label", "model", "model_sha256", "token_count",
                "oov_count", "truncated", "day", "shop"), List.of(parquet.columns()));
        assertFalse(List.of(parquet.columns()).contains("note"), "only the kept columns are carried");
        assertEquals(expected, keptById(parquet, "day", "shop"));

        Path toCsv = ScoreFixtures.root().resolve("kept-csv-csv");
        ScoreResult rc = new ScoreJob(keeping(csvIn, toCsv, "csv", List.of("shop", "day"))).run(spark);
        Map<String, List<String>> swapped = new HashMap<>();
        expected.forEach((id, v) -> swapped.put(id, java.util.Arrays.asList(v.get(1), v.get(0))));
        assertEquals(swapped, keptById(spark.read().option("header", true).csv(rc.predictions()), "shop", "day"));

        // JSON Lines: numbers, arrays and a key some records lack; a key no record has is reported
        StringBuilder jsonl = new StringBuilder();
        Map<String, List<String>> expectedJson = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            jsonl.append("{\"id\":\"j").append(i).append("\",\"text\":\"a great film number ").append(i)
                    .append("\",\"n\":").append(i * 10).append(",\"tags\":[\"a\",").append(i).append(']')
                    .append(i == 5 ? "" : ",\"product\":\"p" + i + "\"").append("}\n");
            expectedJson.put("j" + i, java.util.Arrays.asList(i == 5 ? null : "p" + i, String.valueOf(i * 10),
                    "[\"a\"," + i + "]", null));
        }
        String jsonIn = Files.writeString(dir.resolve("reviews.jsonl"), jsonl).toString();
        ScoreResult rj = new ScoreJob(keeping(jsonIn, ScoreFixtures.root().resolve("kept-jsonl"), "parquet",
                List.of("product", "n", "tags", "nosuch"))).run(spark);
        assertEquals(6, rj.scored());
        assertEquals(expectedJson, keptById(spark.read().parquet(rj.predictions()), "product", "n", "tags",
                "nosuch"));
        assertEquals(List.of("nosuch"), rj.keptColumnsWithoutValues());

        // Parquet with typed columns: values as strings
        StructType typed = new StructType().add("id", DataTypes.StringType).add("review", DataTypes.StringType)
                .add("day", DataTypes.DateType).add("qty", DataTypes.IntegerType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(RowFactory.create("q" + i, "boring awful plot " + i, java.sql.Date.valueOf("2026-11-2" + i),
                    i == 2 ? null : i));
        }
        String parquetIn = dir.resolve("typed").toString();
        spark.createDataFrame(rows, typed).coalesce(1).write().parquet(parquetIn);
        ScoreResult rp = new ScoreJob(keeping(parquetIn, ScoreFixtures.root().resolve("kept-parquet"), "csv",
                List.of("day", "qty"))).run(spark);
        Map<String, List<String>> expectedParquet = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            expectedParquet.put("q" + i, java.util.Arrays.asList("2026-11-2" + i, i == 2 ? null : String.valueOf(i)));
        }
        assertEquals(expectedParquet, keptById(spark.read().option("header", true).csv(rp.predictions()), "day",
                "qty"));
    }

    @Test
    void keptColumnsThatTheInputCannotHaveAreRefusedNamingTheKeyBeforeAnyOutput() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Path dir = Files.createDirectories(ScoreFixtures.root().resolve("keep-refused"));
        String csv = Files.writeString(dir.resolve("r.csv"), "id,review,day\nr1,a fine film,2026-12-01\n")
                .toString();
        String txt = Files.writeString(dir.resolve("r.txt"), "a fine film\n").toString();
        Path acl = Files.createDirectories(dir.resolve("acl/test/pos"));
        Files.writeString(acl.resolve("1_9.txt"), "a fine film");
        String parquet = dir.resolve("r.parquet").toString();
        spark.createDataFrame(List.of(RowFactory.create("r1", "a fine film")), new StructType()
                .add("id", DataTypes.StringType).add("review", DataTypes.StringType)).write().parquet(parquet);
        Path out = ScoreFixtures.root().resolve("kept-refused");

        String[][] cases = {
            {csv, "day,shop", "'shop'", "[id, review, day]"},          // not a column of the CSV header
            {parquet, "Day", "'Day'", "[id, review]"},                   // not a column of the Parquet schema
            {txt, "day", "'day'", "is text"},                            // plain text has no columns
            {dir.resolve("acl").toString(), "day", "'day'", "is aclimdb"}, // nor has the aclImdb layout
            {csv, "day,Probability", "'Probability'", "already have"},   // a prediction column
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> new ScoreJob(keeping(c[0], out, null,
                    List.of(c[1].split(",")))).run(spark), c[0]);
            assertEquals("keep_columns", e.key(), e.getMessage());
            assertTrue(e.getMessage().contains(c[2]) && e.getMessage().contains(c[3]), e.getMessage());
            assertFalse(Files.exists(out), "refused before any output: " + c[0]);
        }
    }

    @Test
    void plainTextLinesWithAnOverlongLine() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Path txt = Files.createDirectories(ScoreFixtures.root().resolve("txt-in")).resolve("reviews.txt");
        Files.writeString(txt, "what a wonderful film\nterrible acting, boring plot\n" + "x ".repeat(500)
                + "\nI liked it\n");
        Path out = ScoreFixtures.root().resolve("scored-txt");
        ScoreResult r = new ScoreJob(config(txt.toString(), CorpusFormat.TEXT, out, "parquet", 300, null, false))
                .run(spark);
        assertEquals(4, r.recordsIn());
        assertEquals(3, r.scored());
        assertEquals(Map.of("review too long", 1L), r.rejectsByReason());
    }

    @Test
    void mismatchedOrCorruptCheckpointsAreRefusedBeforeAnyOutput() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        String input = ScoreFixtures.rawCorpus().toString();
        Path src = Path.of(java.net.URI.create(ScoreFixtures.checkpoint()));
        Path out = ScoreFixtures.root().resolve("scored-refused");

        // 1. another content hash than the one required
        CheckpointMismatchException wrongHash = assertThrows(CheckpointMismatchException.class,
                () -> new ScoreJob(config(input, CorpusFormat.AUTO, out, null, null, "ab".repeat(32), false))
                        .run(spark));
        assertTrue(wrongHash.getMessage().contains("content hash"), wrongHash.getMessage());

        // 2. a damaged file
        Path corrupt = ScoreFixtures.root().resolve("ckpt-corrupt");
        FileUtils.copyDirectory(src.toFile(), corrupt.toFile());
        Path vocab = corrupt.resolve(Checkpoint.VOCABULARY);
        Files.writeString(vocab, Files.readString(vocab).replaceFirst("\t1", "\t2"));
        ScoreConfig bad = ScoreConfig.of(corrupt.toUri().toString(), CorpusSource.of(input), out.toUri().toString());
        Checkpoint.CorruptCheckpointException ce = assertThrows(Checkpoint.CorruptCheckpointException.class,
                () -> new ScoreJob(bad).run(spark));
        assertTrue(ce.getMessage().contains(Checkpoint.VOCABULARY), ce.getMessage());

        // 3. intact checksums, but model.yaml does not describe the network
        Path respec = ScoreFixtures.root().resolve("ckpt-respec");
        FileUtils.copyDirectory(src.toFile(), respec.toFile());
        Path yaml = respec.resolve(Checkpoint.MODEL_SPEC);
        Files.writeString(yaml, Files.readString(yaml).replace("units: 8", "units: 9"));
        rehash(respec);
        Checkpoint.load(respec.toUri().toString()); // checksums are consistent again
        ScoreConfig mismatched = ScoreConfig.of(respec.toUri().toString(), CorpusSource.of(input),
                out.toUri().toString());
        CheckpointMismatchException me = assertThrows(CheckpointMismatchException.class,
                () -> new ScoreJob(mismatched).run(spark));
        assertTrue(me.getMessage().contains("parameters"), me.getMessage());

        assertFalse(Files.exists(out), "nothing is written for a refused checkpoint");
    }

    /** Rewrites SHA256SUMS and content.sha256 of a checkpoint directory for its current files. */
    private static void rehash(Path dir) throws Exception {
        StringBuilder sums = new StringBuilder();
        for (String f : List.of(Checkpoint.BLOCK_MOMENTUM, Checkpoint.METADATA, Checkpoint.MODEL_SPEC,
                Checkpoint.NETWORK, Checkpoint.VOCABULARY)) {
            if (!Files.exists(dir.resolve(f))) {
                continue; // block_momentum.npy only exists for a multi-worker block-momentum run
            }
            sums.append(sha(Files.readAllBytes(dir.resolve(f)))).append("  ").append(f).append('\n');
        }
        byte[] s = sums.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(Checkpoint.CHECKSUMS), s);
        Files.writeString(dir.resolve(Checkpoint.CONTENT_HASH), sha(s) + "\n");
        try (var files = Files.list(dir)) { // Hadoop's local FS would reject the stale .crc files
            files.filter(p -> p.getFileName().toString().endsWith(".crc")).forEach(p -> p.toFile().delete());
        }
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void predictCommandPrintsTheNetworksProbabilityPerTextWithoutSpark() throws Exception {
        Checkpoint c = Checkpoint.load(ScoreFixtures.checkpoint());
        java.io.StringWriter out = new java.io.StringWriter();
        int code = new picocli.CommandLine(new io.reviewrnn.jobs.cli.PredictCommand())
                .setOut(new java.io.PrintWriter(out)).execute("--model", ScoreFixtures.checkpoint(),
                        "--expect-hash", c.contentHash(), "a wonderful moving film", "awful boring waste");
        assertEquals(0, code);
        String[] lines = out.toString().split("\n");
        assertEquals(2, lines.length, out.toString());
        String[] texts = {"a wonderful moving film", "awful boring waste"};
        for (int i = 0; i < 2; i++) {
            String[] f = lines[i].split("\t");
            double direct = Direct.predict(c, Direct.encode(c, texts[i]).ids());
            assertEquals(direct, Double.parseDouble(f[0]), FLOAT_TOLERANCE);
            assertEquals(direct >= 0.5 ? "positive" : "negative", f[1]);
            assertEquals(texts[i], f[2]);
        }
        int refused = new picocli.CommandLine(new io.reviewrnn.jobs.cli.PredictCommand())
                .setErr(new java.io.PrintWriter(new java.io.StringWriter()))
                .execute("--model", ScoreFixtures.checkpoint(), "--expect-hash", "0".repeat(64), "text");
        assertTrue(refused != 0, "a checkpoint with another hash is refused");
    }
}
