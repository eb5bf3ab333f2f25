package io.reviewrnn.jobs.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one review file's bytes with a size cap and decodes them as strict UTF-8, so that an oversized or
 * undecodable file becomes a reported bad record instead of an out-of-memory error or silent mojibake.
 */
final class ReviewBytes {

    /** Text, or the reason it could not be had. Exactly one of the two is non-null. */
    record Decoded(String text, String error) {
    }

    private ReviewBytes() {
    }

    /** Bytes a review of {@code maxChars} characters can take in UTF-8. */
    static long byteLimit(int maxChars) {
        return 4L * maxChars;
    }

    static Decoded read(InputStream in, long declaredSize, int maxChars) throws IOException {
        long limit = byteLimit(maxChars);
        if (declaredSize > limit) {
            return new Decoded(null, "review too long: " + declaredSize + " bytes, over max_review_chars " + maxChars);
        }
        byte[] bytes = in.readNBytes((int) Math.min(limit + 1, declaredSize >= 0 ? declaredSize + 1 : limit + 1));
        if (bytes.length > limit) {
            return new Decoded(null, "review too long: over " + limit + " bytes, max_review_chars " + maxChars);
        }
        return decode(bytes, maxChars);
    }

    static Decoded decode(byte[] bytes, int maxChars) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (s.length() > maxChars) {
                return new Decoded(null, "review too long: " + s.length() + " chars, over max_review_chars " + maxChars);
            }
            return new Decoded(s, null);
        } catch (CharacterCodingException e) {
            return new Decoded(null, "invalid UTF-8: " + e.getMessage());
        }
    }
}
