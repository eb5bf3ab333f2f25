package io.reviewrnn.core.corpus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A seeded generator of labelled movie-review-like text, for tests and the offline demo. It is learnable but
 * not trivial: sentiment words carry the signal, but a share of them sit under a negation ("not great")
 * that flips their meaning, opinions of the other polarity are mixed in, reviews vary from a dozen to several
 * hundred tokens (so truncation matters), and a few labels are noisy. Word frequencies follow a Zipf law so
 * that a 500-word vocabulary covers the sentiment words but not every filler word.
 *
 * <p>Review {@code i} of a split and label depends only on the seed, the split, the label and {@code i}, so any
 * subset can be generated independently. Thread-safe (no mutable state).
 */
public final class SyntheticCorpusGenerator {

    private static final String[] POSITIVE = {
        "great", "excellent", "wonderful", "brilliant", "superb", "amazing", "enjoyable", "moving", "beautiful",
        "funny", "charming", "masterpiece", "delightful", "gripping", "stunning", "touching", "perfect", "fantastic",
        "memorable", "clever", "loved", "best", "fun", "fresh", "powerful", "engaging", "recommend", "gem"};
    private static final String[] NEGATIVE = {
        "bad", "terrible", "awful", "boring", "dull", "horrible", "worst", "waste", "poor", "stupid", "mess",
        "disappointing", "pointless", "weak", "lame", "predictable", "annoying", "ridiculous", "unfunny", "tedious",
        "painful", "forgettable", "cheap", "hated", "bland", "clumsy", "avoid", "mediocre"};
    private static final String[] NEGATORS = {"not", "never", "hardly", "no", "isn't", "wasn't", "didn't find it"};
    private static final String[] INTENSIFIERS = {"very", "really", "truly", "quite", "so", "absolutely", "pretty"};
    private static final String[] SUBJECTS = {
        "the movie", "this film", "the plot", "the acting", "the script", "the ending", "the cast", "the director",
        "the soundtrack", "the story", "the dialogue", "the pacing", "the lead actor", "the villain", "it"};
    private static final String[] OPENERS = {
        "I watched this last night.", "Saw it at the cinema in 1998.", "My friends told me about it.",
        "This was on TV yesterday.", "I rented this one on a whim.", "Finally got around to this.",
        "Second time I've seen it.", "Went in with no expectations."};

    private final long seed;
    private final String[] filler;
    private final double[] fillerCdf;

