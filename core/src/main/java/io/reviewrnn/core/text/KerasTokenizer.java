package io.reviewrnn.core.text;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits review text into tokens the way Keras' {@code text_to_word_sequence} does by default, after
 * removing HTML line breaks: lower-case, replace every Keras filter character with a space, then split
 * on whitespace (Python {@code str.split()} semantics, so no empty tokens). Stateless and thread-safe.
 */
public final class KerasTokenizer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Keras' default {@code filters} argument. */
    public static final String KERAS_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    private static final Pattern HTML_BREAK = Pattern.compile("<br\\s*/?\\s*>", Pattern.CASE_INSENSITIVE);
    private static final boolean[] FILTERED = new boolean[128];

    static {
        for (char c : KERAS_FILTERS.toCharArray()) {
            FILTERED[c] = true;
        }
    }

    /** Returns the tokens of {@code text}; an empty or blank text gives an empty list. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        forEachToken(text, out::add);
        return out;
    }

    /** Streams the tokens of {@code text} to {@code sink} without building a list. */
    public void forEachToken(String text, java.util.function.Consumer<String> sink) {
        if (text == null || text.isEmpty()) {
            return;
        }
        String s = HTML_BREAK.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT);
        int n = s.length();
        int start = -1;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean sep = (c < 128 && FILTERED[c]) || isPythonSpace(c);
            if (sep) {
                if (start >= 0) {
                    sink.accept(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            sink.accept(s.substring(start));
        }
    }

    /** Python's {@code str.isspace()}: Java whitespace plus the no-break spaces and NEL. */
    static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\u0085';
    }
}
