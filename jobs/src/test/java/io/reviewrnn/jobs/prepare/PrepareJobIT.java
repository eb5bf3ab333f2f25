package io.reviewrnn.jobs.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.BadRecordPolicy;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticReview;
import io.reviewrnn.core.store.OutputExistsException;
import io.reviewrnn.core.text.KerasTokenizer;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import io.reviewrnn.jobs.testing.LocalSpark;
import io.reviewrnn.jobs.testing.TestCorpora;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prepare job on local Spark with generated corpora in every input format, including bad input. */
class PrepareJobIT {
    private static final int TRAIN = 400;
    private static final int TEST = 200;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path corpusDir;
    static PrepareResult dirResult;

    @BeforeAll
    static void prepareOnce() throws IOException {
        spark = LocalSpark.get();
        corpusDir = TestCorpora.write(dir, "corpus", CorpusFormat.ACLIMDB, false, TRAIN, TEST);
        dirResult = prepare(CorpusSource.of(corpusDir.toString()), "out-dir", BadRecordPolicy.FAIL);
    }

    static PrepareResult prepare(CorpusSource source, String out, BadRecordPolicy policy) throws IOException {
        PrepareConfig c = PrepareConfig.builder().setInput(source).setOutput(dir.resolve(out).toString())
                .optOnBadRecord(policy).optPartitions(3).build();
        return new PrepareJob(c).run(spark);
    }

    static List<Row> rows(String out, String split) {
        return spark.read().parquet(dir.resolve(out).resolve(split).toString()).collectAsList();
    }

    static Map<String, Integer> labelsOf(String out, String split) {
        Map<String, Integer> m = new HashMap<>();
        rows(out, split).forEach(r -> m.put(r.getAs("id"), r.getAs("label")));
        return m;
    }

    static Vocabulary vocabularyOf(String out) throws IOException {
        try (Reader r = Files.newBufferedReader(dir.resolve(out).resolve(PreparedLayout.VOCABULARY))) {
            return Vocabulary.read(r);
        }
    }

    @Test
    void splitsAreExactStratifiedAndComplete() {
        assertEquals(320, dirResult.count(PreparedLayout.TRAIN));
        assertEquals(80, dirResult.count(PreparedLayout.VALIDATION));
        assertEquals(200, dirResult.count(PreparedLayout.TEST));
        PrepareManifest m = dirResult.manifest();
        assertEquals(Map.of("0", 160L, "1", 160L), m.splits().get(PreparedLayout.TRAIN).labels());
        assertEquals(Map.of("0", 40L, "1", 40L), m.splits().get(PreparedLayout.VALIDATION).labels());
        assertEquals(Map.of("0", 100L, "1", 100L), m.splits().get(PreparedLayout.TEST).labels());

        Set<String> train = labelsOf("out-dir", PreparedLayout.TRAIN).keySet();
        Set<String> val = labelsOf("out-dir", PreparedLayout.VALIDATION).keySet();
        Set<String> test = labelsOf("out-dir", PreparedLayout.TEST).keySet();
        assertTrue(train.stream().allMatch(id -> id.startsWith("train/")));
        assertTrue(val.stream().allMatch(id -> id.startsWith("train/")));
        assertTrue(test.stream().allMatch(id -> id.startsWith("test/")));
        Set<String> overlap = new HashSet<>(train);
        overlap.retainAll(val);
        assertEquals(Set.of(), overlap);
        // Labels come from the folder, ratings from the file name.
        for (Row r : rows("out-dir", PreparedLayout.TEST)) {
            String id = r.getAs("id");
            int label = r.getAs("label");
            int rating = r.getAs("rating");
            assertEquals(id.contains("/pos/") ? 1 : 0, label, id);
            assertEquals(Integer.parseInt(id.substring(id.lastIndexOf('_') + 1)), rating, id);
            assertTrue(label == 1 ? rating >= 7 : rating <= 4, id);
        }
    }

    @Test
    void vocabularyIsCountedOnTheTrainingSplitOnlyAndMatchesALocalCount() throws IOException {
        Set<String> trainIds = labelsOf("out-dir", PreparedLayout.TRAIN).keySet();
        Map<String, Long> counts = new HashMap<>();
        KerasTokenizer tok = new KerasTokenizer();
        for (SyntheticReview r : generated()) {
            if (trainIds.contains(id(r))) {
                tok.forEachToken(r.text(), t -> counts.merge(t, 1L, Long::sum));
            }
        }
        List<WordCount> wc = new ArrayList<>();
        counts.forEach((k, v) -> wc.add(new WordCount(k, v)));
        Vocabulary expected = Vocabulary.fromCounts(wc, TextSpec.defaults());
        Vocabulary actual = vocabularyOf("out-dir");
        assertEquals(expected.words(), actual.words());
        assertEquals(counts.size(), dirResult.manifest().distinctTrainTokens());
    }

