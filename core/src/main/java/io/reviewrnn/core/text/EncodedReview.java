package io.reviewrnn.core.text;

/**
 * One review as model input: exactly {@code maxlen} ids, plus what was lost on the way.
 *
 * @param ids padded/truncated ids, length {@code maxlen}
 * @param tokenCount tokens in the original text (without the start marker)
 * @param oovCount tokens that mapped to the out-of-vocabulary id
 * @param truncated whether ids were cut to fit {@code maxlen}
 */
public record EncodedReview(int[] ids, int tokenCount, int oovCount, boolean truncated) {
}
