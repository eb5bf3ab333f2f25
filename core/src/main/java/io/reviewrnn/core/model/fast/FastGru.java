package io.reviewrnn.core.model.fast;

/**
 * Fast GRU layer with PyTorch {@code nn.GRU} / Keras {@code GRU(reset_after=True)} semantics. Parameters:
 * {@code W [nIn, 3u]}, {@code RW [u, 3u]}, {@code b [1, 3u]} (input bias), {@code rb [1, 3u]} (recurrent bias),
 * gate blocks in PyTorch order r, z, n; the layout is shared with the reference GRU layer.
 */
public final class FastGru extends AbstractFastRecurrent {
    private static final long serialVersionUID = 1L;

    private FastGru() {
        // for Jackson
    }

    private FastGru(Builder b) {
        super(b);
    }

    @Override
    int gates() {
        return 3;
    }

    @Override
    boolean hasRecurrentBias() {
        return true;
    }

    @Override
    SequenceKernel newKernel(org.nd4j.linalg.api.buffer.DataType type) {
        return type == org.nd4j.linalg.api.buffer.DataType.FLOAT
                ? new FloatGruKernel((int) getNIn(), (int) getNOut())
                : new GruKernel((int) getNIn(), (int) getNOut());
    }

    /** Builder; {@code nIn} (or {@code oneHot}) and {@code nOut}/{@code units} are required. */
    public static final class Builder extends AbstractFastRecurrent.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public FastGru build() {
            return new FastGru(this);
        }
    }
}