    @Test
    void encodedIdsEqualTheLocalEncoderElementByElement() throws IOException {
        SequenceEncoder enc = new SequenceEncoder(TextSpec.defaults(), vocabularyOf("out-dir"));
        Map<String, int[]> written = new HashMap<>();
        Map<String, Integer> tokenCounts = new HashMap<>();
        for (String split : PreparedLayout.SPLITS) {
            for (Row r : rows("out-dir", split)) {
                List<Integer> ids = r.getList(r.fieldIndex("ids"));
                written.put(r.getAs("id"), ids.stream().mapToInt(Integer::intValue).toArray());
                tokenCounts.put(r.getAs("id"), r.getAs("token_count"));
            }
        }
        int checked = 0;
        for (SyntheticReview r : generated()) {
            int[] ids = written.get(id(r));
            assertNotNull(ids, id(r));
            var e = enc.encode(r.text());
            assertArrayEquals(e.ids(), ids, id(r));
            assertEquals(e.tokenCount(), tokenCounts.get(id(r)));
            assertEquals(100, ids.length);
            checked++;
        }
        assertEquals(TRAIN + TEST, checked);
    }

    @Test
    void manifestRecordsConfigStatsAndTimings() throws IOException {
        PrepareManifest m = Yaml.json().readValue(dir.resolve("out-dir").resolve(PreparedLayout.MANIFEST).toFile(),
                PrepareManifest.class);
        assertEquals(TextSpec.defaults(), m.text());
        assertEquals(497, m.vocabularySize());
        var train = m.splits().get(PreparedLayout.TRAIN);
        assertTrue(train.oovRate() > 0 && train.oovRate() < 0.5, "oov " + train.oovRate());
        assertTrue(train.truncatedShare() > 0 && train.truncatedShare() < 1, "truncated " + train.truncatedShare());
        assertTrue(train.tokenCountPercentiles().get("p50") <= train.tokenCountPercentiles().get("p90"));
        assertTrue(m.stageSeconds().containsKey("vocabulary"), m.stageSeconds().toString());
        assertEquals(0.2, m.config().get("validation_split").asDouble());
        assertTrue(Files.exists(dir.resolve("out-dir").resolve(PreparedLayout.SUCCESS)));
    }

    @Test
    void theSplitIsDeterministicAcrossRunsAndPartitionings() throws IOException {
        PrepareConfig c = PrepareConfig.builder().setInput(CorpusSource.of(corpusDir.toString()))
                .setOutput(dir.resolve("out-again").toString()).optPartitions(7).build();
        new PrepareJob(c).run(spark);
        assertEquals(labelsOf("out-dir", PreparedLayout.VALIDATION), labelsOf("out-again", PreparedLayout.VALIDATION));
    }

    @Test
    void tarGzCsvAndJsonLinesGiveTheSameCorpus() throws IOException {
        Path tgz = TestCorpora.write(dir, "corpus.tar.gz", CorpusFormat.ACLIMDB, true, TRAIN, TEST);
        PrepareResult fromTar = prepare(CorpusSource.of(tgz.toString()), "out-tgz", BadRecordPolicy.FAIL);
        assertEquals(labelsOf("out-dir", PreparedLayout.VALIDATION), labelsOf("out-tgz", PreparedLayout.VALIDATION));
        assertEquals(vocabularyOf("out-dir"), vocabularyOf("out-tgz"));

        // CSV (Kaggle columns review,sentiment; quoted commas and newlines) and JSON Lines: ids differ, content not.
        Path csv = TestCorpora.write(dir, "corpus.csv", CorpusFormat.CSV, false, TRAIN, TEST);
        PrepareResult fromCsv = prepare(CorpusSource.of(csv.toString()), "out-csv", BadRecordPolicy.FAIL);
        Path jsonl = TestCorpora.write(dir, "corpus.jsonl", CorpusFormat.JSONL, false, TRAIN, TEST);
        PrepareResult fromJson = prepare(CorpusSource.of(jsonl.toString()), "out-jsonl", BadRecordPolicy.FAIL);
        for (PrepareResult r : List.of(fromTar, fromCsv, fromJson)) {
            assertEquals(320, r.count(PreparedLayout.TRAIN));
            assertEquals(80, r.count(PreparedLayout.VALIDATION));
            assertEquals(200, r.count(PreparedLayout.TEST));
            assertEquals(dirResult.manifest().splits().get(PreparedLayout.TEST).tokens(),
                    r.manifest().splits().get(PreparedLayout.TEST).tokens());
        }
        assertEquals(labelsOf("out-dir", PreparedLayout.VALIDATION), labelsOf("out-jsonl", PreparedLayout.VALIDATION));

        // Parquet, written from the JSON Lines corpus.
        spark.read().json(jsonl.toString()).write().parquet(dir.resolve("corpus.parquet").toString());
        PrepareResult fromParquet = prepare(CorpusSource.of(dir.resolve("corpus.parquet").toString()),
                "out-parquet", BadRecordPolicy.FAIL);
        assertEquals(labelsOf("out-dir", PreparedLayout.VALIDATION),
                labelsOf("out-parquet", PreparedLayout.VALIDATION));
    }

