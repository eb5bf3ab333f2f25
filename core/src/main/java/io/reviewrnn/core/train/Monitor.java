package io.reviewrnn.core.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The validation metric that early stopping and the best checkpoint watch, with its direction. */
public enum Monitor {
    /** Validation binary cross-entropy; lower is better. */
    VAL_LOSS(false),
    /** Validation accuracy at threshold 0.5; higher is better. */
    VAL_ACCURACY(true);

    private final boolean higherIsBetter;

    Monitor(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The watched value of {@code m}. */
    public double valueOf(EpochMetrics m) {
        return this == VAL_LOSS ? m.valLoss() : m.valAccuracy();
    }

    /** True when {@code candidate} beats {@code best} by more than {@code minDelta} (Keras semantics). */
    public boolean improves(double candidate, double best, double minDelta) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? candidate - minDelta > best : candidate + minDelta < best;
    }

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Monitor parse(String s) {
        for (Monitor m : values()) {
            if (m.key().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be 'val_loss' or 'val_accuracy', was '" + s + "'");
    }
}
