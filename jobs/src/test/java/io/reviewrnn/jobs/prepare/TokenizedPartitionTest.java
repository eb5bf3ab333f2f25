package io.reviewrnn.jobs.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.reviewrnn.core.text.EncodedReview;
import io.reviewrnn.core.text.KerasTokenizer;
import io.reviewrnn.core.text.SequenceEncoder;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import io.reviewrnn.jobs.io.RawReviews;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The per-partition pass of prepare, without Spark: checks, counts, word counts and encoding. */
class TokenizedPartitionTest {
    private static final long SEED = 42;

    private static Row review(String id, String split, Integer label, Integer rating, String text) {
        return RawReviews.row(id, split, label, rating, text, "src/" + id, null);
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(review("a", "train", 1, 9, "A great, GREAT movie!<br />Loved it."));
        rows.add(review("b", "train", 0, 2, "Bad movie. Bad acting; bad plot."));
        rows.add(review("c", "test", 1, null, "great acting"));
        rows.add(review("d", "train", 0, 1, "   "));
        rows.add(review("e", "train", null, null, "no label here"));
        rows.add(review("f", "unsup", null, null, "unlabelled text"));
        rows.add(RawReviews.row("g", "train", 1, 8, null, "src/g", "invalid UTF-8: input length = 1"));
        rows.add(review("h", "train", 1, 10, "Caf\u00e9 CAF\u00c9 great"));
        return rows;
    }

