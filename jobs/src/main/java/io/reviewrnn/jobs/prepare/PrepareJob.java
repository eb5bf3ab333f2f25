package io.reviewrnn.jobs.prepare;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code prepare} stage: reads a raw review corpus, cleans and tokenizes it, holds out a validation split,
 * builds the vocabulary from the training split only, encodes and pads every review, and writes the
 * {@link PreparedLayout} atomically. All record work runs on the executors; only the vocabulary (and a few
 * counts) reach the driver.
 */
public final class PrepareJob {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareJob.class);
    private static final String VALIDATION = PreparedLayout.VALIDATION;
    private static final String TRAIN = PreparedLayout.TRAIN;
    private static final String TEST = PreparedLayout.TEST;
    private static final int SNIPPET = 200;
    /** Nothing but whitespace, including Unicode spaces. */
    private static final String BLANK = "^[\\s\\p{Z}\\u0085]*$";

    static final StructType ENCODED = new StructType()
            .add("split", DataTypes.StringType, false)
            .add(PreparedLayout.COL_ID, DataTypes.StringType, false)
            .add(PreparedLayout.COL_LABEL, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_RATING, DataTypes.IntegerType, true)
            .add(PreparedLayout.COL_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add(PreparedLayout.COL_TOKEN_COUNT, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_OOV_COUNT, DataTypes.IntegerType, false)
            .add(PreparedLayout.COL_TRUNCATED, DataTypes.BooleanType, false);

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
        List<Dataset<Row>> cached = new ArrayList<>();
        try (AtomicDirectory out = AtomicDirectory.begin(fs, outPath, config.overwrite())) {
            Path tmp = out.temp();

            clock.start("read and check");
            Dataset<Row> raw = CorpusReader.read(spark, config.input(), TRAIN, config.maxReviewChars(), parts);
            if (config.testInput() != null) {
                raw = raw.union(CorpusReader.read(spark, config.testInput(), TEST, config.maxReviewChars(), parts));
            }
            Dataset<Row> checked = raw.withColumn(RawReviews.ERROR, RawReviews.flag(
                            col(RawReviews.TEXT).isNull().or(col(RawReviews.TEXT).rlike(BLANK)), "empty review"))
                    .withColumn(RawReviews.ERROR, RawReviews.flag(
                            col(RawReviews.SPLIT).isin(TRAIN, TEST).and(col(RawReviews.LABEL).isNull()),
                            "missing label"))
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            cached.add(checked);
            Map<String, Long> badByReason = new TreeMap<>();
            long unlabelled = 0;
            long totalRead = 0;
            for (Row r : checked.groupBy(col(RawReviews.ERROR), col(RawReviews.SPLIT)).count().collectAsList()) {
                long n = r.getLong(2);
                totalRead += n;
                if (!r.isNullAt(0)) {
                    badByReason.merge(reasonKind(r.getString(0)), n, Long::sum);
                } else if (!TRAIN.equals(r.getString(1)) && !TEST.equals(r.getString(1))) {
                    unlabelled += n;
                }
            }
            long badCount = badByReason.values().stream().mapToLong(Long::longValue).sum();
            clock.end("%d records, %d bad %s, %d unlabelled (not used)", totalRead, badCount, badByReason, unlabelled);
            if (totalRead == 0) {
                throw new IOException("no reviews found in " + config.input().path());
            }
            Dataset<Row> bad = checked.filter(col(RawReviews.ERROR).isNotNull());
            if (badCount > 0 && config.onBadRecord() == BadRecordPolicy.FAIL) {
                List<String> examples = new ArrayList<>();
                for (Row r : bad.select(RawReviews.SOURCE, RawReviews.ERROR).limit(5).collectAsList()) {
                    examples.add(r.getString(0) + ": " + r.getString(1));
                }
                throw new BadRecordsException(badCount, badByReason, examples);
            }
            PrepareManifest.RejectStats rejects = null;
            if (badCount > 0) {
                clock.start("write rejects");
                Path rejectsPath = new Path(tmp, PreparedLayout.REJECTS);
                bad.select(col(RawReviews.ID), col(RawReviews.SOURCE), col(RawReviews.ERROR).as("reason"),
                                org.apache.spark.sql.functions.substring(col(RawReviews.TEXT), 1, SNIPPET).as("snippet"))
                        .coalesce(1).write().json(rejectsPath.toString());
                rejects = new PrepareManifest.RejectStats(badCount, badByReason,
                        new Path(out.target(), PreparedLayout.REJECTS).toString());
                clock.end("%d rejected records written", badCount);
                LOG.warn("skipped {} bad records {}; see {}", badCount, badByReason, rejects.path());
            }
            Dataset<Row> good = checked.filter(col(RawReviews.ERROR).isNull()
                    .and(col(RawReviews.SPLIT).isin(TRAIN, TEST)));

            clock.start("validation split");
            Dataset<Row> assigned = assignValidation(spark, good)
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            cached.add(assigned);
            long assignedCount = assigned.count();
            checked.unpersist();
            clock.end("%d labelled reviews, %.0f%% of train held out per label", assignedCount,
                    100 * config.validationSplit());

            clock.start("vocabulary");
            Dataset<Row> counts = assigned.filter(col(RawReviews.SPLIT).equalTo(TRAIN))
                    .mapPartitions(tokensOf(), Encoders.STRING()).toDF("token")
                    .groupBy("token").count().persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(counts);
            long distinct = counts.count();
            List<WordCount> top = new ArrayList<>();
            for (Row r : counts.orderBy(col("count").desc(), col("token").asc())
                    .limit(config.text().wordSlots()).collectAsList()) {
                top.add(new WordCount(r.getString(0), r.getLong(1)));
            }
            Vocabulary vocabulary = Vocabulary.ofRanked(top);
            counts.unpersist();
            try (Writer w = new OutputStreamWriter(fs.create(new Path(tmp, PreparedLayout.VOCABULARY)),
                    StandardCharsets.UTF_8)) {
                vocabulary.write(w);
            }
            clock.end("%d distinct training tokens, kept %d (ids %d..%d)", distinct, vocabulary.size(),
                    3, vocabulary.idLimit() - 1);

            clock.start("encode and write");
            Broadcast<SequenceEncoder> encoder = spark.sparkContext().broadcast(
                    new SequenceEncoder(config.text(), vocabulary),
                    scala.reflect.ClassTag$.MODULE$.apply(SequenceEncoder.class));
            Dataset<Row> encoded = assigned.mapPartitions(encode(encoder), Encoders.row(ENCODED))
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            cached.add(encoded);
            for (String split : PreparedLayout.SPLITS) {
                encoded.filter(col("split").equalTo(split)).drop("split")
                        .write().parquet(new Path(tmp, split).toString());
            }
            clock.end();

            clock.start("statistics");
            Map<String, PrepareManifest.SplitStats> splits = statistics(encoded);
            clock.end("%s", summary(splits));

            Map<String, Double> stages = new LinkedHashMap<>(clock.seconds());
            PrepareManifest manifest = new PrepareManifest(PrepareManifest.FORMAT_VERSION, Instant.now().toString(),
                    config.text(), Yaml.json().valueToTree(config), vocabulary.size(), distinct, splits, unlabelled,
                    rejects, stages, environment(spark));
            try (java.io.OutputStream os = fs.create(new Path(tmp, PreparedLayout.MANIFEST))) {
                Yaml.json().writeValue(os, manifest);
            }
            out.commit();
            LOG.info("prepared corpus committed to {} in {} s", out.target(), String.format("%.1f",
                    clock.totalSeconds()));
            return new PrepareResult(out.target().toString(), manifest, clock.totalSeconds());
        } finally {
            for (Dataset<Row> d : cached) {
                d.unpersist();
            }
        }
    }

    /**
     * Marks {@code validation_split} of each label's training reviews as validation: the reviews with the smallest
     * {@code xxhash64(seed, id)}, so the split is exact, stratified, and the same on every run and cluster
     * whatever the partitioning. Done with a distributed sort and {@code zipWithIndex}, not on the driver.
     */
    private Dataset<Row> assignValidation(SparkSession spark, Dataset<Row> good) {
        Dataset<Row> train = good.filter(col(RawReviews.SPLIT).equalTo(TRAIN));
        Dataset<Row> test = good.filter(col(RawReviews.SPLIT).equalTo(TEST));
        if (config.validationSplit() <= 0) {
            return good;
        }
        long[] perLabel = new long[2];
        for (Row r : train.groupBy(RawReviews.LABEL).count().collectAsList()) {
            perLabel[r.getInt(0)] = r.getLong(1);
        }
        long[] holdOut = new long[2];
        for (int l = 0; l < 2; l++) {
            holdOut[l] = (long) Math.ceil(perLabel[l] * config.validationSplit() - 1e-9);
        }
        long offset1 = perLabel[0];
        int splitIdx = RawReviews.SCHEMA.fieldIndex(RawReviews.SPLIT);
        int labelIdx = RawReviews.SCHEMA.fieldIndex(RawReviews.LABEL);
        JavaRDD<Row> sorted = train.withColumn("_key", xxhash64(lit(config.seed()), col(RawReviews.ID)))
                .sort(col(RawReviews.LABEL), col("_key"), col(RawReviews.ID)).drop("_key").javaRDD();
        JavaRDD<Row> marked = sorted.zipWithIndex().map(t -> {
            Row r = t._1();
            int label = r.getInt(labelIdx);
            long rank = label == 0 ? t._2() : t._2() - offset1;
            Object[] values = new Object[r.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.get(i);
            }
            values[splitIdx] = rank < holdOut[label] ? VALIDATION : TRAIN;
            return RowFactory.create(values);
        });
        return spark.createDataFrame(marked, RawReviews.SCHEMA).union(test);
    }

    private static MapPartitionsFunction<Row, String> tokensOf() {
        return rows -> {
            KerasTokenizer tokenizer = new KerasTokenizer();
            List<String> buffer = new ArrayList<>();
            return new java.util.Iterator<>() {
                private int pos;

                @Override
                public boolean hasNext() {
                    while (pos >= buffer.size() && rows.hasNext()) {
                        buffer.clear();
                        pos = 0;
                        tokenizer.forEachToken(rows.next().getAs(RawReviews.TEXT), buffer::add);
                    }
                    return pos < buffer.size();
                }

                @Override
                public String next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    return buffer.get(pos++);
                }
            };
        };
    }

    private static MapPartitionsFunction<Row, Row> encode(Broadcast<SequenceEncoder> encoder) {
        return rows -> {
            SequenceEncoder enc = encoder.value();
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    Row r = rows.next();
                    EncodedReview e = enc.encode(r.getAs(RawReviews.TEXT));
                    Integer[] ids = new Integer[e.ids().length];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = e.ids()[i];
                    }
                    return RowFactory.create(r.getAs(RawReviews.SPLIT), r.getAs(RawReviews.ID),
                            r.getAs(RawReviews.LABEL), r.getAs(RawReviews.RATING), ids, e.tokenCount(),
                            e.oovCount(), e.truncated());
                }
            };
        };
    }

    private Map<String, PrepareManifest.SplitStats> statistics(Dataset<Row> encoded) {
        Map<String, Map<String, Long>> labels = new TreeMap<>();
        for (Row r : encoded.groupBy("split", PreparedLayout.COL_LABEL).count().collectAsList()) {
            labels.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(String.valueOf(r.getInt(1)), r.getLong(2));
        }
        double[] qs = {0.5, 0.9, 0.95, 0.99, 1.0};
        var pct = array(lit(qs[0]), lit(qs[1]), lit(qs[2]), lit(qs[3]), lit(qs[4]));
        Map<String, PrepareManifest.SplitStats> out = new LinkedHashMap<>();
        List<Row> rows = encoded.groupBy("split").agg(
                count(lit(1)),
                sum(PreparedLayout.COL_TOKEN_COUNT),
                sum(PreparedLayout.COL_OOV_COUNT),
                sum(col(PreparedLayout.COL_TRUNCATED).cast("long")),
                mean(PreparedLayout.COL_TOKEN_COUNT),
                percentile_approx(col(PreparedLayout.COL_TOKEN_COUNT), pct, lit(10000))).collectAsList();
        Map<String, Row> bySplit = new TreeMap<>();
        rows.forEach(r -> bySplit.put(r.getString(0), r));
        for (String split : PreparedLayout.SPLITS) {
            Row r = bySplit.get(split);
            if (r == null) {
                out.put(split, new PrepareManifest.SplitStats(0, Map.of(), 0, 0, 0, 0, 0, 0, Map.of()));
                continue;
            }
            long n = r.getLong(1);
            long tokens = r.getLong(2);
            long oov = r.getLong(3);
            long truncated = r.getLong(4);
            List<Integer> p = r.getList(6);
            Map<String, Double> percentiles = new LinkedHashMap<>();
            for (int i = 0; i < qs.length; i++) {
                percentiles.put(qs[i] == 1.0 ? "max" : "p" + Math.round(qs[i] * 100), p.get(i).doubleValue());
            }
            out.put(split, new PrepareManifest.SplitStats(n, labels.getOrDefault(split, Map.of()), tokens, oov,
                    tokens == 0 ? 0 : (double) oov / tokens, truncated, (double) truncated / n, r.getDouble(5),
                    percentiles));
        }
        return out;
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

    private static Map<String, String> environment(SparkSession spark) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("spark_master", spark.sparkContext().master());
        env.put("spark_version", spark.version());
        env.put("default_parallelism", String.valueOf(spark.sparkContext().defaultParallelism()));
        env.put("java_version", System.getProperty("java.version"));
        return env;
    }

    static JsonNode toJson(Object o) {
        return Yaml.json().valueToTree(o);
    }
}
