package io.reviewrnn.core.config;

import io.reviewrnn.core.base.ConfigException;
import java.util.regex.Pattern;

/**
 * A name that becomes one directory under a root the user chose (a retrain run id under {@code work_dir}, an
 * experiment or model name under {@code output}): a letter or digit, then letters, digits, {@code _ . -}, at most
 * 128 characters. So it can never be {@code ..}, hold a separator or a scheme, or start with the {@code .} and
 * {@code _} that mark hidden and temporary files, and nothing is written outside its root.
 */
public final class SimpleName {
    /** The pattern every such name matches. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private SimpleName() {
    }

    /**
     * Returns {@code value} if it is a simple name.
     *
     * @param key what the value is, for the message (e.g. {@code --run-id} or {@code name})
     * @throws ConfigException naming the key and the value otherwise
     */
    public static String require(String key, String value) {
        if (value == null || !PATTERN.matcher(value).matches()) {
            throw new ConfigException(key, value, "must be a simple name (a letter or digit, then letters, digits,"
                    + " '_', '.' or '-'; at most 128), as it names one directory under its root");
        }
        return value;
    }
}
