package io.reviewrnn.core.text;

import java.io.Serializable;
import java.util.Objects;

/**
 * Turns text into a fixed-length id sequence: tokenize, map through the vocabulary, prepend the start
 * marker, then {@code pad_sequences(maxlen, padding, truncating, value=0)}. Thread-safe.
 */
public final class SequenceEncoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TextSpec spec;
    private final Vocabulary vocabulary;
    private final KerasTokenizer tokenizer = new KerasTokenizer();

    public SequenceEncoder(TextSpec spec, Vocabulary vocabulary) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        if (vocabulary.idLimit() > spec.numWords()) {
            throw new IllegalArgumentException("vocabulary has ids up to " + (vocabulary.idLimit() - 1)
                    + " but num_words is " + spec.numWords());
        }
    }

    public TextSpec spec() {
        return spec;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Tokenizes and encodes raw text. */
    public EncodedReview encode(String text) {
        Accumulator acc = new Accumulator();
        tokenizer.scanTokens(text, acc); // tokens looked up as character runs, no string per token
        return acc.finish();
    }

    /** Encodes text that is already tokenized. */
    public EncodedReview encodeTokens(Iterable<String> tokens) {
        Accumulator acc = new Accumulator();
        tokens.forEach(acc);
        return acc.finish();
    }

    /** The vocabulary id of each of {@code tokens} (an OOV id for words outside the vocabulary). */
    public int[] vocabularyIds(String[] tokens) {
        int[] out = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = vocabulary.idOf(tokens[i]);
        }
        return out;
    }

    /**
     * Encodes a review held as dictionary ids, {@code tokens[from, to)}, where {@code vocabularyIds} maps a
     * dictionary id to its vocabulary id ({@link #vocabularyIds}). Same result as {@link #encode} on the text.
     */
    public EncodedReview encodeIds(int[] tokens, int from, int to, int[] vocabularyIds) {
        int marker = spec.startMarker() ? 1 : 0;
        int n = marker + to - from;
        int oov = 0;
        for (int t = from; t < to; t++) {
            if (vocabularyIds[tokens[t]] == TextSpec.OOV_ID) {
                oov++;
            }
        }
        int maxlen = spec.maxlen();
        int[] out = new int[maxlen];
        int keep = Math.min(n, maxlen);
        int skip = n > maxlen && spec.truncating() == PaddingMode.PRE ? n - maxlen : 0;
        int at = spec.padding() == PaddingMode.PRE ? maxlen - keep : 0;
        for (int j = skip; j < skip + keep; j++) {
            out[at++] = j < marker ? TextSpec.START_ID : vocabularyIds[tokens[from + j - marker]];
        }
        return new EncodedReview(out, to - from, oov, n > maxlen);
    }

    private final class Accumulator implements java.util.function.Consumer<String>, KerasTokenizer.CharSink {
        private final IntBuffer raw = new IntBuffer(256);
        private int oov;

        Accumulator() {
            if (spec.startMarker()) {
                raw.add(TextSpec.START_ID);
            }
        }

        @Override
        public void accept(String token) {
            add(vocabulary.idOf(token));
        }

        @Override
        public void token(char[] buf, int off, int len) {
            add(vocabulary.idOf(buf, off, len));
        }

        private void add(int id) {
            if (id == TextSpec.OOV_ID) {
                oov++;
            }
            raw.add(id);
        }

        EncodedReview finish() {
            int tokens = raw.size - (spec.startMarker() ? 1 : 0);
            return new EncodedReview(pad(raw.data, raw.size), tokens, oov, raw.size > spec.maxlen());
        }
    }

    /** {@code pad_sequences} on one sequence of {@code n} ids. */
    public int[] pad(int[] seq, int n) {
        int maxlen = spec.maxlen();
        int[] out = new int[maxlen];
        int keep = Math.min(n, maxlen);
        int from = n > maxlen && spec.truncating() == PaddingMode.PRE ? n - maxlen : 0;
        int to = spec.padding() == PaddingMode.PRE ? maxlen - keep : 0;
        System.arraycopy(seq, from, out, to, keep);
        return out;
    }

    private static final class IntBuffer {
        int[] data;
        int size;

        IntBuffer(int capacity) {
            data = new int[capacity];
        }

        void add(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }
    }
}
