package io.reviewrnn.jobs.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The common shape every corpus reader produces, before cleaning: one row per input record, good or bad.
 * {@code error} is null for a usable record and names the problem otherwise; {@code source} says where the
 * record came from (file, and entry or row) so that a rejected record can be found.
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

    public static Row row(String id, String split, Integer label, Integer rating, String text, String source,
                          String error) {
        return RowFactory.create(id, split, label, rating, text, source, error);
    }

    /** Sets {@code error} to {@code reason} where {@code condition} holds and no earlier error was found. */
    public static Column flag(Column condition, String reason) {
        return when(col(ERROR).isNull().and(condition), lit(reason)).otherwise(col(ERROR));
    }
}
