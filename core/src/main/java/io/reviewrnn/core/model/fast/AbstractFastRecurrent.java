package io.reviewrnn.core.model.fast;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration shared by the fast recurrent layers ({@link FastLstm}, {@link FastGru}, {@link FastSimpleRnn}).
 *
 * <p>Input is either a float sequence {@code [minibatch, nIn, T]} or, with {@code oneHot(vocabSize)}, token ids
 * {@code [minibatch, T]} or {@code [minibatch, 1, T]}: the input kernel row of each id is gathered, which equals
 * one-hot × W exactly without building the one-hot array. Output is {@code [minibatch, units]} (last step, like
 * Keras {@code return_sequences=False}) or {@code [minibatch, units, T]} with {@code returnSequences(true)}.
 *
 * <p>{@code dropout} and {@code recurrentDropout} are Keras fractions <em>dropped</em>: one inverted-dropout mask per
 * sample on the input ({@code [mb, nIn]}) and one on h inside the recurrent product ({@code [mb, units]}), both reused
 * at every time step, training only. DL4J's own {@code dropOut(...)}, weight noise and feature masks are not
 * supported (sequences are padded to a fixed length) and fail with a clear message. Activations are fixed (tanh /
 * sigmoid, as Keras). Default initialization is Keras': glorot-uniform input kernel, orthogonal recurrent kernel,
 * zero biases. Immutable after build; serializable through DL4J JSON and Java serialization.
 */
