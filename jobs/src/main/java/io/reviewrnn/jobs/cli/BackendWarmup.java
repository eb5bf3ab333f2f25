package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.inference.Dl4jSequenceModel;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.store.NetworkArchive;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads ND4J's native backend and DL4J's network classes, and runs a tiny model through a checkpoint's paths, on a
 * daemon thread while the Spark session starts, for the commands that load a model. Both are single-threaded and take about a second each on a fresh JVM; run one after the
 * other they add up, side by side they overlap on a second core. Whoever needs ND4J first simply waits for the class
 * initialization under way. A failure is logged here with its cause (later uses see only "could not initialize").
 */
final class BackendWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(BackendWarmup.class);

    private BackendWarmup() {
    }

    static void start() {
        Thread t = new Thread(BackendWarmup::load, "review-rnn-backend-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void load() {
        try {
            Nd4j.create(DataType.FLOAT, 1, 1);
            // A tiny model through the paths a checkpoint takes: configuration JSON, network archive, the inference
            // form and one prediction (class loading and first-use initialization, about 0.3 s on a fresh JVM).
            MultiLayerNetwork net = ModelFactory.network(ModelSpec.builder().setName("warmup")
                    .setKind(ModelSpec.Kind.LSTM).setInput(ModelSpec.Input.embedding(2)).setUnits(2).build(), 4);
            MultiLayerNetwork restored = NetworkArchive.restore(NetworkArchive.write(net, false), false, "warm-up");
            Dl4jSequenceModel.frozen(restored).predict(List.of(new int[] {1, 2, 3}), 3);
        } catch (Throwable e) {
            LOG.warn("ND4J's backend did not load: {}", e.toString(), e);
        }
    }
}
