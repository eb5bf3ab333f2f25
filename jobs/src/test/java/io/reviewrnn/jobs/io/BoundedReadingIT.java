package io.reviewrnn.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.BadRecordPolicy;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.jobs.SparkSessionFactory;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.prepare.PrepareResult;
import io.reviewrnn.jobs.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One 10^9-character field in CSV, JSON Lines and text, each a 1 MB {@code .gz}, is one counted {@code review too
 * long} reject in a JVM with a 1 GB heap (the probe's case: Spark's readers materialized the field and prepare died
 * in {@code OutOfMemoryError}). The files are gzip streams of several members: the field's member is compressed once
 * and shared, never written out in full. Also: byte-range splits of one uncompressed line file read every line once.
 */
class BoundedReadingIT {
    static final long HUGE = 1_000_000_000L;
    static final int NORMAL = 60;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeInputs() throws IOException {
        byte[] field = gzipMember(HUGE);
        StringBuilder csv = new StringBuilder("id,review,sentiment\n");
        StringBuilder jsonl = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < NORMAL; i++) {
            String review = (i % 2 == 0 ? "a fine moving film, great acting " : "a dull boring film, awful plot ")
                    + "number " + i;
            String label = i % 2 == 0 ? "positive" : "negative";
            csv.append("c").append(i).append(",\"").append(review).append("\",").append(label).append('\n');
            jsonl.append("{\"id\":\"j").append(i).append("\",\"review\":\"").append(review).append("\",\"sentiment\":\"")
                    .append(label).append("\"}\n");
            text.append(review).append('\n');
        }
        // the huge record sits between normal ones: the reader must go on after it
        write(dir.resolve("train.csv.gz"), csv + "huge,\"", field, "\",positive\nc-last,\"a last fine film\",positive\n");
        write(dir.resolve("test.jsonl.gz"), jsonl + "{\"id\":\"huge\",\"review\":\"", field,
                "\",\"sentiment\":\"negative\"}\n{\"id\":\"j-last\",\"review\":\"a last dull film\",\"sentiment\":\"negative\"}\n");
        write(dir.resolve("reviews.txt.gz"), text.toString(), field, "\na last line\n");
    }

    /** A gzip member holding {@code n} bytes 'x', compressed as it is generated. */
    private static byte[] gzipMember(long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            for (long done = 0; done < n; done += chunk.length) {
                gz.write(chunk, 0, (int) Math.min(chunk.length, n - done));
            }
        }
        return out.toByteArray();
    }

    private static void write(Path file, String before, byte[] middle, String after) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(gzip(before));
            out.write(middle);
            out.write(gzip(after));
        }
        assertTrue(Files.size(file) < 8 << 20, file + " is small on disk: " + Files.size(file));
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(b)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    /** Runs in a JVM with {@code -Xmx1g}: prepare (CSV train, JSON Lines test, skip), then the text reader. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            Path dir = Path.of(args[0]);
            SparkSession spark = SparkSessionFactory.getOrCreate("bounded-reading-probe", "local[2]",
                    Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "2"));
            PrepareConfig c = PrepareConfig.builder().setInput(CorpusSource.of(dir.resolve("train.csv.gz").toString()))
                    .optTestInput(CorpusSource.of(dir.resolve("test.jsonl.gz").toString()))
                    .setOutput(dir.resolve("prepared").toString()).optOnBadRecord(BadRecordPolicy.SKIP).optPartitions(2)
                    .build();
            PrepareResult r = new PrepareJob(c).run(spark);
            System.out.println("PREPARE train+validation=" + (r.count(PreparedLayout.TRAIN)
                    + r.count(PreparedLayout.VALIDATION)) + " test=" + r.count(PreparedLayout.TEST) + " rejects="
                    + new TreeMap<>(r.manifest().rejects().byReason()));
            List<String> rejects = new ArrayList<>();
            long rows = 0;
            for (Row row : spark.createDataFrame(CorpusReader.read(spark,
                    CorpusSource.of(dir.resolve("reviews.txt.gz").toString()), null,
                    PrepareConfig.DEFAULT_MAX_REVIEW_CHARS, 2, false), RawReviews.SCHEMA)
                    .select(RawReviews.ERROR).collectAsList()) {
                rows++;
                if (!row.isNullAt(0)) {
                    rejects.add(row.getString(0));
                }
            }
            System.out.println("TEXT rows=" + rows + " rejects=" + rejects);
            spark.stop();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aBillionCharacterFieldIsOneCountedRejectUnderAOneGigabyteHeap() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.") || a.startsWith("-Dorg.bytedeco")
                        || a.startsWith("-Djava.net"))
                .forEach(cmd::add);
        cmd.addAll(List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not end");
        String tail = out.substring(Math.max(0, out.length() - 4000));
        assertEquals(0, p.exitValue(), tail);
        // CSV: 60 + 1 kept, the huge one rejected; JSON Lines the same, as the test split
        assertTrue(out.contains("PREPARE train+validation=" + (NORMAL + 1) + " test=" + (NORMAL + 1)
                + " rejects={review too long=2}"), tail);
        assertTrue(out.contains("TEXT rows=" + (NORMAL + 2) + " rejects=[review too long: a line of " + HUGE
                + " bytes, over max_review_chars " + PrepareConfig.DEFAULT_MAX_REVIEW_CHARS + "]"), tail);
    }

    @Test
    void byteRangesOfOneLineFileReadEveryLineExactlyOnce() throws IOException {
        SparkSession spark = LocalSpark.get();
        Path txt = dir.resolve("ranges.txt");
        int lines = 160_000;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            // mixed terminators and lengths, so range ends fall inside lines and between CR and LF
            b.append("review ").append(i).append(" ").append("w".repeat(i % 97)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Files.writeString(txt, b);
        assertTrue(Files.size(txt) > 2 * BoundedRecordReader.MIN_SPLIT_BYTES, "the file is split");
        List<Row> rows = spark.createDataFrame(CorpusReader.read(spark, CorpusSource.of(txt.toString())
                .withFormat(CorpusFormat.TEXT), null, 1000, 4, false), RawReviews.SCHEMA)
                .select(RawReviews.TEXT, RawReviews.ID).collectAsList();
        assertEquals(lines, rows.size());
        Set<String> texts = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Row r : rows) {
            texts.add(r.getString(0));
            ids.add(r.getString(1));
        }
        assertEquals(lines, texts.size(), "no line twice");
        assertEquals(lines, ids.size(), "ids are unique");
        for (int i : new int[] {0, 1, 79_999, lines - 1}) {
            assertTrue(texts.contains("review " + i + " " + "w".repeat(i % 97)), "line " + i);
        }
    }
}
