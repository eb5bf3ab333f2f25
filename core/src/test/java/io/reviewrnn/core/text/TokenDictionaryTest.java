package io.reviewrnn.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenDictionaryTest {

    @Test
    void idsAreDenseInOrderOfFirstAppearance() {
        TokenDictionary d = new TokenDictionary(2);
        List<Integer> ids = new ArrayList<>();
        new KerasTokenizer().scanTokens("the cat saw the other cat, THE end", (buf, off, len) -> ids.add(d.idOf(buf, off, len)));
        assertEquals(List.of(0, 1, 2, 0, 3, 1, 0, 4), ids);
        assertArrayEquals(new String[] {"the", "cat", "saw", "other", "end"}, d.tokens());
        assertEquals(5, d.size());
        assertEquals("other", d.token(3));
        assertEquals(3, d.find("other"));
        assertEquals(-1, d.find("dog"));
        assertThrows(IndexOutOfBoundsException.class, () -> d.token(5));
    }

    @Test
    void matchesAHashMapOverManyTokensThroughRehashing() {
        Random rnd = new Random(7);
        TokenDictionary d = new TokenDictionary(4);
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // Short tokens from a small alphabet collide often in the hash; non-ASCII ones too.
            int len = 1 + rnd.nextInt(4);
            char[] c = new char[len];
            for (int j = 0; j < len; j++) {
                c[j] = rnd.nextInt(10) == 0 ? (char) ('\u00e0' + rnd.nextInt(5)) : (char) ('a' + rnd.nextInt(6));
            }
            String t = new String(c);
            int want = expected.computeIfAbsent(t, k -> expected.size());
            assertEquals(want, d.idOf(c, 0, len), t);
        }
        assertEquals(expected.size(), d.size());
        expected.forEach((t, id) -> {
            assertEquals(t, d.token(id));
            assertEquals(id, d.find(t));
        });
    }

    @Test
    void aTokenIsItsCharactersOnlyNotTheRestOfTheBuffer() {
        TokenDictionary d = new TokenDictionary();
        char[] buf = "abcdefabc".toCharArray();
        assertEquals(0, d.idOf(buf, 0, 3));
        assertEquals(1, d.idOf(buf, 0, 6));
        assertEquals(2, d.idOf(buf, 3, 3));
        assertEquals(0, d.idOf(buf, 6, 3));
        assertEquals(0, d.idOf("abc"));
        assertEquals("abc", d.token(0));
        assertEquals("def", d.token(2));
    }
}
