package io.reviewrnn.core.corpus;

import java.util.List;

/**
 * The on-disk contract of a prepared corpus, shared by {@code prepare} (writer) and {@code train},
 * {@code evaluate} and {@code score} (readers). A directory is complete only when {@link #SUCCESS} exists;
 * {@code prepare} commits it by an atomic rename, so a reader never sees a partial one.
 *
 * <pre>
 * out/
 *   train/ validation/ test/   Parquet: id string, label int, rating int (null when unknown),
 *                              ids array&lt;int&gt; (exactly maxlen), token_count int, oov_count int, truncated boolean
 *   vocabulary.tsv             id, token, count (reserved ids 0-2 first)
 *   manifest.json              effective config, counts, length percentiles, OOV and truncation rates, timings
 *   rejects/                   JSON Lines, one rejected record each with its reason (only with on_bad_record=skip)
 *   _SUCCESS
 * </pre>
 */
public final class PreparedLayout {
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";
    public static final List<String> SPLITS = List.of(TRAIN, VALIDATION, TEST);

    public static final String VOCABULARY = "vocabulary.tsv";
    public static final String MANIFEST = "manifest.json";
    public static final String REJECTS = "rejects";
    public static final String SUCCESS = "_SUCCESS";

    public static final String COL_ID = "id";
    public static final String COL_LABEL = "label";
    public static final String COL_RATING = "rating";
    public static final String COL_IDS = "ids";
    public static final String COL_TOKEN_COUNT = "token_count";
    public static final String COL_OOV_COUNT = "oov_count";
    public static final String COL_TRUNCATED = "truncated";

    private PreparedLayout() {
    }
}
