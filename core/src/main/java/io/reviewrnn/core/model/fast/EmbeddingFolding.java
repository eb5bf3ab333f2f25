package io.reviewrnn.core.model.fast;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference form of a network that starts with a {@link FastEmbedding} followed by a fast recurrent layer: the two
 * become one recurrent layer reading token ids, whose input kernel is the embedding matrix times the layer's input
 * kernel ({@code E W}, computed once in double). The input projection of a step is then a row lookup instead of an
 * embedding gather plus a {@code dim x gates*units} product, the same function up to rounding. The other layers and
 * their parameters are copied unchanged. For models that no longer train (a checkpoint being scored): the folded
 * network is a snapshot of the parameters.
 */
public final class EmbeddingFolding {

    private EmbeddingFolding() {
    }

    /** The folded inference network of {@code net}, or {@code net} itself when it does not start that way. */
    public static MultiLayerNetwork fold(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (net.getnLayers() < 2 || !(net.getLayer(0) instanceof FastEmbeddingLayer)
                || !(net.getLayer(1) instanceof FastRecurrentLayer)
                || !(conf.getConf(1).getLayer() instanceof AbstractFastRecurrent recurrent) || recurrent.isOneHot()
                || conf.getInputPreProcess(1) != null) {
            return net;
        }
        FastEmbedding embedding = (FastEmbedding) conf.getConf(0).getLayer();
        MultiLayerConfiguration folded = conf.clone();
        folded.getConfs().remove(0);
        NeuralNetConfiguration first = folded.getConf(0);
        first.setLayer(recurrent.withOneHot(embedding.getNIn()));
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        conf.getInputPreProcessors().forEach((i, p) -> {
            if (i >= 2) {
                pre.put(i - 1, p.clone());
            }
        });
        folded.setInputPreProcessors(pre);
        MultiLayerNetwork out = new MultiLayerNetwork(folded);
        out.init();
        INDArray e = net.getLayer(0).getParam(FastEmbedding.ParamInit.WEIGHT_KEY).castTo(DataType.DOUBLE);
        INDArray w = net.getLayer(1).getParam(FastRecurrentParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE);
        for (String key : net.getLayer(1).paramTable().keySet()) {
            INDArray value = key.equals(FastRecurrentParamInitializer.WEIGHT_KEY) ? e.mmul(w)
                    : net.getLayer(1).getParam(key);
            out.getLayer(0).setParam(key, value.castTo(out.getLayer(0).getParam(key).dataType()));
        }
        for (int i = 2; i < net.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> p : net.getLayer(i).paramTable().entrySet()) {
                out.getLayer(i - 1).setParam(p.getKey(), p.getValue());
            }
        }
        return out;
    }
}
