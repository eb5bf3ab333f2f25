package io.reviewrnn.core.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The word-to-id mapping of {@code keras.datasets.imdb}: the most frequent training words get ids from
 * {@link TextSpec#INDEX_FROM} on, in {@link WordCount#RANKING} order, up to {@code numWords - 1}.
 * Immutable and thread-safe; small enough to broadcast.
 */
public final class Vocabulary implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String[] RESERVED = {"<pad>", "<start>", "<oov>"};

    private final List<WordCount> words;
    /** The words in rank order: dictionary id i is vocabulary id {@code INDEX_FROM + i}. */
    private final TokenDictionary lookup;

    private Vocabulary(List<WordCount> ranked) {
        this.words = List.copyOf(ranked);
        this.lookup = new TokenDictionary(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            if (lookup.idOf(ranked.get(i).token()) != i) {
                throw new IllegalArgumentException("duplicate token in vocabulary: '" + ranked.get(i).token() + "'");
            }
        }
    }

    /** Ranks {@code counts} and keeps the {@code spec.wordSlots()} most frequent words. */
    public static Vocabulary fromCounts(Iterable<WordCount> counts, TextSpec spec) {
        List<WordCount> all = new ArrayList<>();
        counts.forEach(all::add);
        all.sort(WordCount.RANKING);
        return new Vocabulary(all.subList(0, Math.min(all.size(), spec.wordSlots())));
    }

    /** Builds a vocabulary from words already in rank order (as written by {@link #write}). */
    public static Vocabulary ofRanked(List<WordCount> ranked) {
        for (int i = 1; i < ranked.size(); i++) {
            if (WordCount.RANKING.compare(ranked.get(i - 1), ranked.get(i)) > 0) {
                throw new IllegalArgumentException("vocabulary is not in rank order at entry " + i + ": '"
                        + ranked.get(i).token() + "'");
            }
        }
        return new Vocabulary(ranked);
    }

    /** The id of {@code token}, or {@link TextSpec#OOV_ID}. */
    public int idOf(String token) {
        return vocabularyId(lookup.find(token));
    }

    /**
     * The id of the token {@code buf[off, off + len)} (as {@link KerasTokenizer#scanTokens} streams them), or
     * {@link TextSpec#OOV_ID}: the same as {@link #idOf(String)}, without a string per token. Safe for concurrent use
     * (the table is only read after construction).
     */
    public int idOf(char[] buf, int off, int len) {
        return vocabularyId(lookup.find(buf, off, len));
    }

    private static int vocabularyId(int dictionaryId) {
        return dictionaryId < 0 ? TextSpec.OOV_ID : TextSpec.INDEX_FROM + dictionaryId;
    }

    /** The token with id {@code id}, including the reserved names {@code <pad>}, {@code <start>}, {@code <oov>}. */
    public String tokenOf(int id) {
        if (id >= 0 && id < TextSpec.INDEX_FROM) {
            return RESERVED[id];
        }
        return words.get(id - TextSpec.INDEX_FROM).token();
    }

    /** Words in rank order (id {@code INDEX_FROM + i} for entry i). */
    public List<WordCount> words() {
        return Collections.unmodifiableList(words);
    }

    public int size() {
        return words.size();
    }

    /** Largest id in use plus one. */
    public int idLimit() {
        return TextSpec.INDEX_FROM + words.size();
    }

    /** Writes the human-readable form: a header, then {@code id<TAB>token<TAB>count} per line, reserved ids first. */
    public void write(Writer out) throws IOException {
        out.write("id\ttoken\tcount\n");
        for (int i = 0; i < RESERVED.length; i++) {
            out.write(i + "\t" + RESERVED[i] + "\t0\n");
        }
        for (int i = 0; i < words.size(); i++) {
            WordCount w = words.get(i);
            out.write((TextSpec.INDEX_FROM + i) + "\t" + w.token() + "\t" + w.count() + "\n");
        }
        out.flush();
    }

    /** Reads what {@link #write} wrote, checking that ids are dense and in order. */
    public static Vocabulary read(Reader in) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        String header = r.readLine();
        if (!"id\ttoken\tcount".equals(header)) {
            throw new IOException("not a vocabulary file: expected header 'id<TAB>token<TAB>count', got '" + header + "'");
        }
        List<WordCount> ranked = new ArrayList<>();
        String line;
        int lineNo = 1;
        while ((line = r.readLine()) != null) {
            lineNo++;
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                throw new IOException("vocabulary line " + lineNo + ": expected 3 tab-separated fields, got " + f.length);
            }
            int id = Integer.parseInt(f[0]);
            int expected = lineNo - 2;
            if (id != expected) {
                throw new IOException("vocabulary line " + lineNo + ": expected id " + expected + ", got " + id);
            }
            if (id >= TextSpec.INDEX_FROM) {
                ranked.add(new WordCount(f[1], Long.parseLong(f[2])));
            }
        }
        return ofRanked(ranked);
    }

    /** A map view used by tests and diagnostics. */
    public Map<String, Integer> asMap() {
        Map<String, Integer> m = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) {
            m.put(words.get(i).token(), TextSpec.INDEX_FROM + i);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.words.equals(words);
    }

    @Override
    public int hashCode() {
        return words.hashCode();
    }
}