    /** A CSV without a split column: test_split holds out its share of each label as test, before validation. */
    @Test
    void testSplitHoldsOutTestReviewsFromAnInputWithoutATestPart() throws IOException {
        Path csv = dir.resolve("no-test-part.csv");
        StringBuilder b = new StringBuilder("id,review,sentiment\n");
        for (int i = 0; i < 200; i++) {
            b.append("r").append(i).append(",").append(i % 2 == 0 ? "a good fine film " : "a bad dull film ")
                    .append(i).append(",").append(i % 2 == 0 ? "positive" : "negative").append('\n');
        }
        Files.writeString(csv, b);
        CorpusSource src = CorpusSource.of(csv.toString());
        PrepareResult none = new PrepareJob(PrepareConfig.builder().setInput(src)
                .setOutput(dir.resolve("out-no-test").toString()).optMaxReviewChars(1000).optPartitions(2).build())
                .run(spark);
        assertEquals(0, none.count(PreparedLayout.TEST), "no test part, no test_split: an empty test split");

        PrepareConfig c = PrepareConfig.builder().setInput(src).setOutput(dir.resolve("out-test-split").toString())
                .optValidationSplit(0.2).optTestSplit(0.25).optMaxReviewChars(1000).optPartitions(2).build();
        PrepareResult r = new PrepareJob(c).run(spark);
        assertEquals(50, r.count(PreparedLayout.TEST), "25 of each label's 100");
        assertEquals(40, r.count(PreparedLayout.VALIDATION), "20 of each label's 100");
        assertEquals(110, r.count(PreparedLayout.TRAIN));
        Map<String, Integer> test = labelsOf("out-test-split", PreparedLayout.TEST);
        assertEquals(25, test.values().stream().filter(l -> l == 1).count());
        Set<String> seen = new HashSet<>(test.keySet());
        for (String split : List.of(PreparedLayout.VALIDATION, PreparedLayout.TRAIN)) {
            for (String id : labelsOf("out-test-split", split).keySet()) {
                assertTrue(seen.add(id), id + " is in one split only");
            }
        }
        assertEquals(200, seen.size());
        // the test reviews are the smallest seeded hashes of each label; validation takes the next ones
        for (int label = 0; label < 2; label++) {
            int l = label;
            long maxTest = test.entrySet().stream().filter(e -> e.getValue() == l)
                    .mapToLong(e -> PrepareJob.hash(42L, e.getKey())).max().orElseThrow();
            assertTrue(labelsOf("out-test-split", PreparedLayout.VALIDATION).entrySet().stream()
                    .filter(e -> e.getValue() == l).allMatch(e -> PrepareJob.hash(42L, e.getKey()) > maxTest));
        }
        // the corpus has a test part of its own: test_split is refused, naming the key
        io.reviewrnn.core.base.ConfigException e = assertThrows(io.reviewrnn.core.base.ConfigException.class,
                () -> new PrepareJob(PrepareConfig.builder().setInput(CorpusSource.of(corpusDir.toString()))
                        .setOutput(dir.resolve("out-refused").toString()).optTestSplit(0.2).optPartitions(2).build())
                        .run(spark));
        assertTrue(e.getMessage().contains("test_split") && e.getMessage().contains("test reviews"), e.getMessage());
    }

