package io.reviewrnn.core.retrain;

/**
 * The outcome of comparing a challenger with the champion.
 *
 * @param promote whether the challenger should become champion
 * @param reason one line for logs and the registry, e.g.
 *               {@code accuracy 0.8123 vs champion v3 0.8101: +0.0022 < min_delta 0.005}
 * @param metric the metric compared
 * @param challenger the challenger's value
 * @param champion the champion's value on the same test set, or null when there is no champion
 * @param improvement challenger minus champion in the improving direction, or null
 */
public record PromotionDecision(boolean promote, String reason, String metric, double challenger, Double champion,
                                Double improvement) {
}
