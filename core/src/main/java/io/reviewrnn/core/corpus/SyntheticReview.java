package io.reviewrnn.core.corpus;

/**
 * One generated review in the aclImdb naming scheme.
 *
 * @param split {@code train} or {@code test}
 * @param label 1 positive, 0 negative
 * @param index number within its split and label, the {@code <id>} of {@code <id>_<rating>.txt}
 * @param rating star rating, 7-10 for positive and 1-4 for negative, as in aclImdb
 */
public record SyntheticReview(String split, int label, int index, int rating, String text) {

    /** Path relative to the corpus root, e.g. {@code train/pos/12_8.txt}. */
    public String relativePath() {
        return id() + ".txt";
    }

    /** The id {@code prepare} gives this review when read from the aclImdb layout, e.g. {@code train/pos/12_8}. */
    public String id() {
        return split + "/" + (label == 1 ? "pos" : "neg") + "/" + index + "_" + rating;
    }
}
