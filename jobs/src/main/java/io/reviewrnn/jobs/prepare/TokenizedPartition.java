package io.reviewrnn.jobs.prepare;

import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.KerasTokenizer;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TokenDictionary;
import io.reviewrnn.jobs.io.RawReviews;
import io.reviewrnn.jobs.io.Rejects;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/**
 * One partition of the corpus after a single read-and-tokenize pass: every usable review as ids into a
 * partition-local {@link TokenDictionary} (a string per distinct word, an {@code int} per token), the rejected
 * records with their reasons, and a {@link Summary} of counts. {@link PrepareJob} caches these and runs its later
 * passes (validation split, word count, encoding) over them without reading or tokenizing the text again: the word
 * count is array increments, and encoding looks each distinct word up in the vocabulary once per partition.
 */
final class TokenizedPartition implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Validation-split histogram resolution: buckets per label over the 64-bit id hash. */
    static final int BUCKET_BITS = 12;
    static final int BUCKETS = 1 << BUCKET_BITS;
    static final int NO_RATING = Integer.MIN_VALUE;
    private static final int MAX_EXAMPLES = 5;
    private static final int SNIPPET = 200;
    private static final String TRAIN = PreparedLayout.TRAIN;
    private static final String TEST = PreparedLayout.TEST;

    private static final int ID = RawReviews.SCHEMA.fieldIndex(RawReviews.ID);
    private static final int SPLIT = RawReviews.SCHEMA.fieldIndex(RawReviews.SPLIT);
    private static final int LABEL = RawReviews.SCHEMA.fieldIndex(RawReviews.LABEL);
    private static final int RATING = RawReviews.SCHEMA.fieldIndex(RawReviews.RATING);
    private static final int TEXT = RawReviews.SCHEMA.fieldIndex(RawReviews.TEXT);
    private static final int SOURCE = RawReviews.SCHEMA.fieldIndex(RawReviews.SOURCE);
    private static final int ERROR = RawReviews.SCHEMA.fieldIndex(RawReviews.ERROR);

    /** Counts of one or more partitions, merged on the driver: small and independent of the corpus size. */
    static final class Summary implements Serializable {
        private static final long serialVersionUID = 1L;
        /** [0 = train, 1 = test][label]. */
        final long[][] perLabel = new long[2][2];
        final TreeMap<String, Long> badByReason = new TreeMap<>();
        final List<String> badExamples = new ArrayList<>();
        long unlabelled;
        /** Training reviews per label and hash bucket ({@link #bucket}). */
        final long[][] histogram = new long[2][BUCKETS];

        Summary merge(Summary o) {
            for (int s = 0; s < 2; s++) {
                for (int l = 0; l < 2; l++) {
                    perLabel[s][l] += o.perLabel[s][l];
                    if (s == 0) {
                        for (int b = 0; b < BUCKETS; b++) {
                            histogram[l][b] += o.histogram[l][b];
                        }
                    }
                }
            }
            o.badByReason.forEach((k, v) -> badByReason.merge(k, v, Long::sum));
            for (String e : o.badExamples) {
                if (badExamples.size() < MAX_EXAMPLES) {
                    badExamples.add(e);
                }
            }
            unlabelled += o.unlabelled;
            return this;
        }

        long read() {
            return perLabel[0][0] + perLabel[0][1] + perLabel[1][0] + perLabel[1][1] + unlabelled + bad();
        }

        long bad() {
            return badByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final String[] words;
    private final int size;
    private final String[] ids;
    /** 0 = train, 1 = test. */
    private final byte[] splits;
    private final byte[] labels;
    private final int[] ratings;
    private final long[] hashes;
    /** Tokens of review i are {@code tokens[offsets[i], offsets[i + 1])}, as {@link #words} indices. */
    private final int[] offsets;
    private final int[] tokens;
    /** Rejected records as {@link PrepareJob#REJECT} rows: id, source, reason, snippet. */
    private final List<String[]> rejects;
    private final Summary summary;

    private TokenizedPartition(Builder b) {
        words = b.dictionary.tokens();
        size = b.size;
        ids = Arrays.copyOf(b.ids, size);
        splits = Arrays.copyOf(b.splits, size);
        labels = Arrays.copyOf(b.labels, size);
        ratings = Arrays.copyOf(b.ratings, size);
        hashes = Arrays.copyOf(b.hashes, size);
        offsets = Arrays.copyOf(b.offsets, size + 1);
        tokens = Arrays.copyOf(b.tokens, b.offsets[size]);
        rejects = b.rejects;
        summary = b.summary;
    }

    /**
     * Checks and tokenizes the raw rows of one partition: reader errors, empty reviews and missing labels become
     * rejects; reviews outside train and test (aclImdb's {@code unsup}) are only counted.
     */
    static TokenizedPartition of(Iterator<Row> rows, long seed) {
        Builder b = new Builder(seed);
        while (rows.hasNext()) {
            b.add(rows.next());
        }
        return new TokenizedPartition(b);
    }

    Summary summary() {
        return summary;
    }

    /** The hash-order bucket of a hash: monotonic in {@link Long#compare} order. */
    static int bucket(long hash) {
        return (int) ((hash ^ Long.MIN_VALUE) >>> (64 - BUCKET_BITS));
    }

    /** Validation-split keys of the training reviews of each label whose hash falls in {@code bucketOfLabel[label]}. */
    List<PrepareJob.SplitKey> keysInBucket(int[] bucketOfLabel) {
        List<PrepareJob.SplitKey> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (splits[i] == 0 && bucket(hashes[i]) == bucketOfLabel[labels[i]]) {
                out.add(new PrepareJob.SplitKey(labels[i], hashes[i], ids[i]));
            }
        }
        return out;
    }

    /** Word counts over the training reviews that are not held out (for validation or, with test_split, test). */
    Iterator<Tuple2<String, Long>> trainingWordCounts(PrepareJob.ValidationSplit holdOut) {
        long[] counts = new long[words.length];
        for (int i = 0; i < size; i++) {
            if (splits[i] == 0 && !holdOut.isHeldOut(labels[i], hashes[i], ids[i])) {
                for (int t = offsets[i]; t < offsets[i + 1]; t++) {
                    counts[tokens[t]]++;
                }
            }
        }
        List<Tuple2<String, Long>> out = new ArrayList<>();
        for (int w = 0; w < counts.length; w++) {
            if (counts[w] > 0) {
                out.add(new Tuple2<>(words[w], counts[w]));
            }
        }
        return out.iterator();
    }

    /** Encodes every review, recording its statistics in {@code stats}, which is complete once the iterator is. */
    Iterator<EncodedRow> encode(SequenceEncoder encoder, PrepareJob.ValidationSplit holdOut, CorpusStats stats) {
        int[] vocabularyIds = encoder.vocabularyIds(words);
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < size;
            }

            @Override
            public EncodedRow next() {
                if (i >= size) {
                    throw new NoSuchElementException();
                }
                EncodedReview e = encoder.encodeIds(tokens, offsets[i], offsets[i + 1], vocabularyIds);
                String split = splits[i] == 1 || holdOut.isTest(labels[i], hashes[i], ids[i]) ? TEST
                        : holdOut.isValidation(labels[i], hashes[i], ids[i]) ? PreparedLayout.VALIDATION : TRAIN;
                stats.add(split, labels[i], e.tokenCount(), e.oovCount(), e.truncated());
                EncodedRow row = new EncodedRow(ids[i], labels[i], ratings[i] == NO_RATING ? null : ratings[i],
                        e.ids(), e.tokenCount(), e.oovCount(), e.truncated(), split);
                i++;
                return row;
            }
        };
    }

    /** The rejected records as {@link PrepareJob#REJECT} rows. */
    Iterator<Row> rejectRows() {
        return rejects.stream().map(r -> RowFactory.create((Object[]) r)).iterator();
    }

    private static final class Builder {
        private final long seed;
        private final KerasTokenizer tokenizer = new KerasTokenizer();
        private final TokenDictionary dictionary = new TokenDictionary(1 << 14);
        private final Summary summary = new Summary();
        private final List<String[]> rejects = new ArrayList<>();
        private int size;
        private String[] ids = new String[256];
        private byte[] splits = new byte[256];
        private byte[] labels = new byte[256];
        private int[] ratings = new int[256];
        private long[] hashes = new long[256];
        private int[] offsets = new int[257];
        private int[] tokens = new int[1 << 16];

        Builder(long seed) {
            this.seed = seed;
        }

        void add(Row r) {
            String split = r.getString(SPLIT);
            String text = r.getString(TEXT);
            String error = r.isNullAt(ERROR) ? null : r.getString(ERROR);
            boolean labelled = TRAIN.equals(split) || TEST.equals(split);
            if (error == null) {
                if (text == null || text.isBlank()) {
                    error = "empty review";
                } else if (labelled && r.isNullAt(LABEL)) {
                    error = "missing label";
                }
            }
            if (error != null) {
                String source = r.getString(SOURCE);
                summary.badByReason.merge(Rejects.reasonKind(error), 1L, Long::sum);
                if (summary.badExamples.size() < MAX_EXAMPLES) {
                    summary.badExamples.add(source + ": " + error);
                }
                rejects.add(new String[] {r.getString(ID), source, error,
                        text == null ? null : text.length() <= SNIPPET ? text : text.substring(0, SNIPPET)});
                return;
            }
            if (!labelled) {
                summary.unlabelled++;
                return;
            }
            if (size == ids.length) {
                grow();
            }
            String id = r.getString(ID);
            int label = r.getInt(LABEL);
            byte s = (byte) (TRAIN.equals(split) ? 0 : 1);
            long h = PrepareJob.hash(seed, id);
            ids[size] = id;
            splits[size] = s;
            labels[size] = (byte) label;
            ratings[size] = r.isNullAt(RATING) ? NO_RATING : r.getInt(RATING);
            hashes[size] = h;
            summary.perLabel[s][label]++;
            if (s == 0) {
                summary.histogram[label][bucket(h)]++;
            }
            offsets[size + 1] = offsets[size];
            tokenizer.scanTokens(text, (buf, off, len) -> {
                int end = offsets[size + 1];
                if (end == tokens.length) {
                    tokens = Arrays.copyOf(tokens, end * 2);
                }
                tokens[end] = dictionary.idOf(buf, off, len);
                offsets[size + 1] = end + 1;
            });
            size++;
        }

        private void grow() {
            int n = ids.length * 2;
            ids = Arrays.copyOf(ids, n);
            splits = Arrays.copyOf(splits, n);
            labels = Arrays.copyOf(labels, n);
            ratings = Arrays.copyOf(ratings, n);
            hashes = Arrays.copyOf(hashes, n);
            offsets = Arrays.copyOf(offsets, n + 1);
        }
    }
}
