package io.reviewrnn.jobs.io;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.regexp_extract;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.CorpusSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads Parquet corpora (any columns; values are read as strings) into {@link RawReviews} rows through the same
 * checks as every record-per-row format ({@link RawRecords}). Parquet values are length-prefixed within column
 * chunks, so a record cannot grow without bound the way a CSV field or a text line can; the line formats are read
 * by {@link BoundedRecordReader}. Kept columns ({@code score}'s {@code keep_columns}) follow each row as strings
 * ({@link RawReviews#schema}).
 */
public final class TabularReader {
    private static final List<String> TEXT_CANDIDATES = List.of("review", "text");
    private static final List<String> LABEL_CANDIDATES = List.of("sentiment", "label");
    /** Where the kept columns start in the projection (after id, split, label, rating, text, file). */
    private static final int KEPT_FROM = 6;

    private TabularReader() {
    }

    /**
     * @param defaultSplit split of rows that have no split column ({@code train}, {@code test}, or null to score)
     * @param labelsRequired an unknown label is a bad record (prepare, evaluate) rather than no label (score)
     */
    public static Dataset<Row> readParquet(SparkSession spark, CorpusSource src, String defaultSplit, int maxChars,
                                           boolean labelsRequired) {
        return readParquet(spark, src, defaultSplit, maxChars, labelsRequired, List.of());
    }

    /**
     * As above, each row followed by the columns {@code kept} (as strings); a name that is not a column is refused
     * naming {@code keep_columns}.
     */
    public static Dataset<Row> readParquet(SparkSession spark, CorpusSource src, String defaultSplit, int maxChars,
                                           boolean labelsRequired, List<String> kept) {
        Dataset<Row> df = spark.read().parquet(src.path());
        List<Column> cols = new ArrayList<>();
        for (var f : df.schema().fields()) {
            cols.add(col(f.name()).cast(DataTypes.StringType).as(f.name()));
        }
        df = df.select(cols.toArray(new Column[0]));
        Set<String> present = new LinkedHashSet<>(List.of(df.columns()));
        Column textCol = resolve(src.textColumn(), TEXT_CANDIDATES, present, "text_column", src);
        if (textCol == null) {
            throw new IllegalArgumentException(src.path() + ": no text column; set text_column (columns are "
                    + present + ")");
        }
        Column labelCol = resolve(src.labelColumn(), LABEL_CANDIDATES, present, "label_column", src);
        Column idCol = resolve(src.idColumn(), List.of("id"), present, "id_column", src);
        Column splitCol = resolve(src.splitColumn(), List.of("split"), present, "split_column", src);
        Column ratingCol = resolve(src.ratingColumn(), List.of("rating"), present, "rating_column", src);

        Column file = regexp_extract(input_file_name(), "[^/]*$", 0);
        // Without an id the id is the file name plus a row number that is stable for the same input.
        Column generated = concat(file, lit("#"), monotonically_increasing_id().cast("string"));
        List<Column> projection = new ArrayList<>(List.of(
                idCol != null ? coalesce(idCol, generated) : generated,
                splitCol != null ? splitCol : lit(null).cast("string"),
                labelCol != null ? labelCol : lit(null).cast("string"),
                ratingCol != null ? ratingCol : lit(null).cast("string"),
                textCol,
                file));
        for (String k : kept) {
            if (!present.contains(k)) {
                throw new ConfigException("keep_columns", k, "must name columns of " + src.path() + " " + present);
            }
            projection.add(col(k));
        }
        Dataset<Row> projected = df.select(projection.toArray(new Column[0]));
        RawRecords records = new RawRecords(src, defaultSplit, maxChars, labelCol != null, labelsRequired,
                "malformed parquet record", kept.size());
        int keptCount = kept.size();
        MapFunction<Row, Row> toRaw = r -> {
            String[] values = null;
            if (keptCount > 0) {
                values = new String[keptCount];
                for (int i = 0; i < keptCount; i++) {
                    values[i] = r.getString(KEPT_FROM + i);
                }
            }
            return records.row(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                    r.getString(5), null, null, values);
        };
        return projected.map(toRaw, Encoders.row(RawReviews.schema(kept)));
    }

    private static Column resolve(String configured, List<String> candidates, Set<String> present, String key,
                                  CorpusSource src) {
        if (configured != null) {
            if (!present.contains(configured)) {
                throw new IllegalArgumentException(src.path() + ": " + key + " '" + configured
                        + "' is not a column (columns are " + present + ")");
            }
            return col(configured);
        }
        for (String c : candidates) {
            if (present.contains(c)) {
                return col(c);
            }
        }
        return null;
    }
}
