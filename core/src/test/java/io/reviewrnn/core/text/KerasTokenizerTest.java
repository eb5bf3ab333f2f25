package io.reviewrnn.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-picked cases written out for reading; the expectations computed by Python from Keras' algorithm are in
 * {@link KerasTokenizerGoldenTest}.
 */
class KerasTokenizerTest {
    private final KerasTokenizer tokenizer = new KerasTokenizer();

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("Don't stop!", List.of("don't", "stop")),
                Arguments.of("Hello, World!!!", List.of("hello", "world")),
                Arguments.of("It's 10/10... A+", List.of("it's", "10", "10", "a")),
                Arguments.of("<br /><br />Great", List.of("great")),
                Arguments.of("line<br/>break<BR>end<br >x", List.of("line", "break", "end", "x")),
                Arguments.of("Café Déjà-vu naïve ÜBER", List.of("café", "déjà", "vu", "naïve", "über")),
                Arguments.of("", List.of()),
                Arguments.of("   ", List.of()),
                Arguments.of("!!!", List.of()),
                // only the filters (\t and \n among them) and ' ' split, as in Keras: \r and U+00A0 do not
                Arguments.of("a\tb\nc\rd", List.of("a", "b", "c\rd")),
                Arguments.of("non\u00a0breaking next\u0085line", List.of("non\u00a0breaking", "next\u0085line")),
                Arguments.of("1984 was 2.5 stars", List.of("1984", "was", "2", "5", "stars")),
                Arguments.of("e-mail me@x.com #1", List.of("e", "mail", "me", "x", "com", "1")),
                Arguments.of("good \uD83D\uDE00!", List.of("good", "\uD83D\uDE00")),
                Arguments.of("ΣΊΣΥΦΟΣ", List.of("σίσυφος")),
                Arguments.of("İstanbul", List.of("i\u0307stanbul")),
                Arguments.of("(great)[sic]{x}|y~z`w^v", List.of("great", "sic", "x", "y", "z", "w", "v")),
                Arguments.of("so   many\t\tspaces", List.of("so", "many", "spaces")),
                Arguments.of("'quoted' \"double\"", List.of("'quoted'", "double")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tokenizesLikeKeras(String text, List<String> expected) {
        assertEquals(expected, tokenizer.tokenize(text));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void streamingGivesTheSameTokens(String text, List<String> expected) {
        List<String> streamed = new java.util.ArrayList<>();
        tokenizer.forEachToken(text, streamed::add);
        assertEquals(expected, streamed);
    }

    @org.junit.jupiter.api.Test
    void nullIsEmpty() {
        assertEquals(List.of(), tokenizer.tokenize(null));
    }
}
