package io.reviewrnn.core.text;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits review text into tokens exactly as Keras' {@code text_to_word_sequence} does with its defaults, after
 * replacing HTML line breaks by a space: lower-case (Python's {@code str.lower()}), map every filter character to
 * {@code ' '}, split on {@code ' '} and drop empty tokens. Only the filters and {@code ' '} separate tokens, so
 * {@code \r}, vertical tab, form feed, U+0085 and U+00A0 stay inside a token, as in Keras. The line breaks
 * ({@code <br>}, {@code <br/>}, {@code <BR />}: {@code <br\s*&#47;?\s*>} ignoring case, ASCII whitespace) are our
 * one addition: the IMDB reviews are full of them. A golden fixture made by a Python script following Keras'
 * algorithm checks this on tricky strings and real IMDB reviews. Stateless and thread-safe.
 */
public final class KerasTokenizer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Keras' default {@code filters} argument. */
    public static final String KERAS_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    /** The characters that end a token: Keras' filters and its {@code split} character, {@code ' '}. */
    private static final boolean[] SEPARATOR = new boolean[128];

    static {
        for (char c : KERAS_FILTERS.toCharArray()) {
            SEPARATOR[c] = true;
        }
        SEPARATOR[' '] = true;
    }

    /** Returns the tokens of {@code text}; an empty or blank text gives an empty list. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        forEachToken(text, out::add);
        return out;
    }

    /**
     * Streams the tokens of {@code text} to {@code sink} as strings, without building a list. See
     * {@link #scanTokens(String, CharSink)}.
     */
    public void forEachToken(String text, java.util.function.Consumer<String> sink) {
        scanTokens(text, (buf, off, len) -> sink.accept(new String(buf, off, len)));
    }

    /**
     * Streams the tokens of {@code text} to {@code sink} as character runs of one array holding the lower-cased
     * review, so a caller that looks tokens up (a {@link TokenDictionary}) allocates nothing per token. One pass, no
     * regular expressions: all-ASCII text (most reviews) is lower-cased on the fly; other text is lower-cased as a
     * whole first, exactly like Python's {@code str.lower()} on the review, context rules included.
     */
    public void scanTokens(String text, CharSink sink) {
        if (text == null || text.isEmpty()) {
            return;
        }
        char[] c = text.toCharArray();
        for (char ch : c) {
            if (ch >= 128) {
                c = text.toLowerCase(Locale.ROOT).toCharArray();
                break;
            }
        }
        int n = c.length;
        int start = -1;
        for (int i = 0; i < n; i++) {
            char ch = c[i];
            if (ch < 128 && SEPARATOR[ch]) {
                if (start >= 0) {
                    sink.token(c, start, i - start);
                    start = -1;
                }
                if (ch == '<') {
                    int end = htmlBreakEnd(c, i);
                    if (end > 0) {
                        i = end - 1;
                    }
                }
            } else {
                if (start < 0) {
                    start = i;
                }
                if (ch >= 'A' && ch <= 'Z') {
                    c[i] = (char) (ch + 32);
                }
            }
        }
        if (start >= 0) {
            sink.token(c, start, n - start);
        }
    }

    /** Receives a token as {@code buf[off, off + len)}; the array is reused afterwards. */
    @FunctionalInterface
    public interface CharSink {
        void token(char[] buf, int off, int len);
    }

    /**
     * If an HTML line break ({@code <br>}, {@code <br/>}, {@code <BR />}: {@code <br\s*&#47;?\s*>} ignoring case)
     * starts at {@code i}, the index just after it; otherwise -1.
     */
    private static int htmlBreakEnd(char[] s, int i) {
        int n = s.length;
        int j = i + 1;
        if (j + 1 >= n || (s[j] | 0x20) != 'b' || (s[j + 1] | 0x20) != 'r') {
            return -1;
        }
        j += 2;
        while (j < n && isRegexSpace(s[j])) {
            j++;
        }
        if (j < n && s[j] == '/') {
            j++;
        }
        while (j < n && isRegexSpace(s[j])) {
            j++;
        }
        return j < n && s[j] == '>' ? j + 1 : -1;
    }

    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
