package io.reviewrnn.core.train;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver's side of an averaging rule ({@link Averaging}): block-wise model-update filtering (BMUF, Chen and Huo,
 * ICASSP 2016) over the flattened parameters. With global model {@code W}, block momentum {@code mu}, block learning
 * rate {@code eta} and momentum buffer {@code D} (zero at the start of a run), one block (averaging round) is:
 * <pre>
 *   S = W + mu * D    (Nesterov look-ahead; S = W without it)   the parameters every worker starts the block from
 *   M = mean of the workers' parameters after the block
 *   D = mu * D + eta * (M - S)
 *   W = W + D
 * </pre>
 * {@code mu = 0, eta = 1} is DL4J's plain mean ({@code W = M}, computed exactly, with no arithmetic); {@code mu = 0,
 * eta = N} scales the mean delta by N. With identical workers the delta {@code M - S} is one worker's progress over
 * the block, so in a steady state BMUF moves {@code eta / (1 - mu)} times that per block: N times with the defaults
 * ({@code mu = 1 - 1/N}, {@code eta = 1} up to four workers, {@code mu = 0.75}, {@code eta = N/4} beyond;
 * {@link Averaging#defaultMomentum}), which is what makes an epoch's progress nearly independent of N (each worker
 * fits 1/N of the epoch's minibatches).
 *
 * <p>{@code W} is the model: it is what validation, checkpoints and scoring see. The buffer {@code D} is the rule's
 * only state across blocks; it is saved in every checkpoint ({@link #state()}) and restored on resume
 * ({@link #restore}), so a resumed run continues exactly. The optimizer state (RMSprop's and Adam's accumulators)
 * is not filtered: it is averaged across workers as DL4J does and every worker starts the next block from it.
 *
 * <p>Not thread-safe: one instance per training run, used by the driver thread only.
 */
public final class BlockMomentum {
    private final Averaging rule;
    private final double momentum;
    private final double learningRate;
    private final boolean nesterov;
    private INDArray buffer;
    private INDArray start;

    /**
     * @param rule         the configured rule (for reports)
     * @param momentum     block momentum, in [0, 1)
     * @param learningRate block learning rate, > 0
     * @param nesterov     start each block from the look-ahead {@code W + mu * D}
     */
    public BlockMomentum(Averaging rule, double momentum, double learningRate, boolean nesterov) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("block momentum must be in [0, 1), was " + momentum);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("block learning rate must be > 0, was " + learningRate);
        }
        this.rule = Objects.requireNonNull(rule);
        this.momentum = momentum;
        this.learningRate = learningRate;
        this.nesterov = nesterov;
    }

    /** DL4J's plain mean (no state). */
    public static BlockMomentum mean() {
        return new BlockMomentum(Averaging.MEAN, 0, 1, false);
    }

    public Averaging rule() {
        return rule;
    }

    public double momentum() {
        return momentum;
    }

    public double learningRate() {
        return learningRate;
    }

    public boolean nesterov() {
        return nesterov;
    }

    /** True when the rule is the plain mean: the workers' mean becomes the model, bit for bit. */
    public boolean isPlainMean() {
        return momentum == 0 && learningRate == 1;
    }

    /**
     * The parameters the workers of the next block start from, given the global model {@code global}. Remembers
     * them for {@link #update}. For the plain mean (and before any momentum has built up) that is {@code global}
     * itself; otherwise a new array.
     */
    public INDArray blockStart(INDArray global) {
        start = nesterov && momentum > 0 && buffer != null ? global.add(buffer.mul(momentum)) : global;
        return start;
    }

    /**
     * Folds the block's mean into the global model and returns the new global parameters ({@code mean} itself for
     * the plain mean, otherwise a new array; neither argument is modified).
     *
     * @param global the global model before the block
     * @param mean   the mean of the workers' parameters after the block, which started from {@link #blockStart}
     */
    public INDArray update(INDArray global, INDArray mean) {
        if (isPlainMean()) {
            start = null;
            return mean;
        }
        if (start == null) {
            throw new IllegalStateException("update without blockStart: the block's start point is unknown");
        }
        INDArray step = mean.sub(start).muli(learningRate);
        buffer = buffer == null ? step : buffer.muli(momentum).addi(step);
        start = null;
        return global.add(buffer);
    }

    /** The momentum buffer {@code D} (a copy), or null when it is zero (plain mean, or no block yet). */
    public INDArray state() {
        return buffer == null ? null : buffer.dup();
    }

    /** Restores the momentum buffer saved by {@link #state()} (null: zero). */
    public void restore(INDArray savedBuffer) {
        buffer = savedBuffer == null ? null : savedBuffer.dup();
        start = null;
    }

    @Override
    public String toString() {
        return isPlainMean() ? rule.key() + " (plain mean)" : String.format("%s (block momentum %.4g, block learning"
                + " rate %.4g%s)", rule.key(), momentum, learningRate, nesterov ? ", Nesterov" : "");
    }
}
