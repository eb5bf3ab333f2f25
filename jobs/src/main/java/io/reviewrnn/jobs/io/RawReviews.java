package io.reviewrnn.jobs.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The common shape every corpus reader produces, before cleaning: one row per input record, good or bad.
 * {@code error} is null for a usable record and names the problem otherwise; {@code source} says where the
 * record came from (file, and entry or row) so that a rejected record can be found. Input columns kept for
 * {@code score} ({@code keep_columns}) follow as strings ({@link #schema}), null for a record that lacks them.
 */
public final class RawReviews {
    public static final String ID = "id";
    public static final String SPLIT = "split";
    public static final String LABEL = "label";
    public static final String RATING = "rating";
    public static final String TEXT = "text";
    public static final String SOURCE = "source";
    public static final String ERROR = "error";

    public static final StructType SCHEMA = new StructType()
            .add(ID, DataTypes.StringType, false)
            .add(SPLIT, DataTypes.StringType, true)
            .add(LABEL, DataTypes.IntegerType, true)
            .add(RATING, DataTypes.IntegerType, true)
            .add(TEXT, DataTypes.StringType, true)
            .add(SOURCE, DataTypes.StringType, true)
            .add(ERROR, DataTypes.StringType, true);

    private RawReviews() {
    }

    /** {@link #SCHEMA} followed by the input columns {@code kept}, as strings (named {@code kept_<name>} here). */
    public static StructType schema(List<String> kept) {
        StructType s = SCHEMA;
        for (String k : kept) {
            s = s.add("kept_" + k, DataTypes.StringType, true);
        }
        return s;
    }

    public static Row row(String id, String split, Integer label, Integer rating, String text, String source,
                          String error) {
        return RowFactory.create(id, split, label, rating, text, source, error);
    }

    /** A row of {@link #schema}{@code (kept)}: {@code kept} holds one value per kept column, or is null for nulls. */
    public static Row row(String id, String split, Integer label, Integer rating, String text, String source,
                          String error, int keptCount, String[] kept) {
        if (keptCount == 0) {
            return row(id, split, label, rating, text, source, error);
        }
        Object[] v = new Object[SCHEMA.size() + keptCount];
        v[0] = id;
        v[1] = split;
        v[2] = label;
        v[3] = rating;
        v[4] = text;
        v[5] = source;
        v[6] = error;
        if (kept != null) {
            System.arraycopy(kept, 0, v, SCHEMA.size(), keptCount);
        }
        return RowFactory.create(v);
    }

    /** Sets {@code error} to {@code reason} where {@code condition} holds and no earlier error was found. */
    public static Column flag(Column condition, String reason) {
        return when(col(ERROR).isNull().and(condition), lit(reason)).otherwise(col(ERROR));
    }
}
