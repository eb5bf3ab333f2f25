package io.reviewrnn.jobs.prepare;

import io.reviewrnn.core.config.BadRecordPolicy;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import io.reviewrnn.jobs.Rdds;
import io.reviewrnn.jobs.StageClock;
import io.reviewrnn.jobs.io.CorpusReader;
import io.reviewrnn.jobs.score.ScoreProgress;
import java.util.HashMap;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The {@code prepare} stage: reads a raw review corpus, checks every record, holds out a validation split,
 * builds the vocabulary from the training split only, encodes and pads every review, and writes the
 * {@link PreparedLayout} atomically.
 *
 * <p>All record work runs on the executors. One pass reads, checks and tokenizes each partition into a
 * {@link TokenizedPartition} (token ids into a partition-local dictionary, kept in executor memory and spilling to
 * disk) and gathers the counts; the text is never read or tokenized again. Three light passes over those follow:
 * the validation threshold, the training word count, and encode-and-write. Only small results reach the driver:
 * counts, hash histograms, the few keys that place the two validation thresholds, and the vocabulary (the top
 * words of each word-count partition). Statistics are gathered exactly while the output is written.
 */
public final class PrepareJob {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareJob.class);
    private static final String TRAIN = PreparedLayout.TRAIN;
    private static final String VALIDATION = PreparedLayout.VALIDATION;
    private static final String TEST = PreparedLayout.TEST;
    private static final String ATTEMPTS = "_attempts";

    static final StructType REJECT = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("source", DataTypes.StringType, true)
            .add("reason", DataTypes.StringType, true)
            .add("snippet", DataTypes.StringType, true);

    private final PrepareConfig config;

    public PrepareJob(PrepareConfig config) {
        this.config = config;
    }

    /** Interval of the progress lines of the long stages. */
    private static final int PROGRESS_SECONDS = 10;

    public PrepareResult run(SparkSession spark) throws IOException {
        StageClock clock = new StageClock(LOG, spark.sparkContext(), "prepare");
        LOG.info("prepare config: {}", Yaml.json().writer().without(
                com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(config));
        Path outPath = new Path(config.output());
        FileSystem fs = outPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
        int parts = config.partitions() > 0 ? config.partitions() : 2 * spark.sparkContext().defaultParallelism();
        JavaRDD<TokenizedPartition> corpus = null;
        try (AtomicDirectory out = AtomicDirectory.begin(fs, outPath, config.overwrite(), PreparedLayout.MANIFEST)) {
            clock.start("read and tokenize");
            LongAccumulator readRecords = spark.sparkContext().longAccumulator("prepare: records read");
            corpus = readAndTokenize(spark, parts, readRecords);
            TokenizedPartition.Summary read = summarize(spark, corpus, readRecords);
            clock.end("%d records in %d partitions, %d bad %s, %d unlabelled (not used)", read.read(),
                    corpus.getNumPartitions(), read.bad(), read.badByReason, read.unlabelled);
            checkRecords(read);
            PrepareManifest.RejectStats rejects = writeRejects(spark, clock, corpus, read, out);
            checkTestPart(read.perLabel);

            clock.start("validation split");
            ValidationSplit holdOut = validationSplit(corpus, read);
            clock.end("%d of %d and %d of %d training reviews (label 0, 1) held out for validation, %d and %d as test",
                    holdOut.size[0], read.perLabel[0][0], holdOut.size[1], read.perLabel[0][1], holdOut.testSize[0],
                    holdOut.testSize[1]);

            clock.start("vocabulary");
            TrainingVocabulary vocab = trainingVocabulary(corpus, holdOut, parts);
            writeVocabulary(fs, out.temp(), vocab.vocabulary());
            clock.end("%d distinct training tokens, kept %d (ids 3..%d)", vocab.distinct(), vocab.vocabulary().size(),
                    vocab.vocabulary().idLimit() - 1);

            clock.start("encode and write");
            Map<String, PrepareManifest.SplitStats> splits = encodeAndWrite(spark, fs, out.temp(), corpus,
                    vocab.vocabulary(), holdOut, read.read() - read.unlabelled - read.bad());
            clock.end("%s", summary(splits));

            PrepareManifest manifest = writeManifest(spark, fs, out.temp(), clock, vocab, splits, read, rejects);
            out.commit();
            LOG.info("prepared corpus committed to {} in {} s", out.target(),
                    String.format("%.1f", clock.totalSeconds()));
            return new PrepareResult(out.target().toString(), manifest, clock.totalSeconds());
        } finally {
            if (corpus != null) {
                corpus.unpersist(false);
            }
        }
    }

    /** The one pass over the text: each partition read, checked and tokenized, kept (memory and disk). */
    private JavaRDD<TokenizedPartition> readAndTokenize(SparkSession spark, int parts, LongAccumulator readRecords)
            throws IOException {
        JavaRDD<Row> raw = CorpusReader.read(spark, config.input(), TRAIN, config.maxReviewChars(), parts, true);
        if (config.testInput() != null) {
            raw = raw.union(CorpusReader.read(spark, config.testInput(), TEST, config.maxReviewChars(), parts,
                    true));
        }
        long seed = config.seed();
        return Rdds.mapPartitions(raw, rows -> List.of(TokenizedPartition.of(
                ScoreProgress.counting(rows, readRecords), seed)).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** Runs the read pass (with a progress line) and merges the partitions' counts, in partition order. */
    private static TokenizedPartition.Summary summarize(SparkSession spark, JavaRDD<TokenizedPartition> corpus,
            LongAccumulator readRecords) {
        TokenizedPartition.Summary read = new TokenizedPartition.Summary();
        try (ScoreProgress progress = new ScoreProgress(LOG, spark.sparkContext(), "prepare: read and tokenize",
                readRecords, -1, PROGRESS_SECONDS)) {
            for (TokenizedPartition.Summary s : Rdds.eachPartition(corpus, (i, it) -> it.next().summary())) {
                read = read.merge(s);
            }
        }
        return read;
    }

    /** Refuses an empty corpus, and bad records under {@code on_bad_record: fail}. */
    private void checkRecords(TokenizedPartition.Summary read) throws IOException {
        if (read.read() == 0) {
            throw new IOException("no reviews found in " + config.input().path());
        }
        if (read.bad() > 0 && config.onBadRecord() == BadRecordPolicy.FAIL) {
            throw new BadRecordsException(read.bad(), read.badByReason, read.badExamples);
        }
    }

    /** Writes the bad records with their reasons (null when there are none). */
    private static PrepareManifest.RejectStats writeRejects(SparkSession spark, StageClock clock,
            JavaRDD<TokenizedPartition> corpus, TokenizedPartition.Summary read, AtomicDirectory out) {
        long badCount = read.bad();
        if (badCount == 0) {
            return null;
        }
        clock.start("write rejects");
        spark.createDataFrame(corpus.flatMap(TokenizedPartition::rejectRows), REJECT).coalesce(1).write()
                .json(new Path(out.temp(), PreparedLayout.REJECTS).toString());
        PrepareManifest.RejectStats rejects = new PrepareManifest.RejectStats(badCount, read.badByReason,
                new Path(out.target(), PreparedLayout.REJECTS).toString());
        clock.end("%d rejected records written", badCount);
        LOG.warn("skipped {} bad records {}; see {}", badCount, read.badByReason, rejects.path());
        return rejects;
    }

    /** The vocabulary of the training split, and how many distinct tokens it had. */
    private record TrainingVocabulary(Vocabulary vocabulary, long distinct) {
    }

    /** The training split's top words: counted per word across partitions, ranked as Keras ranks them. */
    private TrainingVocabulary trainingVocabulary(JavaRDD<TokenizedPartition> corpus, ValidationSplit holdOut,
            int parts) {
        int slots = config.text().wordSlots();
        Ranking ranking = new Ranking();
        // Each partition's counts are already one per word: a plain hash shuffle (no map-side combine, no sort)
        // and a sum per word on the reduce side.
        JavaPairRDD<String, Long> counts = Rdds.<TokenizedPartition, String, Long>mapPartitionsToPair(corpus,
                it -> it.next().trainingWordCounts(holdOut)).partitionBy(new HashPartitioner(parts));
        List<Tuple2<List<Tuple2<String, Long>>, Long>> perPartition = Rdds.eachPartition(counts,
                (i, it) -> topWords(sumByWord(it), slots, ranking));
        long distinct = 0;
        List<Tuple2<String, Long>> top = new ArrayList<>();
        for (Tuple2<List<Tuple2<String, Long>>, Long> p : perPartition) {
            top.addAll(p._1());
            distinct += p._2();
        }
        top.sort(ranking);
        List<WordCount> ranked = new ArrayList<>(Math.min(slots, top.size()));
        top.stream().limit(slots).forEach(t -> ranked.add(new WordCount(t._1(), t._2())));
        return new TrainingVocabulary(Vocabulary.ofRanked(ranked), distinct);
    }

    private static void writeVocabulary(FileSystem fs, Path dir, Vocabulary vocabulary) throws IOException {
        try (Writer w = new OutputStreamWriter(fs.create(new Path(dir, PreparedLayout.VOCABULARY)),
                StandardCharsets.UTF_8)) {
            vocabulary.write(w);
        }
    }

    /**
     * Encodes every labelled review and writes the three splits: each task writes its partition's files under
     * {@code _attempts}, and the driver moves the files of the attempt Spark delivered into place. Returns the
     * statistics of each split, gathered while writing.
     */
    private Map<String, PrepareManifest.SplitStats> encodeAndWrite(SparkSession spark, FileSystem fs, Path tmp,
            JavaRDD<TokenizedPartition> corpus, Vocabulary vocabulary, ValidationSplit holdOut, long toEncode)
            throws IOException {
        Broadcast<SequenceEncoder> encoder = spark.sparkContext().broadcast(
                new SequenceEncoder(config.text(), vocabulary),
                scala.reflect.ClassTag$.MODULE$.apply(SequenceEncoder.class));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Local output is written with java.io: no Hadoop configuration to ship to the tasks.
        EncodedParquet.Target files = new EncodedParquet.Target(fs instanceof LocalFileSystem
                || fs instanceof RawLocalFileSystem ? null
                : BroadcastHadoopConfigHolder.get(jsc));
        String attempts = fs.makeQualified(new Path(tmp, ATTEMPTS)).toString();
        LongAccumulator encoded = spark.sparkContext().longAccumulator("prepare: records encoded");
        List<WrittenPartition> written;
        try (ScoreProgress progress = new ScoreProgress(LOG, spark.sparkContext(), "prepare: encode and write",
                encoded, toEncode, PROGRESS_SECONDS)) {
            written = Rdds.eachPartition(corpus, (index, it) ->
                    writeSplits(index, it.next(), encoder.value(), holdOut, files, attempts, encoded));
        }
        CorpusStats stats = new CorpusStats();
        for (WrittenPartition w : written) {
            stats.merge(w.stats);
            for (Map.Entry<String, String> f : w.files.entrySet()) {
                Path target = new Path(new Path(tmp, f.getKey()), String.format("part-%05d.snappy.parquet",
                        w.index));
                fs.mkdirs(target.getParent());
                if (!fs.rename(new Path(f.getValue()), target)) {
                    throw new IOException("cannot move " + f.getValue() + " to " + target);
                }
            }
        }
        fs.delete(new Path(attempts), true);
        for (String split : PreparedLayout.SPLITS) {
            Path dir = new Path(tmp, split);
            if (!fs.exists(dir)) {
                EncodedParquet.open(new Path(dir, "part-00000.snappy.parquet"), jsc.hadoopConfiguration()).close();
            }
            fs.create(new Path(dir, AtomicDirectory.SUCCESS), true).close();
        }
        Map<String, PrepareManifest.SplitStats> splits = new LinkedHashMap<>();
        for (String split : PreparedLayout.SPLITS) {
            splits.put(split, stats.toManifest(split));
        }
        return splits;
    }

    private PrepareManifest writeManifest(SparkSession spark, FileSystem fs, Path tmp, StageClock clock,
            TrainingVocabulary vocab, Map<String, PrepareManifest.SplitStats> splits, TokenizedPartition.Summary read,
            PrepareManifest.RejectStats rejects) throws IOException {
        PrepareManifest manifest = new PrepareManifest(PrepareManifest.FORMAT_VERSION, Instant.now().toString(),
                config.text(), Yaml.json().valueToTree(config), vocab.vocabulary().size(), vocab.distinct(), splits,
                read.unlabelled, rejects, new LinkedHashMap<>(clock.seconds()),
                io.reviewrnn.jobs.SparkEnvironment.of(spark));
        try (OutputStream os = fs.create(new Path(tmp, PreparedLayout.MANIFEST))) {
            Yaml.json().writeValue(os, manifest);
        }
        return manifest;
    }

    /**
     * Chooses exactly {@code ceil(validation_split * n)} training reviews of each label for validation: those with the
     * smallest {@code (hash(seed, id), id)}. The result is the same on every run and cluster whatever the
     * partitioning. The per-label histograms of the hashes (gathered while reading) locate the bucket holding each
     * threshold; only the keys in those two buckets (a few per bucket) are fetched to place it exactly.
     */
    private ValidationSplit validationSplit(JavaRDD<TokenizedPartition> corpus, TokenizedPartition.Summary read) {
        long[] test = new long[2];
        long[] heldOut = new long[2];
        long[] validation = new long[2];
        for (int l = 0; l < 2; l++) {
            long n = read.perLabel[0][l];
            test[l] = (long) Math.ceil(n * config.testSplit() - 1e-9);
            validation[l] = Math.min(n - test[l], (long) Math.ceil(n * config.validationSplit() - 1e-9));
            heldOut[l] = test[l] + validation[l];
        }
        Tuple2<Long, String>[] testThresholds = config.testSplit() > 0 ? thresholds(corpus, read, test)
                : newThresholds();
        return new ValidationSplit(config.seed(), testThresholds, thresholds(corpus, read, heldOut), validation,
                test);
    }

    /**
     * The test part is the input's own, {@code test_input}'s, or {@code test_split}'s share of the training part;
     * without any of them the test split is empty, which evaluate later refuses, so say so now.
     */
    private void checkTestPart(long[][] perLabel) {
        long test = perLabel[1][0] + perLabel[1][1];
        if (config.testSplit() > 0 && test > 0) {
            throw new io.reviewrnn.core.base.ConfigException("test_split", config.testSplit(), "applies only to"
                    + " input without a test part, but " + config.input().path() + " has " + test + " test reviews");
        }
        if (test == 0 && config.testSplit() == 0) {
            LOG.warn("{} has no test part (no aclImdb test/ directory or split column saying test) and no test_input"
                    + " is set: the test split will be empty, so evaluate and experiments cannot use it; set"
                    + " test_split (e.g. 0.2) to hold out a share of the training reviews as test, or test_input",
                    config.input().path());
        }
    }

    /** Per label, the {@code size[l]}-th smallest {@code (hash, id)} of the training part (null for size 0). */
    private Tuple2<Long, String>[] thresholds(JavaRDD<TokenizedPartition> corpus, TokenizedPartition.Summary read,
            long[] size) {
        int[] bucket = {-1, -1};
        long[] rank = new long[2];
        for (int l = 0; l < 2; l++) {
            long seen = 0;
            for (int b = 0; b < TokenizedPartition.BUCKETS && size[l] > 0; b++) {
                long inBucket = read.histogram[l][b];
                if (seen + inBucket >= size[l]) {
                    bucket[l] = b;
                    rank[l] = size[l] - seen;
                    break;
                }
                seen += inBucket;
            }
        }
        Tuple2<Long, String>[] thresholds = newThresholds();
        if (size[0] + size[1] > 0) {
            List<List<SplitKey>> byLabel = List.of(new ArrayList<>(), new ArrayList<>());
            for (List<SplitKey> keys : Rdds.eachPartition(corpus, (i, it) -> it.next().keysInBucket(bucket))) {
                for (SplitKey k : keys) {
                    byLabel.get(k.label()).add(k);
                }
            }
            for (int l = 0; l < 2; l++) {
                if (size[l] > 0) {
                    List<SplitKey> keys = byLabel.get(l);
                    keys.sort(Comparator.naturalOrder());
                    SplitKey t = keys.get((int) rank[l] - 1);
                    thresholds[l] = new Tuple2<>(t.hash(), t.id());
                }
            }
        }
        return thresholds;
    }

    private static Iterator<Tuple2<String, Long>> sumByWord(Iterator<Tuple2<String, Long>> counts) {
        HashMap<String, long[]> sums = new HashMap<>(1 << 14);
        while (counts.hasNext()) {
            Tuple2<String, Long> t = counts.next();
            sums.computeIfAbsent(t._1(), k -> new long[1])[0] += t._2();
        }
        return sums.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue()[0])).iterator();
    }

    /** The {@code slots} best-ranked words of one reduce partition, and how many distinct words it holds. */
    private static Tuple2<List<Tuple2<String, Long>>, Long> topWords(Iterator<Tuple2<String, Long>> counts, int slots,
                                                                    Ranking ranking) {
        java.util.PriorityQueue<Tuple2<String, Long>> worstFirst = new java.util.PriorityQueue<>(ranking.reversed());
        long distinct = 0;
        while (counts.hasNext()) {
            Tuple2<String, Long> t = counts.next();
            distinct++;
            if (worstFirst.size() < slots) {
                worstFirst.add(t);
            } else if (slots > 0 && ranking.compare(t, worstFirst.peek()) < 0) {
                worstFirst.poll();
                worstFirst.add(t);
            }
        }
        return new Tuple2<>(new ArrayList<>(worstFirst), distinct);
    }

    /** Sort key of the validation split: label, then hash, then id. A class, not a record: Kryo ships it. */
    static final class SplitKey implements Comparable<SplitKey>, Serializable {
        private static final long serialVersionUID = 1L;
        private int label;
        private long hash;
        private String id;

        SplitKey() {
        }

        SplitKey(int label, long hash, String id) {
            this.label = label;
            this.hash = hash;
            this.id = id;
        }

        int label() {
            return label;
        }

        long hash() {
            return hash;
        }

        String id() {
            return id;
        }

        @Override
        public int compareTo(SplitKey o) {
            int c = Integer.compare(label, o.label);
            if (c == 0) {
                c = Long.compare(hash, o.hash);
            }
            return c != 0 ? c : id.compareTo(o.id);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SplitKey k && compareTo(k) == 0;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash);
        }
    }

    @SuppressWarnings("unchecked")
    private static Tuple2<Long, String>[] newThresholds() {
        return (Tuple2<Long, String>[]) new Tuple2[2];
    }

    /**
     * Which training reviews are held out: per label, those up to a threshold on (hash, id); the smallest ones up to
     * {@code testThresholds} (with {@code test_split}) become test reviews, the others up to {@code thresholds}
     * validation reviews.
     */
    static final class ValidationSplit implements Serializable {
        private static final long serialVersionUID = 1L;
        final long seed;
        final Tuple2<Long, String>[] testThresholds;
        final Tuple2<Long, String>[] thresholds;
        final long[] size;
        final long[] testSize;

        ValidationSplit(long seed, Tuple2<Long, String>[] testThresholds, Tuple2<Long, String>[] thresholds,
                long[] size, long[] testSize) {
            this.seed = seed;
            this.testThresholds = testThresholds;
            this.thresholds = thresholds;
            this.size = size;
            this.testSize = testSize;
        }

        /** Held out from training: validation or test. */
        boolean isHeldOut(int label, long hash, String id) {
            return below(thresholds[label], hash, id);
        }

        boolean isTest(int label, long hash, String id) {
            return below(testThresholds[label], hash, id);
        }

        boolean isValidation(int label, long hash, String id) {
            return isHeldOut(label, hash, id) && !isTest(label, hash, id);
        }

        private static boolean below(Tuple2<Long, String> t, long hash, String id) {
            return t != null && (hash < t._1() || (hash == t._1() && id.compareTo(t._2()) <= 0));
        }
    }

    /** A stable 64-bit hash of a seed and an id (FNV-1a over the UTF-16 code units, then a splitmix64 finish). */
    static long hash(long seed, String id) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** Count descending, then token in code-point order: {@link WordCount#RANKING} on tuples. */
    static final class Ranking implements Comparator<Tuple2<String, Long>>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
            return WordCount.RANKING.compare(new WordCount(a._1(), a._2()), new WordCount(b._1(), b._2()));
        }
    }

    /**
     * Encodes one partition and writes each split's reviews to its own Parquet file under {@code attempts}, named
     * after this task attempt so that a retried or speculative attempt never collides with another. The driver moves
     * the files of the attempts that succeeded into place; the rest are deleted with {@code attempts}.
     */
    private static WrittenPartition writeSplits(int index, TokenizedPartition part, SequenceEncoder encoder,
                                                ValidationSplit holdOut, EncodedParquet.Target target,
                                                String attempts, LongAccumulator encoded)
            throws IOException {
        long attempt = TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId();
        WrittenPartition result = new WrittenPartition(index);
        Map<String, EncodedParquet.Writer> writers = new HashMap<>();
        try {
            Iterator<EncodedRow> rows = ScoreProgress.counting(part.encode(encoder, holdOut, result.stats), encoded);
            while (rows.hasNext()) {
                EncodedRow r = rows.next();
                EncodedParquet.Writer w = writers.get(r.split());
                if (w == null) {
                    Path file = new Path(new Path(attempts, r.split()),
                            String.format("part-%05d-%d.snappy.parquet", index, attempt));
                    w = target.open(file);
                    writers.put(r.split(), w);
                    result.files.put(r.split(), file.toString());
                }
                w.write(r);
            }
        } finally {
            for (EncodedParquet.Writer w : writers.values()) {
                w.close();
            }
        }
        return result;
    }

    /** What one encode-and-write task produced: a file per split it had reviews of, and their statistics. */
    static final class WrittenPartition implements Serializable {
        private static final long serialVersionUID = 1L;
        int index;
        TreeMap<String, String> files = new TreeMap<>();
        CorpusStats stats = new CorpusStats();

        WrittenPartition() {
        }

        WrittenPartition(int index) {
            this.index = index;
        }
    }

    private static String summary(Map<String, PrepareManifest.SplitStats> splits) {
        StringBuilder sb = new StringBuilder();
        splits.forEach((k, v) -> sb.append(String.format("%s=%d %s (oov %.1f%%, truncated %.1f%%) ", k, v.count(),
                v.labels(), 100 * v.oovRate(), 100 * v.truncatedShare())));
        return sb.toString().trim();
    }
}
