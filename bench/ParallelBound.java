import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.corpus.PreparedCorpus;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.train.BlockMomentum;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's bound for bench/scaling.sh's wall-time ratio: the same training as {@code review-rnn train} with N
 * workers (same model, minibatches per epoch, batch size, averaging frequency, averaging rule and updater averaging),
 * but with no Spark at all: N threads in one JVM, each with its own network, averaging through shared memory at a
 * barrier. Nothing an implementation on Spark does per block (jobs, serialization, the driver) is left, so the ratio
 * of its N = 2 and N = 1 times is what two workers can gain on this machine's cores.
 *
 * <p>The minibatches are random token ids of the prepared corpus's shape (num_words, maxlen, training count): the
 * kernels' cost does not depend on the ids, and no accuracy is measured. Prints one JSON line per epoch with the
 * cumulative training seconds, like bench/Scaling.java:
 * {@code REVIEW_RNN_MAIN=bench/ParallelBound.java ./review-rnn PREPARED_DIR MODEL_YAML WORKERS EPOCHS}.
 */
public class ParallelBound {
    public static void main(String[] args) throws Exception {
        PreparedCorpus corpus = PreparedCorpus.open(new Configuration(), args[0]);
        ModelSpec spec = ModelSpec.load(args[1]);
        int workers = Integer.parseInt(args[2]);
        int epochs = Integer.parseInt(args[3]);
        TrainConfig config = Yaml.read(new ByteArrayInputStream(("corpus: " + args[0] + "\nmodel: " + args[1]
                + "\nrun_dir: /unused\nworkers: " + workers + "\naveraging: " + (workers > 1 ? "bmuf" : "mean") + "\n")
                .getBytes(StandardCharsets.UTF_8)), TrainConfig.class, "bound");
        int batch = config.batchSizePerWorker();
        int frequency = config.averagingFrequency();
        int maxlen = corpus.text().maxlen();
        int numWords = corpus.text().numWords();
        int minibatches = (int) Math.ceil((double) corpus.count(PreparedLayout.TRAIN) / batch);

        Random random = new Random(42);
        DataSet[] pool = new DataSet[64];
        for (int k = 0; k < pool.length; k++) {
            float[] ids = new float[batch * maxlen];
            float[] labels = new float[batch];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1 + random.nextInt(numWords - 1);
            }
            for (int i = 0; i < batch; i++) {
                labels[i] = random.nextInt(2);
            }
            pool[k] = new DataSet(Nd4j.create(ids, new long[] {batch, maxlen}),
                    Nd4j.create(labels, new long[] {batch, 1}));
        }

        MultiLayerNetwork global = ModelFactory.network(spec, numWords);
        BlockMomentum rule = config.blockMomentumRule();
        MultiLayerNetwork[] nets = new MultiLayerNetwork[workers];
        for (int w = 0; w < workers; w++) {
            nets[w] = global.clone();
        }
        INDArray[] start = {rule.blockStart(global.params()), global.getUpdater().getStateViewArray().dup()};
        // The barrier's action runs once per block, on the last thread to arrive: the mean of the workers'
        // parameters and updater states, folded in by the averaging rule, as the driver does after a Spark round.
        CyclicBarrier block = new CyclicBarrier(workers, () -> {
            INDArray params = nets[0].params().dup();
            INDArray updater = nets[0].getUpdater().getStateViewArray().dup();
            for (int w = 1; w < workers; w++) {
                params.addi(nets[w].params());
                updater.addi(nets[w].getUpdater().getStateViewArray());
            }
            global.setParams(rule.update(global.params(), params.divi(workers)));
            start[0] = rule.blockStart(global.params());
            start[1] = updater.divi(workers);
        });
        int perRound = workers * frequency;
        int rounds = (minibatches + perRound - 1) / perRound;
        double seconds = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            Thread[] threads = new Thread[workers];
            for (int w = 0; w < workers; w++) {
                int worker = w;
                threads[w] = new Thread(() -> {
                    try {
                        for (int r = 0; r < rounds; r++) {
                            nets[worker].setParams(start[0]);
                            // DL4J assigns (copies into the worker's own state): no copy of ours needed
                            nets[worker].getUpdater().setStateViewArray(null, start[1], false);
                            for (int i = r * perRound + worker; i < Math.min(minibatches, (r + 1) * perRound);
                                    i += workers) {
                                nets[worker].fit(pool[i % pool.length]);
                            }
                            // the next action waits for every worker, so every worker has read this start by then
                            block.await();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "bound-worker-" + w);
                threads[w].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            seconds += (System.nanoTime() - t0) / 1e9;
            System.out.printf("{\"epoch\": %d, \"train_s\": %.3f}%n", epoch, seconds);
            System.out.flush();
        }
        System.exit(0);
    }
}
