package io.reviewrnn.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {
    private static final TextSpec SPEC_7 = new TextSpec(7, 5, PaddingMode.PRE, PaddingMode.PRE, true);

    @Test
    void ranksByCountThenCodePointAndKeepsNumWordsMinusThree() {
        Vocabulary v = Vocabulary.fromCounts(List.of(
                new WordCount("b", 5), new WordCount("a", 5), new WordCount("z", 9),
                new WordCount("c", 1), new WordCount("\uD83D\uDE00", 5), new WordCount("\uFF41", 5)), SPEC_7);
        // 7 - 3 = 4 slots: z (9), then the ties at 5 in code point order: a, b, U+FF41; the emoji (U+1F600) is cut.
        assertEquals(4, v.size());
        assertEquals(3, v.idOf("z"));
        assertEquals(4, v.idOf("a"));
        assertEquals(5, v.idOf("b"));
        assertEquals(6, v.idOf("\uFF41"));
        assertEquals(TextSpec.OOV_ID, v.idOf("\uD83D\uDE00"));
        assertEquals(TextSpec.OOV_ID, v.idOf("c"));
        assertEquals(7, v.idLimit());
        assertEquals("<pad>", v.tokenOf(0));
        assertEquals("<start>", v.tokenOf(1));
        assertEquals("<oov>", v.tokenOf(2));
        assertEquals("b", v.tokenOf(5));
    }

    /** Strings and character runs (what the tokenizer streams) get their word's rank id, also after serialization. */
    @Test
    void characterRunLookupEqualsStringLookup() throws Exception {
        List<WordCount> counts = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            counts.add(new WordCount("w" + Integer.toString(i * 7919, 36), 1000 - i));
        }
        counts.add(new WordCount("\uFF41b", 2));
        TextSpec spec = new TextSpec(250, 5, PaddingMode.PRE, PaddingMode.PRE, true);
        Vocabulary v = Vocabulary.fromCounts(counts, spec);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(v);
        }
        Vocabulary back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (Vocabulary) in.readObject();
        }
        java.util.Map<String, Integer> ranked = new java.util.HashMap<>(); // from the word list, not the lookup
        for (int id = TextSpec.INDEX_FROM; id < v.idLimit(); id++) {
            ranked.put(v.tokenOf(id), id);
        }
        int known = 0;
        for (WordCount w : counts) {
            for (String token : List.of(w.token(), w.token() + "x", w.token().substring(1))) {
                char[] buf = ("..." + token + ",,").toCharArray();
                int expected = ranked.getOrDefault(token, TextSpec.OOV_ID);
                assertEquals(expected, v.idOf(token), token);
                assertEquals(expected, v.idOf(buf, 3, token.length()), token);
                assertEquals(expected, back.idOf(buf, 3, token.length()), token + " after serialization");
                if (expected != TextSpec.OOV_ID) {
                    known++;
                }
            }
        }
        assertEquals(v.size(), known, "every vocabulary word found once among the probes");
        assertEquals(TextSpec.OOV_ID, v.idOf(new char[0], 0, 0));
    }

    @Test
    void codePointOrderDiffersFromUtf16OrderForSupplementaryCharacters() {
        // U+FF41 < U+1F600 by code point, but "\uD83D" < "\uFF41" as UTF-16 code units: we follow code points,
        // as Spark (UTF-8 byte order) does.
        assertTrue(WordCount.compareCodePoints("\uFF41", "\uD83D\uDE00") < 0);
        assertTrue("\uFF41".compareTo("\uD83D\uDE00") > 0);
    }

    @Test
    void writesAndReadsTheHumanReadableForm() throws IOException {
        Vocabulary v = Vocabulary.fromCounts(List.of(new WordCount("the", 10), new WordCount("movie", 4)), SPEC_7);
        StringWriter w = new StringWriter();
        v.write(w);
        assertEquals("id\ttoken\tcount\n0\t<pad>\t0\n1\t<start>\t0\n2\t<oov>\t0\n3\tthe\t10\n4\tmovie\t4\n",
                w.toString());
        assertEquals(v, Vocabulary.read(new StringReader(w.toString())));
    }

    @Test
    void refusesBrokenFiles() {
        assertThrows(IOException.class, () -> Vocabulary.read(new StringReader("nope\n")));
        assertThrows(IOException.class, () -> Vocabulary.read(new StringReader("id\ttoken\tcount\n0\t<pad>\t0\n2\tx\t1\n")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofRanked(List.of(
                new WordCount("a", 1), new WordCount("b", 2))));
    }
}
