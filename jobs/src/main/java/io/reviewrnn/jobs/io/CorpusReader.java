package io.reviewrnn.jobs.io;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.corpus.CorpusFormat;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads any supported corpus into rows laid out as {@link RawReviews#SCHEMA} (followed by kept columns, if asked).
 * Paths may be plain local paths, {@code file://} or {@code hdfs://} (any Hadoop FileSystem). A missing or
 * unreadable path fails at once with the path in the message.
 */
public final class CorpusReader {
    private static final Logger LOG = LoggerFactory.getLogger(CorpusReader.class);

    private CorpusReader() {
    }

    /**
     * @param defaultSplit split for records whose source does not say ({@code train}, {@code test}, or null)
     * @param maxChars longer reviews are bad records; no reader holds more than this (or its bytes) of one record
     * @param partitions partitions for the records after reading
     * @param labelsRequired an unknown label is a bad record (prepare, evaluate) rather than no label (score)
     */
    public static JavaRDD<Row> read(SparkSession spark, CorpusSource source, String defaultSplit, int maxChars,
                                    int partitions, boolean labelsRequired) throws IOException {
        return read(spark, source, defaultSplit, maxChars, partitions, labelsRequired, List.of());
    }

    /**
     * As above, each row followed by the input's columns {@code kept} as strings ({@link RawReviews#schema}). Only
     * formats with named columns have them (CSV, TSV, JSON Lines, Parquet); for aclImdb or text input, or a name
     * the input's columns lack (CSV/TSV header, Parquet schema), the error names {@code keep_columns}.
     */
    public static JavaRDD<Row> read(SparkSession spark, CorpusSource source, String defaultSplit, int maxChars,
                                    int partitions, boolean labelsRequired, List<String> kept) throws IOException {
        CorpusFormat format = resolveFormat(spark, source);
        LOG.info("reading {} as {}", source.path(), format.key());
        if (!kept.isEmpty() && (format == CorpusFormat.ACLIMDB || format == CorpusFormat.TEXT)) {
            throw new ConfigException("keep_columns", String.join(",", kept), "needs input with named columns (csv,"
                    + " tsv, jsonl or parquet); " + source.path() + " is " + format.key() + ", which has none");
        }
        return switch (format) {
            case ACLIMDB -> AclImdbReader.read(spark, source, maxChars, partitions);
            case PARQUET -> TabularReader.readParquet(spark, source, defaultSplit, maxChars, labelsRequired, kept)
                    .javaRDD();
            default -> BoundedRecordReader.read(spark, source, format, defaultSplit, maxChars, partitions,
                    labelsRequired, kept);
        };
    }

    /** The format of {@code source}: as configured, or guessed from the path. */
    public static CorpusFormat resolveFormat(SparkSession spark, CorpusSource source) throws IOException {
        Path path = new Path(source.path());
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        FileStatus status;
        try {
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new FileNotFoundException("input path does not exist: " + fs.makeQualified(path));
            }
            status = matches[0];
        } catch (org.apache.hadoop.security.AccessControlException e) {
            throw new IOException("input path is not readable: " + path + ": " + e.getMessage(), e);
        }
        if (source.format() != CorpusFormat.AUTO) {
            return source.format();
        }
        if (status.isDirectory()) {
            if (fs.exists(new Path(status.getPath(), "train")) || fs.exists(new Path(status.getPath(), "test"))) {
                return CorpusFormat.ACLIMDB;
            }
            for (FileStatus child : fs.listStatus(status.getPath())) {
                String name = child.getPath().getName();
                if (name.endsWith(".parquet")) {
                    return CorpusFormat.PARQUET;
                }
                if (!name.startsWith("_") && !name.startsWith(".")) {
                    CorpusFormat f = CorpusFormat.guess(name, child.isDirectory());
                    if (f != CorpusFormat.ACLIMDB && f != CorpusFormat.TEXT) {
                        return f;
                    }
                }
            }
            throw new IOException("cannot tell the format of directory " + status.getPath()
                    + ": set format (aclimdb, csv, tsv, jsonl, parquet or text)");
        }
        return CorpusFormat.guess(status.getPath().getName(), false);
    }
}
