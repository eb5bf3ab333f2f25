package io.reviewrnn.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reviewrnn.core.base.Yaml;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Our tokens against the golden fixture {@code golden/keras_tokens_*} written by
 * {@code core/src/test/python/make_keras_tokens_golden.py}, which follows the documented algorithm of Keras' {@code text_to_word_sequence}: tricky strings with
 * their tokens, and for real IMDB reviews (the first 2,000 of the archive and every review holding {@code \r},
 * vertical tab, form feed, U+0085 or U+00A0) the token count and a hash of the tokens. The reviews are read from
 * the archive when it is there; the fixture holds no review text.
 */
class KerasTokenizerGoldenTest {
    private final KerasTokenizer tokenizer = new KerasTokenizer();

    @Test
    void trickyStringsGiveKerasTokens() throws IOException {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/golden/keras_tokens_tricky.json")) {
            cases = Yaml.json().readTree(in);
        }
        assertTrue(cases.size() >= 10);
        for (JsonNode c : cases) {
            List<String> want = new ArrayList<>();
            c.get("tokens").forEach(t -> want.add(t.asText()));
            assertEquals(want, tokenizer.tokenize(c.get("text").asText()), c.get("text").asText());
        }
    }

    @Test
    void realImdbReviewsGiveKerasTokens() throws Exception {
        Path archive = Path.of(System.getProperty("shared.dir", "../shared"), "data", "aclImdb-labeled.tar.gz");
        Assumptions.assumeTrue(Files.isReadable(archive), "the real IMDB archive is not at " + archive);
        Map<String, String> want = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/golden/keras_tokens_imdb.tsv"), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int tab = line.indexOf('\t');
                want.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        assertTrue(want.size() > 2000, "fixture rows: " + want.size());
        int checked = 0;
        int withSpecial = 0;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream tar = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            // A plain ustar walk: core's test classpath has no working commons-compress (its commons-io is older).
            byte[] header = new byte[512];
            while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 345, 155).isEmpty() ? field(header, 0, 100)
                        : field(header, 345, 155) + "/" + field(header, 0, 100);
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                byte[] content = tar.readNBytes((int) size);
                tar.skipNBytes((512 - size % 512) % 512);
                String expected = want.get(name);
                if (expected == null) {
                    continue;
                }
                String review = new String(content, StandardCharsets.UTF_8);
                List<String> tokens = tokenizer.tokenize(review);
                String digest = HexFormat.of().formatHex(sha.digest(String.join("\n", tokens)
                        .getBytes(StandardCharsets.UTF_8))).substring(0, 16);
                assertEquals(expected, tokens.size() + "\t" + digest, name + ": " + tokens);
                checked++;
                if (review.chars().anyMatch(ch -> ch == '\r' || ch == 0x0b || ch == 0x0c || ch == 0x85
                        || ch == 0xa0)) {
                    withSpecial++;
                }
            }
        }
        assertEquals(want.size(), checked, "every fixture review was found in the archive");
        assertTrue(withSpecial > 600, "reviews with characters Keras does not split on: " + withSpecial);
    }

    /** A NUL-terminated ASCII field of a tar header. */
    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