    @Test
    void checksAndCountsEveryRecord() {
        TokenizedPartition p = TokenizedPartition.of(rows().iterator(), SEED);
        TokenizedPartition.Summary s = p.summary();
        assertEquals(1, s.perLabel[0][0]); // b
        assertEquals(2, s.perLabel[0][1]); // a, h
        assertEquals(1, s.perLabel[1][1]); // c
        assertEquals(0, s.perLabel[1][0]);
        assertEquals(1, s.unlabelled);
        assertEquals(Map.of("empty review", 1L, "missing label", 1L, "invalid UTF-8", 1L), s.badByReason);
        assertEquals(8, s.read());
        assertEquals(3, s.bad());
        assertEquals(List.of("src/d: empty review", "src/e: missing label", "src/g: invalid UTF-8: input length = 1"),
                s.badExamples);
        long[] perLabel = new long[2];
        for (int l = 0; l < 2; l++) {
            for (long c : s.histogram[l]) {
                perLabel[l] += c;
            }
        }
        assertArrayEquals(new long[] {1, 2}, perLabel);
        assertEquals(1, s.histogram[0][TokenizedPartition.bucket(PrepareJob.hash(SEED, "b"))]);

        List<String> rejected = new ArrayList<>();
        p.rejectRows().forEachRemaining(r -> rejected.add(r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2)
                + "|" + r.getString(3)));
        assertEquals(List.of("d|src/d|empty review|   ", "e|src/e|missing label|no label here",
                "g|src/g|invalid UTF-8: input length = 1|null"), rejected);
    }

    @Test
    void summariesMergeLikeOnePartition() {
        List<Row> all = rows();
        TokenizedPartition.Summary whole = TokenizedPartition.of(all.iterator(), SEED).summary();
        TokenizedPartition.Summary merged = TokenizedPartition.of(all.subList(0, 3).iterator(), SEED).summary()
                .merge(TokenizedPartition.of(all.subList(3, all.size()).iterator(), SEED).summary());
        assertEquals(whole.read(), merged.read());
        assertEquals(whole.badByReason, merged.badByReason);
        assertEquals(whole.unlabelled, merged.unlabelled);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(whole.perLabel[l], merged.perLabel[l]);
            assertArrayEquals(whole.histogram[l], merged.histogram[l]);
        }
    }

    @SuppressWarnings("unchecked")
    private static PrepareJob.ValidationSplit holdingOut(String id, int label) {
        Tuple2<Long, String>[] t = (Tuple2<Long, String>[]) new Tuple2[2];
        t[label] = new Tuple2<>(PrepareJob.hash(SEED, id), id);
        long[] size = new long[2];
        size[label] = 1;
        return new PrepareJob.ValidationSplit(SEED, (Tuple2<Long, String>[]) new Tuple2[2], t, size, new long[2]);
    }

    @Test
    void wordCountsCoverTrainingReviewsOutsideTheValidationSplitOnly() {
        TokenizedPartition p = TokenizedPartition.of(rows().iterator(), SEED);
        PrepareJob.ValidationSplit holdOut = holdingOut("b", 0); // b is the only label-0 training review
        Map<String, Long> counts = new TreeMap<>();
        p.trainingWordCounts(holdOut).forEachRemaining(t -> counts.put(t._1(), t._2()));
        Map<String, Long> expected = new TreeMap<>();
        KerasTokenizer tok = new KerasTokenizer();
        for (String text : new String[] {"A great, GREAT movie!<br />Loved it.", "Caf\u00e9 CAF\u00c9 great"}) {
            tok.forEachToken(text, t -> expected.merge(t, 1L, Long::sum));
        }
        assertEquals(expected, counts);
        assertEquals(3L, counts.get("great"));
        assertEquals(2L, counts.get("caf\u00e9"));
        assertNull(counts.get("bad")); // held out
        assertNull(counts.get("acting")); // test only
    }

    @Test
    void encodingEqualsTheLocalEncoderAndAssignsSplits() {
        TokenizedPartition p = TokenizedPartition.of(rows().iterator(), SEED);
        TextSpec spec = new TextSpec(10, 6, io.reviewrnn.core.text.PaddingMode.PRE,
                io.reviewrnn.core.text.PaddingMode.PRE, true);
        SequenceEncoder enc = new SequenceEncoder(spec, Vocabulary.fromCounts(List.of(new WordCount("great", 3),
                new WordCount("bad", 3), new WordCount("movie", 2)), spec));
        CorpusStats stats = new CorpusStats();
        Map<String, EncodedRow> byId = new HashMap<>();
        Iterator<EncodedRow> it = p.encode(enc, holdingOut("b", 0), stats);
        it.forEachRemaining(r -> byId.put(r.id(), r));
        assertEquals(List.of("a", "b", "c", "h"), byId.keySet().stream().sorted().toList());
        Map<String, String> texts = Map.of("a", "A great, GREAT movie!<br />Loved it.",
                "b", "Bad movie. Bad acting; bad plot.", "c", "great acting", "h", "Caf\u00e9 CAF\u00c9 great");
        texts.forEach((id, text) -> {
            EncodedReview want = enc.encode(text);
            EncodedRow got = byId.get(id);
            assertArrayEquals(want.ids(), got.ids(), id);
            assertEquals(want.tokenCount(), got.tokenCount(), id);
            assertEquals(want.oovCount(), got.oovCount(), id);
            assertEquals(want.truncated(), got.truncated(), id);
        });
        assertEquals("train", byId.get("a").split());
        assertEquals("validation", byId.get("b").split());
        assertEquals("test", byId.get("c").split());
        assertEquals(9, byId.get("a").rating());
        assertNull(byId.get("c").rating());
        assertEquals(2, stats.toManifest("train").count());
        assertEquals(1, stats.toManifest("validation").count());
        assertEquals(1, stats.toManifest("test").count());
    }

    @Test
    void bucketsFollowTheSignedHashOrderOfTheValidationSplit() {
        java.util.Random rnd = new java.util.Random(3);
        long[] hashes = new long[10_000];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = rnd.nextLong();
        }
        hashes[0] = Long.MIN_VALUE;
        hashes[1] = Long.MAX_VALUE;
        hashes[2] = -1;
        hashes[3] = 0;
        java.util.Arrays.sort(hashes);
        for (int i = 1; i < hashes.length; i++) {
            org.junit.jupiter.api.Assertions.assertTrue(
                    TokenizedPartition.bucket(hashes[i - 1]) <= TokenizedPartition.bucket(hashes[i]));
        }
        assertEquals(0, TokenizedPartition.bucket(Long.MIN_VALUE));
        assertEquals(TokenizedPartition.BUCKETS - 1, TokenizedPartition.bucket(Long.MAX_VALUE));
        assertEquals(TokenizedPartition.BUCKETS / 2, TokenizedPartition.bucket(0));
    }
}
