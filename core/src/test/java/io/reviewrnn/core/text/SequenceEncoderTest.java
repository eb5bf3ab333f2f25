package io.reviewrnn.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceEncoderTest {
    // ids: good=3, bad=4, movie=5; everything else is OOV (2)
    private static final List<WordCount> WORDS = List.of(
            new WordCount("good", 30), new WordCount("bad", 20), new WordCount("movie", 10));

    private static SequenceEncoder encoder(int maxlen, PaddingMode padding, PaddingMode truncating, boolean start) {
        TextSpec spec = new TextSpec(10, maxlen, padding, truncating, start);
        return new SequenceEncoder(spec, Vocabulary.fromCounts(WORDS, spec));
    }

    @Test
    void prePaddingLeftPadsWithZerosAfterTheStartMarker() {
        EncodedReview e = encoder(6, PaddingMode.PRE, PaddingMode.PRE, true).encode("Good movie!");
        assertArrayEquals(new int[] {0, 0, 0, 1, 3, 5}, e.ids());
        assertEquals(2, e.tokenCount());
        assertEquals(0, e.oovCount());
        assertFalse(e.truncated());
    }

    @Test
    void postPaddingRightPads() {
        assertArrayEquals(new int[] {1, 4, 2, 0, 0, 0},
                encoder(6, PaddingMode.POST, PaddingMode.PRE, true).encode("bad acting").ids());
    }

    @Test
    void preTruncationKeepsTheLastTokensAndDropsTheStartMarker() {
        EncodedReview e = encoder(4, PaddingMode.PRE, PaddingMode.PRE, true).encode("good bad movie plot good");
        // [1, 3, 4, 5, 2, 3] -> last 4
        assertArrayEquals(new int[] {4, 5, 2, 3}, e.ids());
        assertEquals(5, e.tokenCount());
        assertEquals(1, e.oovCount());
        assertTrue(e.truncated());
    }

    @Test
    void postTruncationKeepsTheFirstTokens() {
        assertArrayEquals(new int[] {1, 3, 4, 5},
                encoder(4, PaddingMode.PRE, PaddingMode.POST, true).encode("good bad movie plot good").ids());
    }

    @Test
    void exactFitIsNotTruncated() {
        EncodedReview e = encoder(4, PaddingMode.PRE, PaddingMode.PRE, true).encode("good bad movie");
        assertArrayEquals(new int[] {1, 3, 4, 5}, e.ids());
        assertFalse(e.truncated());
    }

    @Test
    void withoutStartMarker() {
        assertArrayEquals(new int[] {0, 0, 3, 5},
                encoder(4, PaddingMode.PRE, PaddingMode.PRE, false).encode("good movie").ids());
    }

    @Test
    void emptyTextIsStartMarkerOnly() {
        EncodedReview e = encoder(3, PaddingMode.PRE, PaddingMode.PRE, true).encode("");
        assertArrayEquals(new int[] {0, 0, 1}, e.ids());
        assertEquals(0, e.tokenCount());
    }

    @Test
    void encodeTokensMatchesEncode() {
        SequenceEncoder enc = encoder(5, PaddingMode.PRE, PaddingMode.PRE, true);
        assertArrayEquals(enc.encode("Bad, bad movie.").ids(), enc.encodeTokens(List.of("bad", "bad", "movie")).ids());
    }

    /** encode (character runs looked up directly) equals encoding the tokenizer's strings, OOV counts included. */
    @Test
    void encodeEqualsEncodingTheTokenizersStrings() {
        SequenceEncoder enc = encoder(12, PaddingMode.PRE, PaddingMode.PRE, true);
        KerasTokenizer tokenizer = new KerasTokenizer();
        for (String text : List.of("Bad, bad movie.", "GOOD<br />good... UNKNOWN words; Ｇood", "movie", "",
                "İstanbul bad\tmovie\nGood!!", "good ".repeat(20))) {
            EncodedReview a = enc.encode(text);
            EncodedReview b = enc.encodeTokens(tokenizer.tokenize(text));
            assertArrayEquals(b.ids(), a.ids(), text);
            assertEquals(b.tokenCount(), a.tokenCount(), text);
            assertEquals(b.oovCount(), a.oovCount(), text);
        }
    }

    @Test
    void multiMegabyteReviewEncodesInBoundedOutput() {
        String huge = "good ".repeat(1_000_000);
        EncodedReview e = encoder(100, PaddingMode.PRE, PaddingMode.PRE, true).encode(huge);
        assertEquals(100, e.ids().length);
        assertEquals(1_000_000, e.tokenCount());
        assertTrue(e.truncated());
    }

    @Test
    void specValidationNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new TextSpec(3, 100, PaddingMode.PRE, PaddingMode.PRE, true));
        assertEquals("num_words", e.key());
        assertTrue(e.getMessage().contains("was 3"), e.getMessage());
        assertEquals("maxlen", assertThrows(ConfigException.class,
                () -> new TextSpec(500, 0, null, null, null)).key());
        assertThrows(IllegalArgumentException.class, () -> PaddingMode.parse("middle"));
    }

    @Test
    void vocabularyLargerThanNumWordsIsRefused() {
        TextSpec big = new TextSpec(10, 5, null, null, null);
        TextSpec small = new TextSpec(5, 5, null, null, null);
        assertThrows(IllegalArgumentException.class,
                () -> new SequenceEncoder(small, Vocabulary.fromCounts(WORDS, big)));
    }

    @Test
    void encodingDictionaryIdsEqualsEncodingTheTextForEveryPaddingAndTruncation() {
        String[] texts = {"", "good", "Good movie!", "bad acting, bad plot", "good bad movie plot good",
            "movie movie movie good bad bad ugly words here and there good", "\u00e9t\u00e9 good \u00c9T\u00c9"};
        KerasTokenizer tokenizer = new KerasTokenizer();
        for (PaddingMode padding : PaddingMode.values()) {
            for (PaddingMode truncating : PaddingMode.values()) {
                for (boolean start : new boolean[] {true, false}) {
                    for (int maxlen : new int[] {1, 3, 4, 6, 20}) {
                        SequenceEncoder enc = encoder(maxlen, padding, truncating, start);
                        TokenDictionary dictionary = new TokenDictionary(2);
                        int[] all = new int[256];
                        int[] bounds = new int[texts.length + 1];
                        int[] n = {0};
                        for (int t = 0; t < texts.length; t++) {
                            tokenizer.scanTokens(texts[t], (buf, off, len) -> all[n[0]++] = dictionary.idOf(buf, off, len));
                            bounds[t + 1] = n[0];
                        }
                        int[] vocabularyIds = enc.vocabularyIds(dictionary.tokens());
                        for (int t = 0; t < texts.length; t++) {
                            String what = texts[t] + " " + padding + " " + truncating + " " + start + " " + maxlen;
                            EncodedReview want = enc.encode(texts[t]);
                            EncodedReview got = enc.encodeIds(all, bounds[t], bounds[t + 1], vocabularyIds);
                            assertArrayEquals(want.ids(), got.ids(), what);
                            assertEquals(want.tokenCount(), got.tokenCount(), what);
                            assertEquals(want.oovCount(), got.oovCount(), what);
                            assertEquals(want.truncated(), got.truncated(), what);
                        }
                    }
                }
            }
        }
    }
}
