package io.reviewrnn.core.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.KerasTokenizer;
import io.reviewrnn.core.text.PaddingMode;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code text_spec.json} of an export: everything a caller in any language needs to turn review text into the
 * model's input exactly as training did ({@link KerasTokenizer}, {@link Vocabulary}, {@link SequenceEncoder}),
 * stated as rules, plus worked examples made by our own encoder to test a re-implementation against. Immutable.
 *
 * @param formatVersion version of this file's layout
 * @param tokenizer how text becomes tokens
 * @param numWords ids are in {@code [0, num_words)}
 * @param maxlen ids per review, after padding or truncation
 * @param padding where short reviews get {@code padding} ids: {@code pre} (before the tokens) or {@code post}
 * @param truncating which end of a long review is cut: {@code pre} (keep the last tokens) or {@code post}
 * @param startMarker whether every review starts with the {@code start} id
 * @param reservedIds the ids with a fixed meaning: padding, start marker, out-of-vocabulary
 * @param indexFrom the first id of a vocabulary word
 * @param vocabulary the vocabulary file
 * @param steps the encoding, step by step
 * @param examples texts with their tokens and ids as this model encodes them
 */
@JsonPropertyOrder({"format_version", "tokenizer", "num_words", "maxlen", "padding", "truncating", "start_marker",
        "reserved_ids", "index_from", "vocabulary", "steps", "examples"})
public record PortableTextSpec(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("tokenizer") Tokenizer tokenizer,
        @JsonProperty("num_words") int numWords,
        @JsonProperty("maxlen") int maxlen,
        @JsonProperty("padding") PaddingMode padding,
        @JsonProperty("truncating") PaddingMode truncating,
        @JsonProperty("start_marker") boolean startMarker,
        @JsonProperty("reserved_ids") Map<String, Integer> reservedIds,
        @JsonProperty("index_from") int indexFrom,
        @JsonProperty("vocabulary") VocabularyFile vocabulary,
        @JsonProperty("steps") List<String> steps,
        @JsonProperty("examples") List<Example> examples) {

    public static final int FORMAT_VERSION = 1;
    /** The one tokenizer this build has; a file naming another is refused when read. */
    public static final String TOKENIZER = "keras_text_to_word_sequence";
    static final String BREAK_PATTERN = "(?i)<br\\s*/?\\s*>";

    /**
     * Keras {@code text_to_word_sequence} with its defaults, after HTML line breaks are removed.
     *
     * @param name {@value #TOKENIZER}
     * @param removeFirst a regular expression whose matches become one space before anything else
     * @param lower lower-case the text (Unicode default case mapping, as Python's {@code str.lower()})
     * @param filters characters that become spaces
     * @param split how the text is split into tokens
     */
    @JsonPropertyOrder({"name", "remove_first", "lower", "filters", "split"})
    public record Tokenizer(
            @JsonProperty("name") String name,
            @JsonProperty("remove_first") String removeFirst,
            @JsonProperty("lower") boolean lower,
            @JsonProperty("filters") String filters,
            @JsonProperty("split") String split) {
    }

    /**
     * @param file file name inside the export
     * @param format its layout
     * @param words number of vocabulary words (ids {@code index_from} to {@code index_from + words - 1})
     */
    @JsonPropertyOrder({"file", "format", "words"})
    public record VocabularyFile(
            @JsonProperty("file") String file,
            @JsonProperty("format") String format,
            @JsonProperty("words") int words) {
    }

    /** A text, its tokens and its ids as the exported model's encoder gives them. */
    @JsonPropertyOrder({"text", "tokens", "ids"})
    public record Example(
            @JsonProperty("text") String text,
            @JsonProperty("tokens") List<String> tokens,
            @JsonProperty("ids") int[] ids) {
    }

    /** The document for a checkpoint's text spec and vocabulary, with {@code examples} encoded by its encoder. */
    public static PortableTextSpec of(TextSpec spec, Vocabulary vocabulary, String vocabularyFile,
            List<String> exampleTexts) {
        SequenceEncoder encoder = new SequenceEncoder(spec, vocabulary);
        KerasTokenizer tokenizer = new KerasTokenizer();
        List<Example> examples = new ArrayList<>();
        for (String t : exampleTexts) {
            EncodedReview e = encoder.encode(t);
            examples.add(new Example(t, tokenizer.tokenize(t), e.ids()));
        }
        return new PortableTextSpec(FORMAT_VERSION,
                new Tokenizer(TOKENIZER, BREAK_PATTERN, true, KerasTokenizer.KERAS_FILTERS,
                        "on runs of whitespace, as Python's str.split() with no argument; no empty tokens"),
                spec.numWords(), spec.maxlen(), spec.padding(), spec.truncating(), spec.startMarker(),
                buildReservedIds(), TextSpec.INDEX_FROM,
                new VocabularyFile(vocabularyFile, "UTF-8 text; header line 'id<TAB>token<TAB>count', then one line "
                        + "per id from 0 in order; ids 0-2 are the reserved rows <pad>, <start>, <oov>; count is the "
                        + "word's frequency in the training split", vocabulary.size()),
                List.of("tokenize the text with 'tokenizer'",
                        "map each token to its id in the vocabulary file, or to reserved_ids.oov if it is not there",
                        "if start_marker, put reserved_ids.start in front",
                        "if longer than maxlen, drop ids from the front (truncating pre) or the back (post)",
                        "if shorter than maxlen, add reserved_ids.padding in front (padding pre) or at the back (post)",
                        "feed the maxlen ids as one int64 row of the model input 'token_ids'"),
                List.copyOf(examples));
    }

    /** This build's reserved ids, in a fixed order. */
    private static Map<String, Integer> buildReservedIds() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        ids.put("padding", TextSpec.PAD_ID);
        ids.put("start", TextSpec.START_ID);
        ids.put("oov", TextSpec.OOV_ID);
        return ids;
    }

    /** The text spec this document describes; refuses a tokenizer or reserved ids this build does not have. */
    public TextSpec toTextSpec() throws IOException {
        if (formatVersion != FORMAT_VERSION) {
            throw new IOException("text_spec.json has format_version " + formatVersion + ", this build reads "
                    + FORMAT_VERSION);
        }
        if (tokenizer == null || !TOKENIZER.equals(tokenizer.name()) || !BREAK_PATTERN.equals(tokenizer.removeFirst())
                || !tokenizer.lower() || !KerasTokenizer.KERAS_FILTERS.equals(tokenizer.filters())) {
            throw new IOException("text_spec.json describes a tokenizer this build does not have: " + tokenizer);
        }
        if (indexFrom != TextSpec.INDEX_FROM || !buildReservedIds().equals(reservedIds)) {
            throw new IOException("text_spec.json has reserved ids " + reservedIds + " and index_from " + indexFrom
                    + "; this build uses padding 0, start 1, oov 2, words from 3");
        }
        return new TextSpec(numWords, maxlen, padding, truncating, startMarker);
    }
}
