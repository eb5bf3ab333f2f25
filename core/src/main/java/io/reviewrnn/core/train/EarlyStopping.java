package io.reviewrnn.core.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Keras {@code EarlyStopping} semantics as a pure function of the epoch results: an epoch improves when the
 * monitored metric beats the best so far by more than {@code minDelta}; training stops after {@code patience}
 * epochs in a row without improvement, or at {@code maxEpochs}. The {@link State} is an immutable value that is
 * stored in every checkpoint, so a resumed run continues with the same counters. Thread-safe.
 */
public final class EarlyStopping {
    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private final int maxEpochs;

    public EarlyStopping(Monitor monitor, double minDelta, int patience, int maxEpochs) {
        if (minDelta < 0 || patience < 0 || maxEpochs <= 0) {
            throw new IllegalArgumentException("need min_delta >= 0, patience >= 0, max_epochs > 0");
        }
        this.monitor = monitor;
        this.minDelta = minDelta;
        this.patience = patience;
        this.maxEpochs = maxEpochs;
    }

    /** The state before the first epoch. */
    public State initial() {
        return new State(0, 0, Double.NaN, 0, null);
    }

    /** Folds the results of the next epoch into {@code s}. */
    public State observe(State s, EpochMetrics m) {
        if (s.stopped()) {
            throw new IllegalStateException("training already stopped: " + s.stopReason());
        }
        if (m.epoch() != s.epoch() + 1) {
            throw new IllegalArgumentException("expected epoch " + (s.epoch() + 1) + ", got " + m.epoch());
        }
        double value = monitor.valueOf(m);
        boolean improved = monitor.improves(value, s.bestValue(), minDelta);
        int bestEpoch = improved ? m.epoch() : s.bestEpoch();
        double bestValue = improved ? value : s.bestValue();
        int wait = improved ? 0 : s.epochsWithoutImprovement() + 1;
        StopReason reason = null;
        if (wait >= patience && !improved && bestEpoch > 0) {
            reason = StopReason.EARLY_STOPPING;
        } else if (m.epoch() >= maxEpochs) {
            reason = StopReason.MAX_EPOCHS;
        }
        return new State(m.epoch(), bestEpoch, bestValue, wait, reason);
    }

    /** True when the epoch that produced {@code s} is the new best (its weights become the best checkpoint). */
    public static boolean improvedAt(State s) {
        return s.epoch() > 0 && s.bestEpoch() == s.epoch();
    }

    public Monitor monitor() {
        return monitor;
    }

    /**
     * Early-stopping counters after {@code epoch} epochs.
     *
     * @param bestEpoch epoch with the best monitored value so far (0: none yet)
     * @param epochsWithoutImprovement epochs since the last improvement
     * @param stopReason null while training continues
     */
    public record State(
            @JsonProperty("epoch") int epoch,
            @JsonProperty("best_epoch") int bestEpoch,
            @JsonProperty("best_value") double bestValue,
            @JsonProperty("wait") int epochsWithoutImprovement,
            @JsonProperty("stop_reason") StopReason stopReason) {

        public boolean stopped() {
            return stopReason != null;
        }
    }

    /** Why training ended. */
    public enum StopReason {
        /** {@code patience} epochs without improvement. */
        EARLY_STOPPING,
        /** The epoch limit was reached. */
        MAX_EPOCHS;

        @JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static StopReason parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }
}
