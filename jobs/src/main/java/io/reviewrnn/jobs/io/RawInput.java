package io.reviewrnn.jobs.io;

import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.config.CorpusSource;
import java.io.IOException;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw reviews for the stages that score them ({@code score}, {@code evaluate}): the corpus reader's rows
 * ({@link RawReviews#SCHEMA}), read once, in at least {@code partitions} partitions. Splittable files (JSON Lines,
 * text, Parquet) are split that finely when they are planned, so no shuffle of the text is needed; an input that
 * cannot be split (one CSV file, one {@code .tar.gz}) is repartitioned so that inference uses every core.
 */
public final class RawInput {
    private static final Logger LOG = LoggerFactory.getLogger(RawInput.class);

    private RawInput() {
    }

    /**
     * Reads {@code source}; rows are not filtered (see {@link Rejects#problem}).
     *
     * @param labelsRequired an unknown label is a bad record (evaluate); scoring needs no label, so for score an
     *                       unknown one becomes no label and the review is scored
     */
    public static JavaRDD<Row> read(SparkSession spark, CorpusSource source, int maxChars, int partitions,
            boolean labelsRequired) throws IOException {
        return read(spark, source, maxChars, partitions, labelsRequired, List.of());
    }

    /** As above, each row followed by the input's columns {@code kept} ({@link RawReviews#schema}). */
    public static JavaRDD<Row> read(SparkSession spark, CorpusSource source, int maxChars, int partitions,
            boolean labelsRequired, List<String> kept) throws IOException {
        if (CorpusReader.resolveFormat(spark, source) != CorpusFormat.PARQUET) {
            // the other readers are RDDs of our own: no Spark SQL session state to build (about 0.8 s cold)
            return atLeast(spark, CorpusReader.read(spark, source, null, maxChars, partitions, labelsRequired,
                    kept), partitions);
        }
        String key = SQLConf.FILES_MIN_PARTITION_NUM().key();
        String before = spark.conf().contains(key) ? spark.conf().get(key) : null;
        JavaRDD<Row> rows;
        spark.conf().set(key, partitions); // read when the file scan is planned, i.e. inside read()
        try {
            rows = CorpusReader.read(spark, source, null, maxChars, partitions, labelsRequired, kept);
        } finally {
            if (before == null) {
                spark.conf().unset(key);
            } else {
                spark.conf().set(key, before);
            }
        }
        return atLeast(spark, rows, partitions);
    }

    /** {@code rows}, repartitioned when it has fewer partitions than cores to use. */
    private static JavaRDD<Row> atLeast(SparkSession spark, JavaRDD<Row> rows, int partitions) {
        int n = rows.getNumPartitions();
        if (n < Math.min(partitions, spark.sparkContext().defaultParallelism())) {
            LOG.info("input has {} partition(s): repartitioning to {} to use every core", n, partitions);
            return rows.repartition(partitions);
        }
        LOG.info("input read in {} partitions", n);
        return rows;
    }
}
