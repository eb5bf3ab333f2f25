package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriftTest {

    @Test
    void theProbesCrossDomainSetIsAWarningAndTheSameDistributionIsNot() {
        // the probe: a 12x longer mean review (cross-domain), OOV and truncation far up
        Drift cross = new Drift(0.31, 0.97, 2800, 0.12, 0.41, 233.0);
        List<String> w = cross.warnings();
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(2).contains("12.0x"), w.toString());
        // the same distribution: nothing
        assertTrue(new Drift(0.125, 0.43, 240, 0.12, 0.41, 233.0).warnings().isEmpty());
    }

    @Test
    void eachThresholdAlone() {
        // OOV: twice the rate is not enough without 5 points, nor 5 points without twice the rate
        assertTrue(new Drift(0.05, 0.4, 200, 0.02, 0.4, 200.0).warnings().isEmpty());
        assertTrue(new Drift(0.40, 0.4, 200, 0.30, 0.4, 200.0).warnings().isEmpty());
        assertEquals(1, new Drift(0.08, 0.4, 200, 0.02, 0.4, 200.0).warnings().size());
        // truncation: 20 points
        assertTrue(new Drift(0.1, 0.59, 200, 0.1, 0.4, 200.0).warnings().isEmpty());
        assertEquals(1, new Drift(0.1, 0.61, 200, 0.1, 0.4, 200.0).warnings().size());
        // length: shorter counts as much as longer
        assertTrue(new Drift(0.1, 0.4, 101, 0.1, 0.4, 200.0).warnings().isEmpty());
        assertEquals(1, new Drift(0.1, 0.4, 99, 0.1, 0.4, 200.0).warnings().size());
        // no training figures: no judgement
        assertTrue(new Drift(0.9, 0.9, 5000, null, null, null).warnings().isEmpty());
    }
}