    @Test
    void badRecordsFailByDefaultAndAreSkippedIntoRejectsOnRequest() throws IOException {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("reviews.csv"), String.join("\n",
                "review,sentiment",
                "\"Great, really great\nfilm\",positive",
                "\"Awful film\",negative",
                "\"\",positive",
                "\"Some text\",meh",
                "\"Too, many\",fields,here,positive",
                "\"No label at all\",",
                "\"" + "long ".repeat(300) + "\",positive",
                "\"Fine film\",positive") + "\n");
        byte[] invalid = "\"Bad bytes \u00e9\",negative\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(bad.resolve("reviews.csv"), invalid, java.nio.file.StandardOpenOption.APPEND);
        CorpusSource src = CorpusSource.of(bad.resolve("reviews.csv").toString());
        PrepareConfig failing = PrepareConfig.builder().setInput(src).setOutput(dir.resolve("out-bad").toString())
                .optValidationSplit(0.0).optOnBadRecord(BadRecordPolicy.FAIL).optMaxReviewChars(1000).optPartitions(2)
                .build();
        BadRecordsException e = assertThrows(BadRecordsException.class, () -> new PrepareJob(failing).run(spark));
        assertEquals(6, e.count(), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out-bad")), "a failed run must leave no output");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".out-bad")), "temp output left");
        }

        PrepareConfig skipping = PrepareConfig.Builder.from(failing).optOnBadRecord(BadRecordPolicy.SKIP).build();
        PrepareResult r = new PrepareJob(skipping).run(spark);
        assertEquals(3, r.count(PreparedLayout.TRAIN));
        var rejects = r.manifest().rejects();
        assertEquals(6, rejects.count());
        assertEquals(Map.of("empty review", 1L, "unknown label", 1L, "malformed CSV row", 1L, "missing label", 1L,
                "review too long", 1L, "invalid UTF-8", 1L), rejects.byReason());
        List<Row> rejected = spark.read().json(dir.resolve("out-bad").resolve(PreparedLayout.REJECTS).toString())
                .collectAsList();
        assertEquals(6, rejected.size());
        assertTrue(rejected.stream().allMatch(x -> x.getAs("reason") != null && x.getAs("source") != null));
        // in = out + rejects
        assertEquals(9, r.count(PreparedLayout.TRAIN) + rejects.count());
    }

    @Test
    void invalidUtf8AndOversizedFilesInTheAclImdbLayoutAreReported() throws IOException {
        Path root = dir.resolve("acl-bad");
        Files.createDirectories(root.resolve("train/pos"));
        Files.createDirectories(root.resolve("train/neg"));
        Files.writeString(root.resolve("train/pos/1_9.txt"), "A fine film");
        Files.writeString(root.resolve("train/neg/2_1.txt"), "A bad film");
        Files.write(root.resolve("train/neg/3_2.txt"), new byte[] {'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28});
        Files.writeString(root.resolve("train/pos/4_8.txt"), "x".repeat(5_000_000));
        Files.writeString(root.resolve("train/pos/5_7.txt"), "  \n ");
        PrepareConfig c = PrepareConfig.builder().setInput(CorpusSource.of(root.toString()))
                .setOutput(dir.resolve("out-acl-bad").toString()).optValidationSplit(0.0)
                .optOnBadRecord(BadRecordPolicy.SKIP).optPartitions(2).build();
        PrepareResult r = new PrepareJob(c).run(spark);
        assertEquals(2, r.count(PreparedLayout.TRAIN));
        assertEquals(Map.of("invalid UTF-8", 1L, "review too long", 1L, "empty review", 1L),
                r.manifest().rejects().byReason());
    }

    @Test
    void existingOutputIsRefusedUnlessOverwriteAndMissingInputIsClear() throws IOException {
        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> prepare(CorpusSource.of(corpusDir.toString()), "out-dir", BadRecordPolicy.FAIL));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> prepare(CorpusSource.of(dir.resolve("nope").toString()), "out-missing", BadRecordPolicy.FAIL));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());

        PrepareConfig overwrite = PrepareConfig.builder().setInput(CorpusSource.of(corpusDir.toString()))
                .setOutput(dir.resolve("out-again2").toString()).optOverwrite(true).optPartitions(2).build();
        new PrepareJob(overwrite).run(spark);
        PrepareResult again = new PrepareJob(overwrite).run(spark);
        assertEquals(320, again.count(PreparedLayout.TRAIN));
    }

    private static Iterable<SyntheticReview> generated() {
        return () -> {
            Iterator<SyntheticReview> it = new SyntheticCorpusGenerator(TestCorpora.SEED).corpus(TRAIN, TEST);
            return it;
        };
    }

    private static String id(SyntheticReview r) {
        return r.id();
    }
}
