package io.reviewrnn.jobs.io;

import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one home of reject records and their reasons, for every stage that reads raw reviews: what makes a raw
 * record unusable ({@link #problem}), the row a rejected record becomes ({@link #row}: id, source, reason and a
 * snippet of its text), and the kind a reason is grouped under in summaries ({@link #reasonKind}).
 */
public final class Rejects {
    /** Characters of a rejected record's text kept in its reject row. */
    public static final int SNIPPET = 200;
    public static final String EMPTY = "empty review";

    /** Columns of a reject row. */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("source", DataTypes.StringType, true)
            .add("reason", DataTypes.StringType, false)
            .add("snippet", DataTypes.StringType, true);

    // Blank means only whitespace of any kind (String.isBlank misses the Unicode space separators and U+0085).
    private static final Pattern BLANK = Pattern.compile("[\\s\\p{Z}\\u0085]*");

    private static final int ID = RawReviews.SCHEMA.fieldIndex(RawReviews.ID);
    private static final int TEXT = RawReviews.SCHEMA.fieldIndex(RawReviews.TEXT);
    private static final int SOURCE = RawReviews.SCHEMA.fieldIndex(RawReviews.SOURCE);
    private static final int ERROR = RawReviews.SCHEMA.fieldIndex(RawReviews.ERROR);

    private Rejects() {
    }

    /** Why a raw review row ({@link RawReviews#SCHEMA}) cannot be scored: the reader's error, an empty text, or null. */
    public static String problem(Row raw) {
        String error = raw.getString(ERROR);
        if (error != null) {
            return error;
        }
        String text = raw.getString(TEXT);
        return text == null || BLANK.matcher(text).matches() ? EMPTY : null;
    }

    /** The reject row of a raw review row; its schema is {@link #SCHEMA}, which {@link #isReject} recognizes. */
    public static Row row(Row raw, String reason) {
        String text = raw.getString(TEXT);
        String snippet = text == null ? null : text.substring(0, Math.min(SNIPPET, text.length()));
        return new GenericRowWithSchema(new Object[] {raw.getString(ID),
            raw.getString(SOURCE), reason, snippet}, SCHEMA);
    }

    /** Whether {@code row} was made by {@link #row}. */
    public static boolean isReject(Row row) {
        return row.schema() == SCHEMA;
    }

    /** The first words of a reject reason, to group rejects. */
    public static String reasonKind(String error) {
        int cut = error.length();
        for (char c : new char[] {':', '(', '\''}) {
            int i = error.indexOf(c);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        return error.substring(0, cut).trim();
    }
}
