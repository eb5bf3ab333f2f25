package io.reviewrnn.jobs.io;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.regexp_extract;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.corpus.CorpusFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads record-per-row corpora: CSV and TSV with a header (quoted fields may hold delimiters and newlines),
 * JSON Lines, Parquet, and plain text with one review per line. Rows that cannot be parsed (a CSV row with the
 * wrong number of fields, a broken JSON line) are kept as bad records with the reason, never dropped.
 *
 * <p>CSV and TSV are read with Spark's multi-line parser, which cannot split one file, so parallelism comes from
 * the number of files; JSON Lines, text and Parquet split within a file.
 */
public final class TabularReader {
    static final String CORRUPT = "_corrupt_record";
    private static final List<String> TEXT_CANDIDATES = List.of("review", "text");
    private static final List<String> LABEL_CANDIDATES = List.of("sentiment", "label");

    private TabularReader() {
    }

    /**
     * @param defaultSplit split of rows that have no split column ({@code train}, {@code test}, or null to score)
     */
    public static Dataset<Row> read(SparkSession spark, CorpusSource src, CorpusFormat format, String defaultSplit,
                                    int maxChars) {
        Dataset<Row> df;
        switch (format) {
            case CSV, TSV -> {
                String sep = format == CorpusFormat.TSV ? "\t" : ",";
                var reader = spark.read().option("header", true).option("multiLine", true).option("sep", sep)
                        .option("quote", "\"").option("escape", "\"").option("encoding", "UTF-8")
                        .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT);
                StructType header = reader.csv(src.path()).schema();
                StructType schema = new StructType();
                for (var f : header.fields()) {
                    schema = schema.add(f.name(), DataTypes.StringType, true);
                }
                df = reader.schema(schema.add(CORRUPT, DataTypes.StringType, true)).csv(src.path());
            }
            case JSONL -> {
                StructType schema = new StructType();
                for (String c : candidateColumns(src)) {
                    schema = schema.add(c, DataTypes.StringType, true);
                }
                df = spark.read().schema(schema.add(CORRUPT, DataTypes.StringType, true))
                        .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT)
                        .json(src.path());
            }
            case PARQUET -> {
                df = spark.read().parquet(src.path());
                List<Column> cols = new ArrayList<>();
                for (var f : df.schema().fields()) {
                    cols.add(col(f.name()).cast(DataTypes.StringType).as(f.name()));
                }
                df = df.select(cols.toArray(new Column[0])).withColumn(CORRUPT, lit(null).cast(DataTypes.StringType));
            }
            case TEXT -> df = spark.read().text(src.path()).withColumnRenamed("value", "text")
                    .withColumn(CORRUPT, lit(null).cast(DataTypes.StringType));
            default -> throw new IllegalArgumentException("not a tabular format: " + format.key());
        }
        return toRaw(df, src, format, defaultSplit, maxChars);
    }

    private static Set<String> candidateColumns(CorpusSource src) {
        Set<String> cols = new LinkedHashSet<>();
        for (String c : new String[] {src.textColumn(), src.labelColumn(), src.idColumn(), src.splitColumn(),
            src.ratingColumn()}) {
            if (c != null) {
                cols.add(c);
            }
        }
        cols.addAll(TEXT_CANDIDATES);
        cols.addAll(LABEL_CANDIDATES);
        cols.addAll(List.of("id", "split", "rating"));
        return cols;
    }

    private static Dataset<Row> toRaw(Dataset<Row> df, CorpusSource src, CorpusFormat format, String defaultSplit,
                                      int maxChars) {
        Set<String> present = new LinkedHashSet<>(List.of(df.columns()));
        boolean json = format == CorpusFormat.JSONL;
        Column textCol = resolve(src.textColumn(), TEXT_CANDIDATES, present, "text_column", src, json);
        if (textCol == null) {
            throw new IllegalArgumentException(src.path() + ": no text column; set text_column (columns are "
                    + present + ")");
        }
        Column labelCol = resolve(src.labelColumn(), LABEL_CANDIDATES, present, "label_column", src, json);
        Column idCol = resolve(src.idColumn(), List.of("id"), present, "id_column", src, json);
        Column splitCol = resolve(src.splitColumn(), List.of("split"), present, "split_column", src, json);
        Column ratingCol = resolve(src.ratingColumn(), List.of("rating"), present, "rating_column", src, json);

        Column file = regexp_extract(input_file_name(), "[^/]*$", 0);
        // Without an id the id is the file name plus a row number that is stable for the same input.
        Column generated = concat(file, lit("#"), monotonically_increasing_id().cast("string"));
        Dataset<Row> projected = df.select(
                idCol != null ? coalesce(idCol, generated) : generated,
                splitCol != null ? splitCol : lit(null).cast("string"),
                labelCol != null ? labelCol : lit(null).cast("string"),
                ratingCol != null ? ratingCol : lit(null).cast("string"),
                textCol,
                file,
                col(CORRUPT));
        String what = format == CorpusFormat.TSV || format == CorpusFormat.CSV ? "malformed " + format.key()
                .toUpperCase(Locale.ROOT) + " row (wrong number of fields or bad quoting)" : "malformed "
                + format.key() + " record";
        boolean labelled = labelCol != null;
        MapFunction<Row, Row> toRaw = r -> {
            String rowId = r.getString(0);
            String split = r.isNullAt(1) ? defaultSplit : r.getString(1).trim().toLowerCase(Locale.ROOT);
            String rawLabel = r.getString(2);
            String text = r.getString(4);
            String source = r.getString(5) + " id " + rowId;
            String corrupt = r.getString(6);
            String error = null;
            if (corrupt != null) {
                error = what;
                text = corrupt;
            } else if (split != null && !split.equals("train") && !split.equals("test") && !split.equals("unsup")) {
                error = "unknown split '" + split + "' (expected train, test or unsup)";
            }
            Integer label = null;
            if (error == null && rawLabel != null && !rawLabel.isBlank()) {
                label = src.mapLabel(rawLabel);
                if (label == null) {
                    error = "unknown label '" + rawLabel + "' (known: " + new java.util.TreeSet<>(src.labels().keySet())
                            + ")";
                }
            } else if (error == null && labelled && split != null && !split.equals("unsup")) {
                error = "missing label";
            }
            Integer rating = null;
            if (r.getString(3) != null && !r.getString(3).isBlank()) {
                try {
                    rating = (int) Double.parseDouble(r.getString(3).trim());
                } catch (NumberFormatException e) {
                    rating = null;
                }
            }
            if (error == null && text != null && text.length() > maxChars) {
                error = "review too long: " + text.length() + " chars, over max_review_chars " + maxChars;
            }
            if (error == null && text != null && text.indexOf('\uFFFD') >= 0) {
                error = "invalid UTF-8 (undecodable bytes were replaced)";
            }
            return RawReviews.row(rowId == null ? "" : rowId, split, label, rating, text, source, error);
        };
        return projected.map(toRaw, Encoders.row(RawReviews.SCHEMA));
    }

    private static Column resolve(String configured, List<String> candidates, Set<String> present, String key,
                                  CorpusSource src, boolean json) {
        if (configured != null) {
            if (!present.contains(configured)) {
                throw new IllegalArgumentException(src.path() + ": " + key + " '" + configured
                        + "' is not a column (columns are " + present + ")");
            }
            return col(configured);
        }
        List<Column> found = new ArrayList<>();
        for (String c : candidates) {
            if (present.contains(c)) {
                found.add(col(c));
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        // JSON Lines has every candidate in its schema, so take the first one a row actually has.
        return json ? coalesce(found.toArray(new Column[0])) : found.get(0);
    }
}
