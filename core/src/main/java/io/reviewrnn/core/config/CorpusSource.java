package io.reviewrnn.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.corpus.CorpusFormat;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a review corpus is and how to read it. Paths may be plain local paths, {@code file://} or
 * {@code hdfs://} URIs. Column names apply to CSV, TSV, JSON Lines and Parquet; when not set, the text column
 * is the first of {@code review}, {@code text} and the label column the first of {@code sentiment},
 * {@code label} that exist, so Kaggle's {@code review,sentiment} CSV needs no options.
 *
 * @param labels label value (case-insensitive) to class; default maps positive/pos/1/true to 1 and
 *               negative/neg/0/false to 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CorpusSource(
        @JsonProperty("path") String path,
        @JsonProperty("format") CorpusFormat format,
        @JsonProperty("text_column") String textColumn,
        @JsonProperty("label_column") String labelColumn,
        @JsonProperty("id_column") String idColumn,
        @JsonProperty("split_column") String splitColumn,
        @JsonProperty("rating_column") String ratingColumn,
        @JsonProperty("labels") Map<String, Integer> labels) implements Serializable {

    public static final Map<String, Integer> DEFAULT_LABELS = defaultLabels();

    public CorpusSource {
        if (path == null || path.isBlank()) {
            throw new ConfigException("path", path, "must be set");
        }
        if (format == null) {
            format = CorpusFormat.AUTO;
        }
        if (labels == null || labels.isEmpty()) {
            labels = DEFAULT_LABELS;
        } else {
            Map<String, Integer> norm = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : labels.entrySet()) {
                if (e.getValue() == null || (e.getValue() != 0 && e.getValue() != 1)) {
                    throw new ConfigException("labels." + e.getKey(), e.getValue(), "must be 0 or 1");
                }
                norm.put(e.getKey().trim().toLowerCase(Locale.ROOT), e.getValue());
            }
            labels = Map.copyOf(norm);
        }
    }

    /** A source with every option at its default. */
    public static CorpusSource of(String path) {
        return new CorpusSource(path, CorpusFormat.AUTO, null, null, null, null, null, null);
    }

    public CorpusSource withFormat(CorpusFormat f) {
        return new CorpusSource(path, f, textColumn, labelColumn, idColumn, splitColumn, ratingColumn, labels);
    }

    /** Maps a raw label to 0/1, or null when it is not in {@link #labels()}. */
    public Integer mapLabel(String raw) {
        return raw == null ? null : labels.get(raw.trim().toLowerCase(Locale.ROOT));
    }

    private static Map<String, Integer> defaultLabels() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String s : new String[] {"positive", "pos", "1", "true", "1.0"}) {
            m.put(s, 1);
        }
        for (String s : new String[] {"negative", "neg", "0", "false", "0.0"}) {
            m.put(s, 0);
        }
        return Map.copyOf(m);
    }
}
