package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GRU model from the factory learns a synthetic sequence task that needs memory: left-padded sequences of
 * random "neutral" tokens, label 1 when a marker token occurs anywhere, usually far before the last step.
 */
class GruLearnsTest {
    private static final Logger LOG = LoggerFactory.getLogger(GruLearnsTest.class);
    private static final int VOCAB = 12;
    private static final int MARKER = 3;
    private static final int LEN = 20;

    @Test
    void gruSpecLearnsWellAboveChance() {
        ModelSpec spec = ModelSpec.builder().setName("gru-synthetic").setKind(ModelSpec.Kind.GRU)
                .setInput(ModelSpec.Input.embedding(8)).setUnits(8).optOptimizer(ModelSpec.Optimizer.adam(0.02))
                .optSeed(7L).optImpl(ModelSpec.Impl.REFERENCE).build();
        MultiLayerNetwork net = ModelFactory.network(spec, VOCAB);
        DataSet train = corpus(1024, 1);
        DataSet test = corpus(512, 2);
        double before = accuracy(net, test);
        for (int epoch = 0; epoch < 12; epoch++) {
            for (DataSet batch : train.batchBy(32)) {
                net.fit(batch);
            }
        }
        double after = accuracy(net, test);
        LOG.info("GRU synthetic task: held-out accuracy {} before training, {} after", before, after);
        assertTrue(after >= 0.9, "held-out accuracy " + after + " (chance 0.5)");
    }

    private static DataSet corpus(int n, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][LEN];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            int pad = rnd.nextInt(LEN / 2);
            for (int t = pad; t < LEN; t++) {
                int tok;
                do {
                    tok = 1 + rnd.nextInt(VOCAB - 1);
                } while (tok == MARKER);
                x[i][t] = tok;
            }
            if (i % 2 == 0) {
                // mostly in the first half of the real tokens, so the GRU must carry it to the end
                x[i][pad + rnd.nextInt((LEN - pad) / 2 + 1)] = MARKER;
                y[i][0] = 1;
            }
        }
        return new DataSet(Nd4j.create(x).castTo(DataType.FLOAT), Nd4j.create(y).castTo(DataType.FLOAT));
    }

    private static double accuracy(MultiLayerNetwork net, DataSet data) {
        INDArray p = net.output(data.getFeatures());
        double[] probs = p.toDoubleVector();
        double[] labels = data.getLabels().toDoubleVector();
        int correct = 0;
        for (int i = 0; i < probs.length; i++) {
            if ((probs[i] >= 0.5) == (labels[i] >= 0.5)) {
                correct++;
            }
        }
        return correct / (double) probs.length;
    }
}
