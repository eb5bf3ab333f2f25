package io.reviewrnn.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a job does with an input record it cannot use: stop with an error, or skip it into a rejects file. */
public enum BadRecordPolicy {
    FAIL, SKIP;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BadRecordPolicy parse(String s) {
        for (BadRecordPolicy p : values()) {
            if (p.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("must be 'fail' or 'skip', was '" + s + "'");
    }
}
