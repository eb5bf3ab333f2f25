package io.reviewrnn.core.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.RetrainConfig.Compare;
import io.reviewrnn.core.config.RetrainConfig.Direction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {
    static PromotionPolicy policy(String metric, Direction d, double minDelta) {
        return new PromotionPolicy(Compare.of(metric, d, minDelta));
    }

    @Test
    void theFirstModelIsPromoted() {
        PromotionDecision d = policy("accuracy", Direction.AUTO, 0.5).decide(Map.of("accuracy", 0.1), null, null);
        assertTrue(d.promote());
        assertNull(d.champion());
        assertTrue(d.reason().startsWith("first model"), d.reason());
    }

    @Test
    void higherIsBetterPromotesOnlyByAtLeastMinDelta() {
        PromotionPolicy p = policy("accuracy", Direction.AUTO, 0.01);
        Map<String, Double> champion = Map.of("accuracy", 0.80);
        assertTrue(p.decide(Map.of("accuracy", 0.81), 3, champion).promote(), "exactly min_delta despite rounding");
        assertTrue(p.decide(Map.of("accuracy", 0.85), 3, champion).promote());
        PromotionDecision small = p.decide(Map.of("accuracy", 0.805), 3, champion);
        assertFalse(small.promote());
        assertTrue(small.reason().contains("< min_delta 0.01"), small.reason());
        assertTrue(small.reason().contains("champion v3 0.8000"), small.reason());
        assertEquals(0.005, small.improvement(), 1e-12);
        PromotionDecision worse = p.decide(Map.of("accuracy", 0.70), 3, champion);
        assertFalse(worse.promote());
        assertTrue(worse.reason().contains("not better (higher is better)"), worse.reason());
    }

    @Test
    void lowerIsBetterForLoss() {
        PromotionPolicy p = policy("loss", Direction.AUTO, 0.02);
        Map<String, Double> champion = Map.of("loss", 0.50);
        PromotionDecision better = p.decide(Map.of("loss", 0.45), 1, champion);
        assertTrue(better.promote());
        assertEquals(0.05, better.improvement(), 1e-12);
        assertFalse(p.decide(Map.of("loss", 0.49), 1, champion).promote());
        assertFalse(p.decide(Map.of("loss", 0.60), 1, champion).promote());
        // An explicit direction overrides the guess.
        assertTrue(policy("loss", Direction.MAX, 0.0).decide(Map.of("loss", 0.6), 1, champion).promote());
    }

    @Test
    void aTieNeverPromotesEvenWithZeroMinDelta() {
        PromotionPolicy p = policy("f1", Direction.AUTO, 0.0);
        assertFalse(p.decide(Map.of("f1", 0.7), 2, Map.of("f1", 0.7)).promote());
        assertTrue(p.decide(Map.of("f1", 0.7001), 2, Map.of("f1", 0.7)).promote());
    }

    @Test
    void aMissingOrNonFiniteMetricIsAnErrorNotAPromotion() {
        PromotionPolicy p = policy("accuracy", Direction.AUTO, 0.0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> p.decide(Map.of("loss", 0.3), null, null));
        assertTrue(e.getMessage().contains("challenger has no finite 'accuracy'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> p.decide(Map.of("accuracy", Double.NaN), null, null));
        assertThrows(IllegalStateException.class, () -> p.decide(Map.of("accuracy", 0.9), 4, Map.of()));
    }
}