    /** @param seed the same seed gives the same corpus */
    public SyntheticCorpusGenerator(long seed) {
        this.seed = seed;
        // ~900 filler words with Zipf(1.0) frequencies: about half fall outside a 500-word vocabulary.
        String[] common = {"the", "a", "and", "of", "to", "is", "in", "it", "that", "this", "was", "as", "with",
            "for", "but", "on", "movie", "film", "his", "he", "you", "are", "one", "they", "be", "at", "all", "by",
            "an", "who", "so", "from", "like", "her", "just", "about", "out", "has", "what", "some", "there",
            "can", "more", "when", "very", "up", "time", "she", "even", "only", "see", "story", "my", "which",
            "their", "had", "we", "would", "were", "me", "been", "also", "scene", "characters", "people", "much"};
        SplittableRandom r = new SplittableRandom(0x5EED);
        List<String> words = new ArrayList<>(List.of(common));
        String syll = "bacedifogahujikolumanepiroqusatevixozy";
        while (words.size() < 900) {
            StringBuilder w = new StringBuilder();
            int n = 2 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(syll.length() - 1);
                w.append(syll, k, k + 2);
            }
            words.add(w.toString());
        }
        filler = words.toArray(new String[0]);
        fillerCdf = new double[filler.length];
        double sum = 0;
        for (int i = 0; i < filler.length; i++) {
            sum += 1.0 / (i + 1);
            fillerCdf[i] = sum;
        }
        for (int i = 0; i < filler.length; i++) {
            fillerCdf[i] /= sum;
        }
    }

    /** Generates review {@code index} of the given split and label. */
    public SyntheticReview review(String split, int label, int index) {
        long mix = seed * 0x9E3779B97F4A7C15L + split.hashCode() * 31L + label * 1_000_003L + index;
        SplittableRandom r = new SplittableRandom(mix);
        int rating = label == 1 ? 7 + r.nextInt(4) : 1 + r.nextInt(4);
        // 3% label noise: the text is written with the other polarity.
        int textPolarity = r.nextDouble() < 0.03 ? 1 - label : label;
        int sentences = r.nextDouble() < 0.1 ? 15 + r.nextInt(30) : 2 + r.nextInt(10);
        StringBuilder sb = new StringBuilder();
        if (r.nextDouble() < 0.4) {
            sb.append(OPENERS[r.nextInt(OPENERS.length)]).append(' ');
        }
        for (int s = 0; s < sentences; s++) {
            sentence(r, textPolarity, sb);
            if (r.nextDouble() < 0.15) {
                sb.append("<br /><br />");
            } else {
                sb.append(' ');
            }
        }
        return new SyntheticReview(split, label, index, rating, sb.toString().trim());
    }

    private void sentence(SplittableRandom r, int polarity, StringBuilder sb) {
        int fillers = 3 + r.nextInt(10);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < fillers; i++) {
            words.add(fillerWord(r));
        }
        // Most sentences carry an opinion; 85% of opinions agree with the label, and a fifth of all opinions
        // are negated ("not bad"), which a bag of words reads the wrong way round.
        if (r.nextDouble() < 0.8) {
            boolean agree = r.nextDouble() < 0.85;
            int wordPolarity = agree ? polarity : 1 - polarity;
            boolean negate = r.nextDouble() < 0.2;
            if (negate) {
                // "not bad" in a positive review: the negated word has the opposite polarity.
                wordPolarity = 1 - wordPolarity;
            }
            StringBuilder op = new StringBuilder(SUBJECTS[r.nextInt(SUBJECTS.length)]).append(" was ");
            if (negate) {
                op.append(NEGATORS[r.nextInt(NEGATORS.length)]).append(' ');
            }
            if (r.nextDouble() < 0.3) {
                op.append(INTENSIFIERS[r.nextInt(INTENSIFIERS.length)]).append(' ');
            }
            String[] pool = wordPolarity == 1 ? POSITIVE : NEGATIVE;
            op.append(pool[r.nextInt(pool.length)]);
            words.add(r.nextInt(words.size() + 1), op.toString());
        }
        String text = String.join(" ", words);
        sb.append(Character.toUpperCase(text.charAt(0))).append(text, 1, text.length());
        if (r.nextDouble() < 0.05) {
            sb.append(" (").append(1 + r.nextInt(10)).append("/10)");
        }
        double p = r.nextDouble();
        sb.append(p < 0.7 ? "." : p < 0.85 ? "!" : p < 0.95 ? "..." : "?!");
    }

    private String fillerWord(SplittableRandom r) {
        double u = r.nextDouble();
        int lo = 0;
        int hi = fillerCdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (fillerCdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return filler[lo];
    }

    /** All reviews of a balanced corpus: {@code perSplit} reviews in each of train and test, half of each label. */
    public Iterator<SyntheticReview> corpus(int trainSize, int testSize) {
        return new Iterator<>() {
            private final String[] splits = {"train", "test"};
            private final int[] sizes = {trainSize, testSize};
            private int split;
            private int i;

            @Override
            public boolean hasNext() {
                while (split < splits.length && i >= sizes[split]) {
                    split++;
                    i = 0;
                }
                return split < splits.length;
            }

            @Override
            public SyntheticReview next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = i++;
                // Alternate labels so any prefix is balanced; index counts within the label.
                return review(splits[split], n % 2 == 0 ? 1 : 0, n / 2);
            }
        };
    }
}
