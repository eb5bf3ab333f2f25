package io.reviewrnn.core.base;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Strict YAML and JSON mapping for config records: unknown keys are an error, and validation errors
 * raised by record constructors surface as {@link ConfigException} naming the key.
 */
public final class Yaml {
    private static final ObjectMapper YAML = configure(new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)));
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    private Yaml() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        return m;
    }

    /** The shared YAML mapper. */
    public static ObjectMapper yaml() {
        return YAML;
    }

    /** The shared JSON mapper, with the same strictness. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** Reads {@code type} from YAML; {@code source} names the file in error messages. */
    public static <T> T read(InputStream in, Class<T> type, String source) {
        return bind(readTree(in, source), type, source);
    }

    /** Reads a YAML document as a tree (an empty document gives an empty object). */
    public static ObjectNode readTree(InputStream in, String source) {
        try {
            JsonNode node = YAML.readTree(in);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(source + ": expected a mapping of keys to values at the top level");
            }
            return (ObjectNode) node;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        } catch (IOException e) {
            // Not a syntax problem: the file system failed while reading (e.g. HDFS BlockMissingException).
            throw new java.io.UncheckedIOException("cannot read " + source + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads a YAML file from any Hadoop FileSystem path ({@code hdfs://}, {@code file://} or local). */
    public static ObjectNode readTree(String path) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try (InputStream in = p.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(p)) {
            return readTree(in, path);
        } catch (java.io.FileNotFoundException e) {
            throw new ConfigException("config file not found: " + path);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Binds a tree (e.g. a file with command-line overrides applied) to a validated record. Every failure is a
     * {@link ConfigException} whose message names {@code source}, the key and what the key accepts, in the words of
     * the config file (never a Java class).
     */
    public static <T> T bind(JsonNode tree, Class<T> type, String source) {
        return bind(tree, type, source + ": ", "");
    }

    /**
     * Binds one section of a larger config (e.g. {@code train} inside an experiments config): errors name the keys
     * with the section's prefix ({@code train.monitor must be ...}), and the binding of the enclosing file adds the
     * file name.
     */
    public static <T> T bindSection(JsonNode tree, Class<T> type, String section) {
        return bind(tree, type, "", section + ".");
    }

    private static <T> T bind(JsonNode tree, Class<T> type, String source, String prefix) {
        try {
            T value = YAML.treeToValue(tree, type);
            if (value == null) {
                throw new ConfigException(source + (prefix.isEmpty() ? "the config" : key(prefix, "")) + " is empty");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of() : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().toList();
            String key = key(prefix, path(e));
            String suggestion = closest(e.getPropertyName(), known);
            throw new ConfigException(source + "unknown key '" + key + "'"
                    + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
                    + (known.isEmpty() ? "" : "; known keys" + (key.contains(".") ? " there" : "") + ": "
                            + String.join(", ", known)), e);
        } catch (JsonMappingException e) {
            String key = key(prefix, path(e));
            String at = key.isEmpty() ? "" : key + " ";
            Throwable root = e;
            for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof ConfigException ce) {
                    // A record's own validation, or a nested section's binding: its message names its key.
                    throw new ConfigException(source + (key.isEmpty() ? "" : key + ".") + ce.getMessage(), ce);
                }
                root = c;
            }
            if (root instanceof IllegalArgumentException iae && iae.getMessage() != null) {
                // A value's own parser refused it (our enums: "must be 'val_loss' or 'val_accuracy', was 'x'").
                throw new ConfigException(source + at + iae.getMessage(), e);
            }
            if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                Class<?> target = mi.getTargetType();
                Object was = e instanceof InvalidFormatException inf ? inf.getValue() : null;
                throw new ConfigException(source + at + "must be " + expected(target)
                        + (was == null ? "" : ", was " + (was instanceof String s ? "'" + s + "'" : was)), e);
            }
            throw new ConfigException(source + "bad value" + (key.isEmpty() ? "" : " at '" + key + "'") + ": "
                    + withoutJavaNames(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ConfigException(source + e.getMessage(), e);
        }
    }

    /** What a value of {@code type} looks like in a config file, e.g. "an integer" or "one of [pre, post]". */
    static String expected(Class<?> type) {
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                names.add(YAML.convertValue(c, String.class));
            }
            return "one of " + names;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a mapping of keys to values";
    }

    /** Jackson's messages name Java types in back-quotes; a config user needs none of them. */
    private static String withoutJavaNames(String message) {
        return message == null ? "" : message.replaceAll("`[a-zA-Z_$][\\w$.]*\\.([\\w$]+)`", "$1")
                .replaceAll("\\s*\\(through reference chain:.*\\)$", "");
    }

    /** The known key closest to {@code key} (edit distance at most 3, or one contains the other), else null. */
    static String closest(String key, List<String> known) {
        if (key == null) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = k.contains(key) || key.contains(k) ? 1 : distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= 3 ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** {@code prefix} ("train." or "") joined with a key path that may be empty. */
    private static String key(String prefix, String path) {
        return path.isEmpty() ? prefix.replaceFirst("\\.$", "") : prefix + path;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

}
