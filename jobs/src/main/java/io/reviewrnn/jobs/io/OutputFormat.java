package io.reviewrnn.jobs.io;

import io.reviewrnn.core.base.ConfigException;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.StructType;

/**
 * The file formats a stage writes rows in, each with its writer: Parquet (Snappy, Spark's schema in the footer, so
 * Spark reads back exactly the written types), CSV with a header as Spark writes it by default, and JSON Lines
 * (null fields left out, as Spark's JSON writer does). A new format is one entry and one {@link RowSink}.
 */
public enum OutputFormat {
    PARQUET("parquet", ".snappy.parquet"),
    CSV("csv", ".csv"),
    JSON("json", ".json");

    private final String key;
    private final String extension;

    OutputFormat(String key, String extension) {
        this.key = key;
        this.extension = extension;
    }

    public String key() {
        return key;
    }

    public String extension() {
        return extension;
    }

    /** Opens a new file; fails if it exists. */
    public RowSink open(FileSystem fs, Path file, StructType schema) throws IOException {
        return switch (this) {
            case PARQUET -> new ParquetRowSink(fs, file, schema);
            case CSV -> new CsvRowSink(fs.create(file, false), schema);
            case JSON -> new JsonRowSink(fs.create(file, false), schema);
        };
    }

    /** The format named {@code value} (case-insensitive); the error names {@code configKey}. */
    public static OutputFormat parse(String configKey, String value) {
        for (OutputFormat f : values()) {
            if (f.key.equals(value.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new ConfigException(configKey, value, "must be parquet, csv or json");
    }
}
