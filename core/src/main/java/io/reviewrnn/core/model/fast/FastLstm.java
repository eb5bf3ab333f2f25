package io.reviewrnn.core.model.fast;

/**
 * Fast LSTM layer (no peepholes): parameters {@code W [nIn, 4u]}, {@code RW [u, 4u]}, {@code b [1, 4u]} with exactly
 * the flattened layout and gate order of DL4J's stock {@code LSTM} (blocks: cell input, forget, output, input gate),
 * so parameter vectors map 1:1 between the two. Keras/PyTorch use gate order i, f, c/g, o instead.
 * Forget-gate bias starts at {@code forgetGateBiasInit} (Keras {@code unit_forget_bias}: 1.0).
 */
public final class FastLstm extends AbstractFastRecurrent {
    private static final long serialVersionUID = 1L;

    private double forgetGateBiasInit = 1.0;

    private FastLstm() {
        // for Jackson
    }

    private FastLstm(Builder b) {
        super(b);
        this.forgetGateBiasInit = b.forgetGateBiasInit;
    }

    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    @Override
    int gates() {
        return 4;
    }

    @Override
    double initialBias(int g) {
        long units = getNOut();
        return g >= units && g < 2 * units ? forgetGateBiasInit : 0.0;
    }

    @Override
    SequenceKernel newKernel(org.nd4j.linalg.api.buffer.DataType type) {
        return type == org.nd4j.linalg.api.buffer.DataType.FLOAT
                ? new FloatLstmKernel((int) getNIn(), (int) getNOut())
                : new LstmKernel((int) getNIn(), (int) getNOut());
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && ((FastLstm) o).forgetGateBiasInit == forgetGateBiasInit;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Double.hashCode(forgetGateBiasInit);
    }

    /** Builder; {@code nIn} (or {@code oneHot}) and {@code nOut}/{@code units} are required. */
    public static final class Builder extends AbstractFastRecurrent.Builder<Builder> {
        private double forgetGateBiasInit = 1.0;

        public Builder forgetGateBiasInit(double value) {
            this.forgetGateBiasInit = value;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastLstm build() {
            return new FastLstm(this);
        }
    }
}
