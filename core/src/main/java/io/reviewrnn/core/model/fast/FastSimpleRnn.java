package io.reviewrnn.core.model.fast;

/**
 * Fast Elman RNN (Keras {@code SimpleRNN}, tanh): parameters {@code W [nIn, u]}, {@code RW [u, u]}, {@code b [1, u]}
 * in the flattened layout of DL4J's stock {@code SimpleRnn} without layer norm, so parameter vectors map 1:1.
 */
public final class FastSimpleRnn extends AbstractFastRecurrent {
    private static final long serialVersionUID = 1L;

    private FastSimpleRnn() {
        // for Jackson
    }

    private FastSimpleRnn(Builder b) {
        super(b);
    }

    @Override
    int gates() {
        return 1;
    }

    @Override
    SequenceKernel newKernel(org.nd4j.linalg.api.buffer.DataType type) {
        return type == org.nd4j.linalg.api.buffer.DataType.FLOAT
                ? new FloatSimpleRnnKernel((int) getNIn(), (int) getNOut())
                : new SimpleRnnKernel((int) getNIn(), (int) getNOut());
    }

    /** Builder; {@code nIn} (or {@code oneHot}) and {@code nOut}/{@code units} are required. */
    public static final class Builder extends AbstractFastRecurrent.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public FastSimpleRnn build() {
            return new FastSimpleRnn(this);
        }
    }
}
