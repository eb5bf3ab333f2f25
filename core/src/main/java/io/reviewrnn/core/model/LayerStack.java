package io.reviewrnn.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The layers a {@link LayerImplementation} contributes to a network (input handling and the recurrent stack), with
 * the input preprocessors attached to them by layer index. Mutable while being built; not thread-safe.
 */
public final class LayerStack {
    private final List<Layer> layers = new ArrayList<>();
    private final Map<Integer, InputPreProcessor> preProcessors = new TreeMap<>();

    /** Appends a layer. */
    public LayerStack add(Layer layer) {
        layers.add(layer);
        return this;
    }

    /** Appends a layer whose input first goes through {@code preProcessor}. */
    public LayerStack add(Layer layer, InputPreProcessor preProcessor) {
        preProcessors.put(layers.size(), preProcessor);
        layers.add(layer);
        return this;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public Map<Integer, InputPreProcessor> preProcessors() {
        return Collections.unmodifiableMap(preProcessors);
    }
}
