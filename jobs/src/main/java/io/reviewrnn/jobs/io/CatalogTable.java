package io.reviewrnn.jobs.io;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.store.OutputExistsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table of the session catalog (the Hive metastore on a cluster with Hive support, else Spark's in-memory
 * catalog) as a {@link RowDestination}. The tasks write Parquet files as for a directory; once the driver has
 * committed them, {@link #publish} writes them to the table with {@code saveAsTable} in the table's format
 * ({@code parquet} or {@code csv}), partitioned by the given columns, then deletes the staged files. The rows the
 * table holds afterwards are counted from the table. A new table is created; an existing one is refused unless
 * {@code overwrite}, which replaces it (Spark drops and recreates it: not atomic for readers of the table).
 */
public final class CatalogTable implements RowDestination {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CatalogTable.class);

    private final String table;
    private final List<String> partitionBy;
    private final OutputFormat format;
    private final StructType schema;
    private final boolean overwrite;

    private CatalogTable(String table, List<String> partitionBy, OutputFormat format, StructType schema,
                         boolean overwrite) {
        this.table = table;
        this.partitionBy = partitionBy;
        this.format = format;
        this.schema = schema;
        this.overwrite = overwrite;
    }

    /**
     * A table destination for rows of {@code schema}, checked before any work: the partition columns are columns
     * of {@code schema} and not all of them; errors name the keys {@code tableKey} and {@code partitionKey}.
     */
    public static CatalogTable of(String tableKey, String table, String partitionKey, List<String> partitionBy,
                                  OutputFormat format, StructType schema, boolean overwrite) {
        List<String> columns = checkPartitionBy(partitionKey, partitionBy, schema);
        if (table == null || table.isBlank()) {
            throw new ConfigException(tableKey, table, "must name a table");
        }
        return new CatalogTable(table, columns, format, schema, overwrite);
    }

    /** The partition columns as {@code schema} spells them; fails naming {@code key} and the unknown column. */
    static List<String> checkPartitionBy(String key, List<String> partitionBy, StructType schema) {
        List<String> columns = new ArrayList<>();
        if (partitionBy == null) {
            return columns;
        }
        Map<String, String> byLower = new TreeMap<>();
        for (String f : schema.fieldNames()) {
            byLower.put(f.toLowerCase(Locale.ROOT), f);
        }
        for (String c : partitionBy) {
            String name = byLower.get(c.toLowerCase(Locale.ROOT));
            if (name == null) {
                throw new ConfigException(key, c, "must name columns of the predictions "
                        + List.of(schema.fieldNames()));
            }
            columns.add(name);
        }
        if (columns.size() >= schema.size()) {
            throw new ConfigException(key, String.join(",", partitionBy), "must leave at least one column unpartitioned");
        }
        return columns;
    }

    /** Fails before any work when the table's database is missing, or the table exists and may not be replaced. */
    public void checkWritable(SparkSession spark, String tableKey) throws IOException {
        int dot = table.indexOf('.');
        if (dot > 0 && !spark.catalog().databaseExists(table.substring(0, dot))) {
            throw new ConfigException(tableKey, table, "names database '" + table.substring(0, dot)
                    + "', which the session catalog does not have");
        }
        if (!overwrite && spark.catalog().tableExists(table)) {
            throw new OutputExistsException("table " + table);
        }
    }

    @Override
    public OutputFormat taskFormat() {
        return OutputFormat.PARQUET;
    }

    @Override
    public long publish(SparkSession spark, FileSystem fs, Path dir) throws IOException {
        LOG.info("writing {} to table {} as {}{}", dir, table, format.key(),
                partitionBy.isEmpty() ? "" : ", partitioned by " + partitionBy);
        spark.read().schema(schema).parquet(dir.toString()).write()
                .format(format.key())
                .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .partitionBy(partitionBy.toArray(new String[0]))
                .saveAsTable(table);
        long rows = spark.table(table).count();
        if (!fs.delete(dir, true)) {
            throw new IOException("cannot delete the staged files " + dir);
        }
        return rows;
    }

    @Override
    public String describe(Path dir) {
        return "table " + table;
    }
}
