package io.reviewrnn.core.model.layers;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link LastTimeStep} with a {@link #clone()} that also clones the wrapped layer. DL4J 1.0.0-M2's wrapper
 * clone is shallow, so every clone of a configuration shares the wrapped layer's {@code IDropout}, and dropout
 * objects keep the current mask as a field. DL4J Spark clones the broadcast configuration once per worker. With
 * more than one worker thread per JVM ({@code local[2]}, or executors with several cores), the threads then
 * overwrite each other's masks. The symptom is {@code IllegalStateException: Cannot perform backprop: Dropout mask
 * array is absent}, or, silently, gradients computed with another thread's mask. Behaves exactly like
 * {@link LastTimeStep} otherwise; serializable to DL4J JSON and by Java serialization.
 */
public class DeepCloneLastTimeStep extends LastTimeStep {
    private static final long serialVersionUID = 1L;

    @JsonCreator
    public DeepCloneLastTimeStep(@JsonProperty("underlying") Layer underlying) {
        super(underlying);
    }

    @Override
    public DeepCloneLastTimeStep clone() {
        DeepCloneLastTimeStep copy = (DeepCloneLastTimeStep) super.clone();
        if (underlying != null) {
            copy.underlying = underlying.clone();
        }
        return copy;
    }
}
