package io.reviewrnn.core.retrain;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.config.RetrainConfig.Direction;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a challenger replaces the champion. Pure and deterministic.
 * <ul>
 *   <li>No champion: promote (the first run of an empty registry).</li>
 *   <li>Otherwise promote iff the challenger is strictly better on the metric and better by at least
 *       {@code min_delta}, in the metric's direction. A tie never promotes, so equal models do not churn the
 *       champion even with {@code min_delta: 0}.</li>
 *   <li>A metric missing or not finite for either model is an error, never a silent promotion.</li>
 * </ul>
 * Differences are compared with a tolerance of 1e-12, so {@code 0.81 - 0.80 >= 0.01} holds despite rounding.
 */
public final class PromotionPolicy {
    static final double TOLERANCE = 1e-12;

    private final String metric;
    private final Direction direction;
    private final double minDelta;

    public PromotionPolicy(RetrainConfig.Compare compare) {
        this.metric = compare.metric();
        this.direction = compare.direction();
        this.minDelta = compare.minDelta();
    }

    /**
     * @param challenger the challenger's test metrics
     * @param championVersion the champion's version, or null when there is none
     * @param champion the champion's metrics on the same test set (ignored when {@code championVersion} is null)
     */
    public PromotionDecision decide(Map<String, Double> challenger, Integer championVersion,
                                    Map<String, Double> champion) {
        double ch = value(challenger, "challenger");
        if (championVersion == null) {
            return new PromotionDecision(true, String.format(Locale.ROOT,
                    "first model: %s %.4f, no champion to compare with", metric, ch), metric, ch, null, null);
        }
        double cp = value(champion, "champion v" + championVersion);
        double improvement = direction == Direction.MAX ? ch - cp : cp - ch;
        boolean better = improvement > TOLERANCE;
        boolean enough = improvement >= minDelta - TOLERANCE;
        boolean promote = better && enough;
        String verdict = promote ? ">= min_delta " + fmt(minDelta) + ": promote"
                : !better ? "not better (" + (direction == Direction.MAX ? "higher" : "lower") + " is better)"
                : "< min_delta " + fmt(minDelta);
        String reason = String.format(Locale.ROOT, "%s %.4f vs champion v%d %.4f: %s%s %s", metric, ch,
                championVersion, cp, improvement >= 0 ? "+" : "", fmt(improvement), verdict);
        return new PromotionDecision(promote, reason, metric, ch, cp, improvement);
    }

    private double value(Map<String, Double> metrics, String who) {
        Double v = metrics == null ? null : metrics.get(metric);
        if (v == null || !Double.isFinite(v)) {
            throw new IllegalStateException("cannot compare: " + who + " has no finite '" + metric + "' metric"
                    + (metrics == null ? "" : " (has " + metrics.keySet() + ")"));
        }
        return v;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.4g", d);
    }
}
