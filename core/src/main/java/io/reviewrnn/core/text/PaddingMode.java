package io.reviewrnn.core.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where {@code pad_sequences} pads or truncates: before ({@code pre}) or after ({@code post}) the tokens. */
public enum PaddingMode {
    PRE, POST;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PaddingMode parse(String s) {
        if (s != null) {
            for (PaddingMode m : values()) {
                if (m.key().equalsIgnoreCase(s.trim())) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("must be 'pre' or 'post', was '" + s + "'");
    }
}