public abstract class AbstractFastRecurrent extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;

    private boolean returnSequences;
    private double dropout;
    private double recurrentDropout;
    private long vocabSize;
    private IWeightInit weightInitRecurrent;
    private int threads = 1;

    protected AbstractFastRecurrent() {
        // for Jackson
    }

    protected AbstractFastRecurrent(Builder<?> b) {
        super(b);
        this.returnSequences = b.returnSequences;
        this.dropout = b.dropout;
        this.recurrentDropout = b.recurrentDropout;
        this.vocabSize = b.vocabSize;
        this.weightInitRecurrent = b.weightInitRecurrent;
        this.threads = b.threads;
        if (threads < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".threads must be >= 1, was " + threads);
        }
        if (vocabSize > 0) {
            this.nIn = vocabSize;
        }
        checkFraction("dropout", dropout);
        checkFraction("recurrentDropout", recurrentDropout);
        if (nOut <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".nOut (units) must be > 0, was " + nOut);
        }
        if (b.vocabSize > 0 && b.getNIn() > 0 && b.getNIn() != b.vocabSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": nIn " + b.getNIn()
                    + " contradicts oneHot(" + b.vocabSize + ")");
        }
    }

    private static void checkFraction(String key, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(key + " must be in [0, 1), was " + p);
        }
    }

    /** Number of gate blocks of size {@code units} in W, RW and b. */
    abstract int gates();

    /** Whether the layer has a separate recurrent bias {@code rb} (GRU, reset-after form). */
    boolean hasRecurrentBias() {
        return false;
    }

    /** Value of bias entry {@code g} (in [0, gates*units)) after initialization. */
    double initialBias(int g) {
        return 0.0;
    }

    /** A kernel computing in {@code type}: float for FLOAT networks, double otherwise. */
    abstract SequenceKernel newKernel(org.nd4j.linalg.api.buffer.DataType type);

    public boolean isReturnSequences() {
        return returnSequences;
    }

    /** Input dropout as a Keras fraction dropped. */
    public double getDropout() {
        return dropout;
    }

    /** Recurrent dropout as a Keras fraction dropped. */
    public double getRecurrentDropout() {
        return recurrentDropout;
    }

    /** Vocabulary size for token-id (one-hot) input, or 0 for dense float input. */
    public long getVocabSize() {
        return vocabSize;
    }

    public boolean isOneHot() {
        return vocabSize > 0;
    }

    /**
     * A copy of this layer reading token ids of a {@code vocab}-word vocabulary ({@code oneHot(vocab)}): the
     * inference form of an embedding followed by this layer, whose input kernel is then the embedding times W.
     */
    AbstractFastRecurrent withOneHot(long vocab) {
        AbstractFastRecurrent c = (AbstractFastRecurrent) clone();
        c.vocabSize = vocab;
        c.nIn = vocab;
        return c;
    }

    /** Initializer of the recurrent kernel; {@code null} means Keras' orthogonal. */
    public IWeightInit getWeightInitRecurrent() {
        return weightInitRecurrent;
    }

    public long getUnits() {
        return nOut;
    }

    /** Threads over which each minibatch is split (samples are independent); 1 = the calling thread. */
    public int getThreads() {
        return threads;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        if (getNIn() <= 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " (layer " + layerIndex
                    + "): nIn must be set (or oneHot(vocabSize)), was " + getNIn());
        }
        FastRecurrentLayer layer = new FastRecurrentLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return FastRecurrentParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (returnSequences) {
            long length = inputType instanceof InputType.InputTypeRecurrent
                    ? ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength() : -1;
            return InputType.recurrent(nOut, length);
        }
        return InputType.feedForward(nOut);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (vocabSize > 0) {
            nIn = vocabSize;
            return;
        }
        if (inputType instanceof InputType.InputTypeRecurrent && (nIn <= 0 || override)) {
            nIn = ((InputType.InputTypeRecurrent) inputType).getSize();
        } else if (inputType instanceof InputType.InputTypeFeedForward && (nIn <= 0 || override)) {
            nIn = ((InputType.InputTypeFeedForward) inputType).getSize();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (vocabSize > 0 || inputType == null) {
            return null;
        }
        return org.deeplearning4j.nn.conf.layers.InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(params, params)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass() || !super.equals(o)) {
            return false;
        }
        AbstractFastRecurrent that = (AbstractFastRecurrent) o;
        return returnSequences == that.returnSequences && dropout == that.dropout
                && recurrentDropout == that.recurrentDropout && vocabSize == that.vocabSize
                && threads == that.threads && java.util.Objects.equals(weightInitRecurrent, that.weightInitRecurrent);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), returnSequences, dropout, recurrentDropout, vocabSize);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(nIn=" + nIn + ", units=" + nOut + ", returnSequences=" + returnSequences
                + ", dropout=" + dropout + ", recurrentDropout=" + recurrentDropout
                + (vocabSize > 0 ? ", oneHot=" + vocabSize : "") + ")";
    }

    /** Builder shared by the fast recurrent layers. */
    public abstract static class Builder<T extends Builder<T>> extends FeedForwardLayer.Builder<T> {
        private boolean returnSequences;
        private double dropout;
        private double recurrentDropout;
        private long vocabSize;
        private IWeightInit weightInitRecurrent;
        private int threads = 1;

        protected Builder() {
            // Keras default for the input kernel; DL4J's global weightInit only fills unset layers.
            this.weightInitFn = new WeightInitXavierUniform();
        }

        /** true: output [mb, units, T] (for stacking); false (default): only the last step, [mb, units]. */
        @SuppressWarnings("unchecked")
        public T returnSequences(boolean value) {
            this.returnSequences = value;
            return (T) this;
        }

        /** Input dropout, Keras fraction dropped in [0, 1). */
        @SuppressWarnings("unchecked")
        public T dropout(double fractionDropped) {
            this.dropout = fractionDropped;
            return (T) this;
        }

        /** Recurrent dropout, Keras fraction dropped in [0, 1). */
        @SuppressWarnings("unchecked")
        public T recurrentDropout(double fractionDropped) {
            this.recurrentDropout = fractionDropped;
            return (T) this;
        }

        /** Token-id input of a vocabulary of this size; sets nIn to it. */
        @SuppressWarnings("unchecked")
        public T oneHot(long vocabularySize) {
            if (vocabularySize <= 0) {
                throw new IllegalArgumentException("oneHot vocabSize must be > 0, was " + vocabularySize);
            }
            this.vocabSize = vocabularySize;
            return (T) this;
        }

        /**
         * Splits each minibatch over this many threads (default 1). Results do not depend on it (up to float
         * rounding of the one-hot input-kernel gradient, summed per thread). Leave it
         * at 1 where several trainers share the cores (Spark workers); 2 suits a single trainer on 2 cores.
         */
        @SuppressWarnings("unchecked")
        public T threads(int n) {
            this.threads = n;
            return (T) this;
        }

        /** Initializer of the recurrent kernel (default: Keras orthogonal). */
        @SuppressWarnings("unchecked")
        public T weightInitRecurrent(IWeightInit init) {
            this.weightInitRecurrent = init;
            return (T) this;
        }
    }
}
