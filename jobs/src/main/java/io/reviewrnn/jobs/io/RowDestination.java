package io.reviewrnn.jobs.io;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;

/**
 * Where the rows a stage's tasks wrote end up once the driver has committed the task files ({@link TaskOutput}):
 * the files themselves, under the output directory ({@link #files}), or a table of the session catalog
 * ({@link CatalogTable}), which takes the committed files over. The tasks always write files, in
 * {@link #taskFormat()}, so a destination changes nothing in the single pass or its record accounting.
 */
public interface RowDestination extends Serializable {
    /** The format the tasks write their files in. */
    OutputFormat taskFormat();

    /**
     * Publishes the committed files of {@code dir} and returns the rows the committed destination holds, counted
     * from the destination itself, or -1 when the format cannot be counted without reading it all (CSV files).
     */
    long publish(SparkSession spark, FileSystem fs, Path dir) throws IOException;

    /** What a summary names as the destination of {@code dir}'s rows: a path or a table. */
    String describe(Path dir);

    /** The files under the output directory, as the tasks wrote them. */
    static RowDestination files(OutputFormat format) {
        return new Files(format);
    }

    /** Files in place; Parquet files are counted from their footers. */
    record Files(OutputFormat taskFormat) implements RowDestination {
        @Override
        public long publish(SparkSession spark, FileSystem fs, Path dir) throws IOException {
            return taskFormat == OutputFormat.PARQUET ? parquetRows(fs, dir) : -1;
        }

        @Override
        public String describe(Path dir) {
            return dir.toString();
        }
    }

    /** The rows of the Parquet files directly under {@code dir}, from their footers. */
    private static long parquetRows(FileSystem fs, Path dir) throws IOException {
        long rows = 0;
        for (FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(".parquet"))) {
            try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, fs.getConf()))) {
                rows += r.getRecordCount();
            }
        }
        return rows;
    }
}
