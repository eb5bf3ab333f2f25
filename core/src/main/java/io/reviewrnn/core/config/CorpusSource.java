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
        return builder().setPath(path).build();
    }

    public CorpusSource withFormat(CorpusFormat f) {
        return Builder.from(this).optFormat(f).build();
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

    /** A builder: {@code setPath} is required, {@code optX} for the rest; {@link Builder#build} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a source in code, DJL style: {@code setPath} is required, every {@code optX} may be left out (or given
     * null) for its default: the format guessed from the path, the columns found by name, the default labels.
     * {@link #build} runs the same validation as a YAML file, so a bad value fails with a {@link ConfigException}
     * naming its key.
     */
    public static final class Builder {
        private String path;
        private CorpusFormat format;
        private String textColumn;
        private String labelColumn;
        private String idColumn;
        private String splitColumn;
        private String ratingColumn;
        private Map<String, Integer> labels;

        private Builder() {
        }

        /** A builder holding every value of {@code s}. */
        public static Builder from(CorpusSource s) {
            return new Builder().setPath(s.path).optFormat(s.format).optTextColumn(s.textColumn)
                    .optLabelColumn(s.labelColumn).optIdColumn(s.idColumn).optSplitColumn(s.splitColumn)
                    .optRatingColumn(s.ratingColumn).optLabels(s.labels);
        }

        /** {@code path}. */
        public Builder setPath(String path) {
            this.path = path;
            return this;
        }

        /** {@code format} (default auto). */
        public Builder optFormat(CorpusFormat format) {
            this.format = format;
            return this;
        }

        /** {@code text_column}. */
        public Builder optTextColumn(String textColumn) {
            this.textColumn = textColumn;
            return this;
        }

        /** {@code label_column}. */
        public Builder optLabelColumn(String labelColumn) {
            this.labelColumn = labelColumn;
            return this;
        }

        /** {@code id_column}. */
        public Builder optIdColumn(String idColumn) {
            this.idColumn = idColumn;
            return this;
        }

        /** {@code split_column}. */
        public Builder optSplitColumn(String splitColumn) {
            this.splitColumn = splitColumn;
            return this;
        }

        /** {@code rating_column}. */
        public Builder optRatingColumn(String ratingColumn) {
            this.ratingColumn = ratingColumn;
            return this;
        }

        /** {@code labels}. */
        public Builder optLabels(Map<String, Integer> labels) {
            this.labels = labels;
            return this;
        }

        public CorpusSource build() {
            return new CorpusSource(path, format, textColumn, labelColumn, idColumn, splitColumn, ratingColumn,
                    labels);
        }
    }
}
