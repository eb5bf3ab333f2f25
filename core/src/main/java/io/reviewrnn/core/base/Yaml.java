package io.reviewrnn.core.base;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
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

    /** Binds a tree (e.g. a file with command-line overrides applied) to a validated record. */
    public static <T> T bind(JsonNode tree, Class<T> type, String source) {
        try {
            T value = YAML.treeToValue(tree, type);
            if (value == null) {
                throw new ConfigException(source + " is empty");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(source + ": unknown key '" + path(e) + "'"
                    + (known.isEmpty() ? "" : " (known keys: " + known + ")"), e);
        } catch (JsonMappingException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof ConfigException ce) {
                String prefix = path(e);
                throw new ConfigException(source + ": " + (prefix.isEmpty() ? "" : prefix + ".") + ce.getMessage(), ce);
            }
            throw new ConfigException(source + ": bad value at '" + path(e) + "': " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

}
