package io.reviewrnn.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.Yaml;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    private static EpochMetrics m(int epoch, double valLoss, double valAcc) {
        return new EpochMetrics(epoch, 0.5, 0.5, valLoss, valAcc, 100, 1, 1, 100);
    }

    /** Runs the policy over val_loss values; returns the final state. */
    private static EarlyStopping.State run(EarlyStopping p, double... valLoss) {
        EarlyStopping.State s = p.initial();
        for (int i = 0; i < valLoss.length && !s.stopped(); i++) {
            s = p.observe(s, m(i + 1, valLoss[i], 0.5));
        }
        return s;
    }

    @Test
    void stopsPatienceEpochsAfterTheBestLikeKeras() {
        EarlyStopping p = new EarlyStopping(Monitor.VAL_LOSS, 0.0, 3, 100);
        EarlyStopping.State s = run(p, 0.69, 0.60, 0.55, 0.56, 0.57, 0.551, 0.40);
        assertEquals(EarlyStopping.StopReason.EARLY_STOPPING, s.stopReason());
        assertEquals(3, s.bestEpoch());
        assertEquals(0.55, s.bestValue());
        assertEquals(6, s.epoch(), "epochs 4, 5, 6 without improvement, patience 3: stop after epoch 6");
    }

    @Test
    void improvementResetsTheWait() {
        EarlyStopping p = new EarlyStopping(Monitor.VAL_LOSS, 0.0, 2, 100);
        EarlyStopping.State s = run(p, 0.7, 0.71, 0.65, 0.66, 0.64, 0.65);
        assertNull(s.stopReason());
        assertEquals(5, s.bestEpoch());
        assertEquals(1, s.epochsWithoutImprovement());
    }

    @Test
    void minDeltaIsTheSmallestImprovementThatCounts() {
        EarlyStopping p = new EarlyStopping(Monitor.VAL_LOSS, 0.01, 2, 100);
        EarlyStopping.State s = run(p, 0.70, 0.695, 0.691);
        assertEquals(EarlyStopping.StopReason.EARLY_STOPPING, s.stopReason(), "improvements of < 0.01 do not count");
        assertEquals(1, s.bestEpoch());
        EarlyStopping.State t = run(p, 0.70, 0.68);
        assertEquals(2, t.bestEpoch());
        assertTrue(EarlyStopping.improvedAt(t));
    }

    @Test
    void accuracyIsMaximized() {
        EarlyStopping p = new EarlyStopping(Monitor.VAL_ACCURACY, 0.0, 1, 100);
        EarlyStopping.State s = p.initial();
        s = p.observe(s, m(1, 0.9, 0.6));
        s = p.observe(s, m(2, 0.1, 0.7));
        assertEquals(2, s.bestEpoch(), "higher accuracy is better even though val_loss moved too");
        s = p.observe(s, m(3, 0.05, 0.65));
        assertFalse(EarlyStopping.improvedAt(s));
        assertEquals(EarlyStopping.StopReason.EARLY_STOPPING, s.stopReason());
    }

    @Test
    void maxEpochsEndsTrainingEvenWhileImproving() {
        EarlyStopping p = new EarlyStopping(Monitor.VAL_LOSS, 0.0, 3, 3);
        EarlyStopping.State s = run(p, 0.7, 0.6, 0.5, 0.4);
        assertEquals(EarlyStopping.StopReason.MAX_EPOCHS, s.stopReason());
        assertEquals(3, s.epoch());
        assertEquals(3, s.bestEpoch());
    }

    @Test
    void nanNeverImproves() {
        EarlyStopping p = new EarlyStopping(Monitor.VAL_LOSS, 0.0, 1, 10);
        EarlyStopping.State s = run(p, 0.7, Double.NaN);
        assertEquals(1, s.bestEpoch());
        assertEquals(EarlyStopping.StopReason.EARLY_STOPPING, s.stopReason());
    }

    @Test
    void rejectsOutOfOrderEpochsAndObservationsAfterStop() {
        EarlyStopping p = new EarlyStopping(Monitor.VAL_LOSS, 0.0, 0, 1);
        EarlyStopping.State s = p.initial();
        assertThrows(IllegalArgumentException.class, () -> p.observe(p.initial(), m(2, 0.5, 0.5)));
        EarlyStopping.State done = p.observe(s, m(1, 0.5, 0.5));
        assertThrows(IllegalStateException.class, () -> p.observe(done, m(2, 0.4, 0.5)));
    }

    @Test
    void stateRoundTripsThroughJson() throws Exception {
        EarlyStopping p = new EarlyStopping(Monitor.VAL_LOSS, 0.0, 1, 10);
        EarlyStopping.State s = run(p, 0.7, 0.8);
        String json = Yaml.json().writeValueAsString(s);
        assertTrue(json.contains("\"stop_reason\" : \"early_stopping\""), json);
        assertEquals(s, Yaml.json().readValue(json, EarlyStopping.State.class));
    }
}
