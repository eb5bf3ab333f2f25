package io.reviewrnn.jobs.io;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.corpus.CorpusFormat;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads any supported corpus into rows laid out as {@link RawReviews#SCHEMA}. Paths may be plain local paths,
 * {@code file://} or {@code hdfs://} (any Hadoop FileSystem). A missing or unreadable path fails at once
 * with the path in the message.
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
        CorpusFormat format = resolveFormat(spark, source);
        LOG.info("reading {} as {}", source.path(), format.key());
        return switch (format) {
            case ACLIMDB -> AclImdbReader.read(spark, source, maxChars, partitions);
            case PARQUET -> TabularReader.readParquet(spark, source, defaultSplit, maxChars, labelsRequired).javaRDD();
            default -> BoundedRecordReader.read(spark, source, format, defaultSplit, maxChars, partitions,
                    labelsRequired);
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
