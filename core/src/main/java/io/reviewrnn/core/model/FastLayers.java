package io.reviewrnn.core.model;

import io.reviewrnn.core.model.fast.AbstractFastRecurrent;
import io.reviewrnn.core.model.fast.FastEmbedding;

/**
 * {@code impl: fast}: the whole-sequence Java kernels of {@code fast/}, each kind's layer builder named by its
 * {@link ModelSpec.Kind} entry. Same parameters, parameter counts and Keras initialization as {@link ReferenceLayers}
 * (the LSTM and SimpleRNN share stock DL4J's flat layouts, the GRU the reference GRU's), plus what the stock layers
 * cannot do: one-hot input as a row gather (no one-hot array at all) and Keras recurrent dropout. Input dropout keeps
 * Keras semantics: one mask per sample and feature for all steps. Stateless and thread-safe; one kernel thread per
 * layer, as Spark parameter averaging gives each worker a core.
 */
public final class FastLayers implements LayerImplementation {

    @Override
    public ModelSpec.Impl impl() {
        return ModelSpec.Impl.FAST;
    }

    @Override
    public void check(ModelSpec spec) {
        // Every kind, input and dropout of a ModelSpec is supported.
    }

    @Override
    public LayerStack layers(ModelSpec spec, int numWords) {
        LayerStack stack = new LayerStack();
        boolean oneHot = spec.input().type() == ModelSpec.Input.Type.ONE_HOT;
        if (!oneHot) {
            stack.add(new FastEmbedding.Builder().nIn(numWords).nOut(spec.input().dim())
                    .weightInit(LayerImplementation.kerasEmbeddingInit())
                    .build());
        }
        for (int i = 0; i < spec.layers(); i++) {
            AbstractFastRecurrent.Builder<?> b = spec.kind().fastLayer();
            if (i == 0 && oneHot) {
                b.oneHot(numWords);
            } else {
                b.nIn(i == 0 ? spec.input().dim() : spec.units());
            }
            b.units(spec.units()).returnSequences(i < spec.layers() - 1);
            if (spec.dropout() > 0) {
                b.dropout(spec.dropout());
            }
            if (spec.recurrentDropout() > 0) {
                b.recurrentDropout(spec.recurrentDropout());
            }
            stack.add(b.build());
        }
        return stack;
    }
}
