package io.reviewrnn.core.text;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.base.ConfigException;
import java.io.Serializable;

/**
 * How raw text becomes a model input: the tokenizer and the {@code keras.datasets.imdb} /
 * {@code pad_sequences} encoding. It is written into every prepared corpus and checkpoint, so that scoring
 * encodes new text exactly as training did. Reserved ids: 0 padding, 1 start marker, 2 out-of-vocabulary;
 * words take ids from 3 up to {@code numWords - 1}.
 */
public record TextSpec(
        @JsonProperty("num_words") Integer numWords,
        @JsonProperty("maxlen") Integer maxlen,
        @JsonProperty("padding") PaddingMode padding,
        @JsonProperty("truncating") PaddingMode truncating,
        @JsonProperty("start_marker") Boolean startMarker) implements Serializable {

    public static final int PAD_ID = 0;
    public static final int START_ID = 1;
    public static final int OOV_ID = 2;
    public static final int INDEX_FROM = 3;

    /** The reference exercise: 500 words, 100 steps, pre-padding, pre-truncation, with a start marker. */
    public static TextSpec defaults() {
        return new TextSpec(500, 100, PaddingMode.PRE, PaddingMode.PRE, true);
    }

    public TextSpec {
        numWords = numWords == null ? 500 : numWords;
        maxlen = maxlen == null ? 100 : maxlen;
        startMarker = startMarker == null || startMarker;
        if (numWords <= INDEX_FROM) {
            throw new ConfigException("num_words", numWords, "must be > " + INDEX_FROM + " (ids 0-2 are reserved)");
        }
        if (maxlen <= 0) {
            throw new ConfigException("maxlen", maxlen, "must be > 0");
        }
        if (padding == null) {
            padding = PaddingMode.PRE;
        }
        if (truncating == null) {
            truncating = PaddingMode.PRE;
        }
    }

    /** How many words the vocabulary holds besides the reserved ids. */
    public int wordSlots() {
        return numWords - INDEX_FROM;
    }
}
