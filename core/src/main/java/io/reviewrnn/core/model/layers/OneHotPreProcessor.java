package io.reviewrnn.core.model.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Expands a minibatch of token ids {@code [mb, T]} (or {@code [mb, 1, T]}) into one-hot vectors
 * {@code [mb, numWords, T]} (NCW) in front of the first recurrent layer: Keras' one-hot input, but only one
 * minibatch at a time, never the whole data set. Memory: {@code numWords * T * 4} bytes per sample of the current
 * minibatch (200 KB for 500 words × 100 steps, 12.8 MB for a minibatch of 64), plus the same again for the
 * gradient the recurrent layer computes with respect to its input during backprop. There is no gradient with
 * respect to token ids, so {@link #backprop} returns null (accepted for the first layer). Ids outside
 * {@code [0, numWords)} are rejected. Immutable; serializable to DL4J JSON.
 */
public class OneHotPreProcessor implements InputPreProcessor {
    private static final long serialVersionUID = 1L;

    private final int numWords;

    @JsonCreator
    public OneHotPreProcessor(@JsonProperty("numWords") int numWords) {
        if (numWords <= 0) {
            throw new IllegalArgumentException("numWords must be > 0, was " + numWords);
        }
        this.numWords = numWords;
    }

    public int getNumWords() {
        return numWords;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (!(input.rank() == 2 || (input.rank() == 3 && input.size(1) == 1))) {
            throw new IllegalArgumentException("one-hot input expects token ids of shape [mb, T] or [mb, 1, T], got "
                    + Arrays.toString(input.shape()));
        }
        int mb = (int) input.size(0);
        int steps = (int) input.size(input.rank() - 1);
        int[] ids;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ids = input.reshape(mb, steps).dup('c').data().asInt();
        }
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(), new long[] {mb, numWords, steps}, 'f');
        for (int b = 0; b < mb; b++) {
            for (int t = 0; t < steps; t++) {
                int id = ids[b * steps + t];
                if (id < 0 || id >= numWords) {
                    throw new IllegalArgumentException("token id " + id + " at sample " + b + ", step " + t
                            + " is outside [0, " + numWords + ")");
                }
                out.putScalar(b, id, t, 1.0);
            }
        }
        return out;
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return null;
    }

    @Override
    public InputPreProcessor clone() {
        return new OneHotPreProcessor(numWords);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        long steps = -1;
        if (inputType instanceof InputType.InputTypeRecurrent r) {
            steps = r.getTimeSeriesLength();
        } else if (inputType instanceof InputType.InputTypeFeedForward f) {
            steps = f.getSize();
        }
        return InputType.recurrent(numWords, steps);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OneHotPreProcessor p && p.numWords == numWords;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(numWords);
    }

    @Override
    public String toString() {
        return "OneHotPreProcessor(numWords=" + numWords + ")";
    }
}
