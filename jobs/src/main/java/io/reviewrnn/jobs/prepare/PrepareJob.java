package io.reviewrnn.jobs.prepare;

import static org.apache.spark.sql.functions.col;

import io.reviewrnn.core.config.BadRecordPolicy;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.config.Yaml;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.KerasTokenizer;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import io.reviewrnn.jobs.StageClock;
import io.reviewrnn.jobs.io.CorpusReader;
import io.reviewrnn.jobs.io.RawReviews;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The {@code prepare} stage: reads a raw review corpus, checks every record, holds out a validation split,
 * builds the vocabulary from the training split only, encodes and pads every review, and writes the
 * {@link PreparedLayout} atomically.
 *
 * <p>All record work runs on the executors, in four passes over the checked records (kept in executor memory,
 * spilling to disk): counting, the validation threshold, the word count, and encode-and-write. Only small
 * results reach the driver: counts, two threshold keys and the vocabulary. Statistics are gathered exactly
 * while the output is written.
 */
public final class PrepareJob {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareJob.class);
    private static final String TRAIN = PreparedLayout.TRAIN;
    private static final String VALIDATION = PreparedLayout.VALIDATION;
    private static final String TEST = PreparedLayout.TEST;
    private static final int SNIPPET = 200;
    private static final String BY_SPLIT = "_by_split";

    static final StructType ENCODED = new StructType()
            .add(PreparedLayout.COL_ID, DataTypes.StringType, false)
            .add(PreparedLayout.COL_LABEL, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_RATING, DataTypes.IntegerType, true)
            .add(PreparedLayout.COL_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add(PreparedLayout.COL_TOKEN_COUNT, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_OOV_COUNT, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_TRUNCATED, DataTypes.BooleanType, false)
            .add("split", DataTypes.StringType, false);

    static final StructType REJECT = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("source", DataTypes.StringType, true)
            .add("reason", DataTypes.StringType, true)
            .add("snippet", DataTypes.StringType, true);

    private static final int ID = RawReviews.SCHEMA.fieldIndex(RawReviews.ID);
    private static final int SPLIT = RawReviews.SCHEMA.fieldIndex(RawReviews.SPLIT);
    private static final int LABEL = RawReviews.SCHEMA.fieldIndex(RawReviews.LABEL);
    private static final int RATING = RawReviews.SCHEMA.fieldIndex(RawReviews.RATING);
    private static final int TEXT = RawReviews.SCHEMA.fieldIndex(RawReviews.TEXT);
    private static final int SOURCE = RawReviews.SCHEMA.fieldIndex(RawReviews.SOURCE);
    private static final int ERROR = RawReviews.SCHEMA.fieldIndex(RawReviews.ERROR);

    private final PrepareConfig config;

    public PrepareJob(PrepareConfig config) {
        this.config = config;
    }

    public PrepareResult run(SparkSession spark) throws IOException {
        StageClock clock = new StageClock(LOG, spark.sparkContext(), "prepare");
        LOG.info("prepare config: {}", Yaml.json().writer().without(
                com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(config));
        Path outPath = new Path(config.output());
        FileSystem fs = outPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
        int parts = config.partitions() > 0 ? config.partitions() : 2 * spark.sparkContext().defaultParallelism();
        JavaRDD<Row> checked = null;
        try (AtomicDirectory out = AtomicDirectory.begin(fs, outPath, config.overwrite())) {
            Path tmp = out.temp();

            clock.start("read and check");
            JavaRDD<Row> raw = CorpusReader.read(spark, config.input(), TRAIN, config.maxReviewChars(), parts);
            if (config.testInput() != null) {
                raw = raw.union(CorpusReader.read(spark, config.testInput(), TEST, config.maxReviewChars(), parts));
            }
            checked = raw.map(PrepareJob::check).persist(StorageLevel.MEMORY_AND_DISK());
            Map<String, Long> tally = checked.map(PrepareJob::tallyKey).countByValue();
            Map<String, Long> badByReason = new TreeMap<>();
            long[][] perLabel = new long[2][2]; // [train|test][label]
            long unlabelled = 0;
            long totalRead = 0;
            for (Map.Entry<String, Long> e : tally.entrySet()) {
                totalRead += e.getValue();
                String k = e.getKey();
                if (k.startsWith("bad:")) {
                    badByReason.merge(k.substring(4), e.getValue(), Long::sum);
                } else if (k.startsWith("unlabelled")) {
                    unlabelled += e.getValue();
                } else {
                    String[] p = k.split(":");
                    perLabel[p[0].equals(TRAIN) ? 0 : 1][Integer.parseInt(p[1])] += e.getValue();
                }
            }
            long badCount = badByReason.values().stream().mapToLong(Long::longValue).sum();
            clock.end("%d records, %d bad %s, %d unlabelled (not used)", totalRead, badCount, badByReason, unlabelled);
            if (totalRead == 0) {
                throw new IOException("no reviews found in " + config.input().path());
            }
            JavaRDD<Row> bad = checked.filter(r -> !r.isNullAt(ERROR));
            if (badCount > 0 && config.onBadRecord() == BadRecordPolicy.FAIL) {
                List<String> examples = new ArrayList<>();
                for (Row r : bad.take(5)) {
                    examples.add(r.getString(SOURCE) + ": " + r.getString(ERROR));
                }
                throw new BadRecordsException(badCount, badByReason, examples);
            }
            PrepareManifest.RejectStats rejects = null;
            if (badCount > 0) {
                clock.start("write rejects");
                JavaRDD<Row> rejected = bad.map(r -> RowFactory.create(r.getString(ID), r.getString(SOURCE),
                        r.getString(ERROR), r.isNullAt(TEXT) ? null : snippet(r.getString(TEXT))));
                spark.createDataFrame(rejected, REJECT).coalesce(1).write()
                        .json(new Path(tmp, PreparedLayout.REJECTS).toString());
                rejects = new PrepareManifest.RejectStats(badCount, badByReason,
                        new Path(out.target(), PreparedLayout.REJECTS).toString());
                clock.end("%d rejected records written", badCount);
                LOG.warn("skipped {} bad records {}; see {}", badCount, badByReason, rejects.path());
            }
            JavaRDD<Row> good = checked.filter(r -> r.isNullAt(ERROR)
                    && (TRAIN.equals(r.getString(SPLIT)) || TEST.equals(r.getString(SPLIT))));

            clock.start("validation split");
            ValidationSplit holdOut = validationSplit(good, perLabel[0]);
            clock.end("%d of %d and %d of %d training reviews (label 0, 1) held out", holdOut.size[0], perLabel[0][0],
                    holdOut.size[1], perLabel[0][1]);

            clock.start("vocabulary");
            JavaPairRDD<String, Long> counts = good.filter(r -> TRAIN.equals(r.getString(SPLIT))
                            && !holdOut.isValidation(r))
                    .mapPartitionsToPair(PrepareJob::countTokens)
                    .reduceByKey(Long::sum, parts)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            List<Tuple2<String, Long>> top = counts.takeOrdered(config.text().wordSlots(), new Ranking());
            long distinct = counts.count();
            counts.unpersist(false);
            List<WordCount> ranked = new ArrayList<>(top.size());
            top.forEach(t -> ranked.add(new WordCount(t._1(), t._2())));
            Vocabulary vocabulary = Vocabulary.ofRanked(ranked);
            try (Writer w = new OutputStreamWriter(fs.create(new Path(tmp, PreparedLayout.VOCABULARY)),
                    StandardCharsets.UTF_8)) {
                vocabulary.write(w);
            }
            clock.end("%d distinct training tokens, kept %d (ids 3..%d)", distinct, vocabulary.size(),
                    vocabulary.idLimit() - 1);

            clock.start("encode and write");
            Broadcast<SequenceEncoder> encoder = spark.sparkContext().broadcast(
                    new SequenceEncoder(config.text(), vocabulary),
                    scala.reflect.ClassTag$.MODULE$.apply(SequenceEncoder.class));
            CorpusStatsAccumulator stats = new CorpusStatsAccumulator();
            spark.sparkContext().register(stats, "prepare statistics");
            JavaRDD<EncodedRow> encoded = good.mapPartitions(rows -> encode(rows, encoder.value(), holdOut, stats));
            Path bySplit = new Path(tmp, BY_SPLIT);
            spark.createDataset(encoded.rdd(), Encoders.bean(EncodedRow.class)).select(
                            col("id"), col("label"), col("rating"), col("ids").as(PreparedLayout.COL_IDS),
                            col("tokenCount").as(PreparedLayout.COL_TOKEN_COUNT),
                            col("oovCount").as(PreparedLayout.COL_OOV_COUNT),
                            col("truncated").as(PreparedLayout.COL_TRUNCATED), col("split"))
                    .write().partitionBy("split").parquet(bySplit.toString());
            StructType fileSchema = new StructType(java.util.Arrays.copyOf(ENCODED.fields(), ENCODED.size() - 1));
            for (String split : PreparedLayout.SPLITS) {
                Path written = new Path(bySplit, "split=" + split);
                Path target = new Path(tmp, split);
                if (fs.exists(written)) {
                    if (!fs.rename(written, target)) {
                        throw new IOException("cannot move " + written + " to " + target);
                    }
                    fs.create(new Path(target, AtomicDirectory.SUCCESS), true).close();
                } else {
                    spark.createDataFrame(List.of(), fileSchema).write().parquet(target.toString());
                }
            }
            fs.delete(bySplit, true);
            Map<String, PrepareManifest.SplitStats> splits = new LinkedHashMap<>();
            for (String split : PreparedLayout.SPLITS) {
                splits.put(split, stats.value().toManifest(split));
            }
            clock.end("%s", summary(splits));

            PrepareManifest manifest = new PrepareManifest(PrepareManifest.FORMAT_VERSION, Instant.now().toString(),
                    config.text(), Yaml.json().valueToTree(config), vocabulary.size(), distinct, splits, unlabelled,
                    rejects, new LinkedHashMap<>(clock.seconds()), io.reviewrnn.jobs.SparkEnvironment.of(spark));
            try (OutputStream os = fs.create(new Path(tmp, PreparedLayout.MANIFEST))) {
                Yaml.json().writeValue(os, manifest);
            }
            out.commit();
            LOG.info("prepared corpus committed to {} in {} s", out.target(),
                    String.format("%.1f", clock.totalSeconds()));
            return new PrepareResult(out.target().toString(), manifest, clock.totalSeconds());
        } finally {
            if (checked != null) {
                checked.unpersist(false);
            }
        }
    }

    /** Flags empty reviews and missing labels, which the readers leave to the job. */
    private static Row check(Row r) {
        if (!r.isNullAt(ERROR)) {
            return r;
        }
        String error = null;
        String text = r.getString(TEXT);
        String split = r.getString(SPLIT);
        if (text == null || text.isBlank()) {
            error = "empty review";
        } else if ((TRAIN.equals(split) || TEST.equals(split)) && r.isNullAt(LABEL)) {
            error = "missing label";
        }
        if (error == null) {
            return r;
        }
        return RawReviews.row(r.getString(ID), split, r.isNullAt(LABEL) ? null : r.getInt(LABEL),
                r.isNullAt(RATING) ? null : r.getInt(RATING), text, r.getString(SOURCE), error);
    }

    private static String tallyKey(Row r) {
        if (!r.isNullAt(ERROR)) {
            return "bad:" + reasonKind(r.getString(ERROR));
        }
        String split = r.getString(SPLIT);
        if (!TRAIN.equals(split) && !TEST.equals(split)) {
            return "unlabelled";
        }
        return split + ":" + r.getInt(LABEL);
    }

    /**
     * Chooses exactly {@code ceil(validation_split * n)} training reviews of each label for validation: those with the
     * smallest {@code (hash(seed, id), id)}. The result is the same on every run and cluster whatever the
     * partitioning. A distributed sort of (label, hash, id) finds the two threshold keys; no review moves.
     */
    private ValidationSplit validationSplit(JavaRDD<Row> good, long[] trainPerLabel) {
        long seed = config.seed();
        long[] size = new long[2];
        for (int l = 0; l < 2; l++) {
            size[l] = (long) Math.ceil(trainPerLabel[l] * config.validationSplit() - 1e-9);
        }
        Tuple2<Long, String>[] thresholds = newThresholds();
        if (size[0] + size[1] > 0) {
            JavaRDD<SplitKey> keys = good.filter(r -> TRAIN.equals(r.getString(SPLIT)))
                    .map(r -> new SplitKey(r.getInt(LABEL), hash(seed, r.getString(ID)), r.getString(ID)));
            JavaPairRDD<SplitKey, Long> indexed = keys.sortBy(k -> k, true, keys.getNumPartitions()).zipWithIndex();
            long last0 = size[0] - 1;
            long last1 = trainPerLabel[0] + size[1] - 1;
            for (Tuple2<SplitKey, Long> t : indexed.filter(t -> t._2() == last0 || t._2() == last1).collect()) {
                thresholds[t._1().label()] = new Tuple2<>(t._1().hash(), t._1().id());
            }
        }
        return new ValidationSplit(seed, thresholds, size);
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

    /** Which training reviews are held out for validation: a per-label threshold on (hash, id). */
    static final class ValidationSplit implements Serializable {
        private static final long serialVersionUID = 1L;
        final long seed;
        final Tuple2<Long, String>[] thresholds;
        final long[] size;

        ValidationSplit(long seed, Tuple2<Long, String>[] thresholds, long[] size) {
            this.seed = seed;
            this.thresholds = thresholds;
            this.size = size;
        }

        boolean isValidation(Row r) {
            if (!TRAIN.equals(r.getString(SPLIT))) {
                return false;
            }
            Tuple2<Long, String> t = thresholds[r.getInt(LABEL)];
            if (t == null) {
                return false;
            }
            long h = hash(seed, r.getString(ID));
            return h < t._1() || (h == t._1() && r.getString(ID).compareTo(t._2()) <= 0);
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

    private static Iterator<Tuple2<String, Long>> countTokens(Iterator<Row> rows) {
        KerasTokenizer tokenizer = new KerasTokenizer();
        HashMap<String, long[]> counts = new HashMap<>(1 << 16);
        while (rows.hasNext()) {
            tokenizer.forEachToken(rows.next().getString(TEXT), t -> counts.computeIfAbsent(t, k -> new long[1])[0]++);
        }
        List<Tuple2<String, Long>> out = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> out.add(new Tuple2<>(k, v[0])));
        return out.iterator();
    }

    /** Count descending, then token in code-point order: {@link WordCount#RANKING} on tuples. */
    static final class Ranking implements Comparator<Tuple2<String, Long>>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
            return WordCount.RANKING.compare(new WordCount(a._1(), a._2()), new WordCount(b._1(), b._2()));
        }
    }

    private static Iterator<EncodedRow> encode(Iterator<Row> rows, SequenceEncoder enc, ValidationSplit holdOut,
                                               CorpusStatsAccumulator acc) {
        CorpusStats stats = new CorpusStats();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more && !stats.isEmpty()) {
                    acc.add(stats);
                    stats.splits.clear();
                }
                return more;
            }

            @Override
            public EncodedRow next() {
                Row r = rows.next();
                EncodedReview e = enc.encode(r.getString(TEXT));
                String split = holdOut.isValidation(r) ? VALIDATION : r.getString(SPLIT);
                int label = r.getInt(LABEL);
                stats.add(split, label, e.tokenCount(), e.oovCount(), e.truncated());
                return new EncodedRow(r.getString(ID), label, r.isNullAt(RATING) ? null : r.getInt(RATING), e.ids(),
                        e.tokenCount(), e.oovCount(), e.truncated(), split);
            }
        };
    }

    private static String snippet(String text) {
        return text.length() <= SNIPPET ? text : text.substring(0, SNIPPET);
    }

    private static String summary(Map<String, PrepareManifest.SplitStats> splits) {
        StringBuilder sb = new StringBuilder();
        splits.forEach((k, v) -> sb.append(String.format("%s=%d %s (oov %.1f%%, truncated %.1f%%) ", k, v.count(),
                v.labels(), 100 * v.oovRate(), 100 * v.truncatedShare())));
        return sb.toString().trim();
    }

    /** The first words of an error message, used to group rejects by reason. */
    static String reasonKind(String error) {
        int cut = error.length();
        for (char c : new char[] {':', '(', '\''}) {
            int i = error.indexOf(c);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        return error.substring(0, cut).trim();
    }
}
