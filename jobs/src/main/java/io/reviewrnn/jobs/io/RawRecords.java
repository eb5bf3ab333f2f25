package io.reviewrnn.jobs.io;

import io.reviewrnn.core.config.CorpusSource;
import java.io.Serializable;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * Turns the fields of one record-per-row input record into a {@link RawReviews} row with its problem, if any: a
 * read error (field too long, malformed row), an unknown split or label, a missing label, a review over
 * {@code max_review_chars}, undecodable bytes; the values of the input columns kept for {@code score} follow
 * ({@link RawReviews#schema}). The one home of these checks for every tabular format. Serializable, stateless.
 */
final class RawRecords implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CorpusSource src;
    private final String defaultSplit;
    private final int maxChars;
    private final boolean labelled;
    private final boolean labelsRequired;
    private final String malformed;
    private final int keptCount;

    /**
     * @param defaultSplit split of rows without one ({@code train}, {@code test}, or null to score)
     * @param labelled the input has a label column (then a record that needs a label and lacks one is bad)
     * @param labelsRequired an unknown label makes a record bad (prepare, evaluate); otherwise the label is dropped
     *                       (score needs none)
     * @param malformed the reason given to a record the format's parser could not read
     * @param keptCount input columns kept after each row's own ({@code score}'s {@code keep_columns}), or 0
     */
    RawRecords(CorpusSource src, String defaultSplit, int maxChars, boolean labelled, boolean labelsRequired,
            String malformed, int keptCount) {
        this.src = src;
        this.defaultSplit = defaultSplit;
        this.maxChars = maxChars;
        this.labelled = labelled;
        this.labelsRequired = labelsRequired;
        this.malformed = malformed;
        this.keptCount = keptCount;
    }

    int maxChars() {
        return maxChars;
    }

    /**
     * One row.
     *
     * @param corrupt the raw record when the parser could not read it (it becomes the text, for the snippet)
     * @param readError a problem the reader already found (e.g. a field over the length limit), or null
     */
    Row row(String rowId, String splitValue, String rawLabel, String rawRating, String text, String file,
            String corrupt, String readError) {
        return row(rowId, splitValue, rawLabel, rawRating, text, file, corrupt, readError, null);
    }

    /**
     * One row with the values of the kept columns.
     *
     * @param kept one value per kept column (null for a column the record lacks), or null when the record has none
     *             (a bad record)
     */
    Row row(String rowId, String splitValue, String rawLabel, String rawRating, String text, String file,
            String corrupt, String readError, String[] kept) {
        String split = splitValue == null ? defaultSplit : splitValue.trim().toLowerCase(Locale.ROOT);
        String error = readError;
        if (error == null && corrupt != null) {
            error = malformed;
            text = corrupt;
        } else if (error == null && split != null && !split.equals("train") && !split.equals("test")
                && !split.equals("unsup")) {
            error = "unknown split '" + split + "' (expected train, test or unsup)";
        }
        Integer label = null;
        if (error == null && rawLabel != null && !rawLabel.isBlank()) {
            label = src.mapLabel(rawLabel);
            if (label == null && labelsRequired) {
                error = "unknown label '" + rawLabel + "' (known: " + new TreeSet<>(src.labels().keySet()) + ")";
            }
        } else if (error == null && labelled && split != null && !split.equals("unsup")) {
            error = "missing label";
        }
        Integer rating = null;
        if (rawRating != null && !rawRating.isBlank()) {
            try {
                rating = (int) Double.parseDouble(rawRating.trim());
            } catch (NumberFormatException e) {
                rating = null;
            }
        }
        if (error == null && text != null && text.length() > maxChars) {
            error = tooLong(text.length() + " chars");
        }
        if (error == null && text != null && text.indexOf('\uFFFD') >= 0) {
            error = "invalid UTF-8 (undecodable bytes were replaced)";
        }
        String id = rowId == null ? "" : rowId;
        return RawReviews.row(id, split, label, rating, text, file + " id " + id, error, keptCount, kept);
    }

    /** The reason of a review over the limit; {@code size} says how long it was (e.g. {@code 1200 chars}). */
    String tooLong(String size) {
        return "review too long: " + size + ", over max_review_chars " + maxChars;
    }
}
