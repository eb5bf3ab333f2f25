package io.reviewrnn.core.text;

import java.io.Serializable;
import java.util.Comparator;

/** A token and how often it occurs in the training split. */
public record WordCount(String token, long count) implements Serializable {

    /**
     * The vocabulary ranking: count descending, ties broken by the token in Unicode code-point order
     * (the same as UTF-8 byte order, which is how Spark sorts strings), so the ranking is deterministic.
     */
    public static final Comparator<WordCount> RANKING = Comparator.comparingLong(WordCount::count).reversed()
            .thenComparing(WordCount::token, WordCount::compareCodePoints);

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
