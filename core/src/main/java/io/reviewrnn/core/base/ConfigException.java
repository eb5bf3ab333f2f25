package io.reviewrnn.core.base;

/** A configuration value is invalid. The message names the key and the offending value. */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, Object value, String requirement) {
        super(key + " " + requirement + ", was " + render(value));
        this.key = key;
    }

    public ConfigException(String message) {
        super(message);
        this.key = null;
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.key = null;
    }

    /** The offending key, or null when the problem is not tied to one key. */
    public String key() {
        return key;
    }

    private static String render(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    /** Prefixes the key of a nested record, e.g. {@code text.maxlen}. */
    public static ConfigException nested(String prefix, ConfigException e) {
        return e.key == null ? e : new ConfigException(prefix + "." + e.getMessage());
    }
}
