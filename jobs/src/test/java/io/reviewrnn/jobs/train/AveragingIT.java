package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The averaging rule decides how much an epoch of N workers achieves: with the exercise's kind of optimizer (RMSprop,
 * a small learning rate) the plain mean of two workers makes about half the progress of one worker per epoch, and
 * block momentum (the default for workers > 1) makes about the same progress as one worker.
 */
class AveragingIT {
    private static final int MAX_EPOCHS = 20;

    /** Epoch by epoch validation loss of one run, stopped when {@code target} is reached. */
    private static List<Double> valLoss(SparkSession spark, String corpus, String model, String name, int workers,
            String averaging, double target) throws Exception {
        Path run = TrainFixtures.root().resolve("averaging-" + name);
        String yaml = "corpus: " + corpus + "\nmodel: " + model + "\nrun_dir: " + run.toUri() + "\nmax_epochs: "
                + MAX_EPOCHS + "\npatience: 100\nbatch_size_per_worker: 32\naveraging_frequency: 5\nworkers: "
                + workers + "\noverwrite: true\n" + (averaging == null ? "" : "averaging: " + averaging + "\n");
        TrainConfig c = Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), TrainConfig.class,
                "test");
        List<Double> losses = new ArrayList<>();
        try {
            new TrainJob(c).withEpochListener((m, s) -> {
                losses.add(m.valLoss());
                if (m.valLoss() <= target) {
                    throw new Reached();
                }
            }).run(spark);
        } catch (Reached e) {
            // stopped at the target
        }
        System.out.println("AveragingIT " + name + ": " + losses);
        return losses;
    }

    private static final class Reached extends RuntimeException {
        Reached() {
            super("target reached", null, false, false);
        }
    }

    @Test
    void blockMomentumKeepsTwoWorkersAsFastPerEpochAsOneAndTheMeanDoesNot() throws Exception {
        SparkSession spark = TrainFixtures.spark();
        String corpus = TrainFixtures.corpus(5000, 0.2);
        String model = TrainFixtures.lstmSpec("averaging", 16, 8, "rmsprop", 0.0003);
        double target = TARGET;

        List<Double> one = valLoss(spark, corpus, model, "w1", 1, null, target);
        List<Double> bmuf = valLoss(spark, corpus, model, "w2-default", 2, null, target);
        List<Double> mean = valLoss(spark, corpus, model, "w2-mean", 2, "mean", target);

        assertTrue(one.get(one.size() - 1) <= target, "one worker reaches the target within the limit: " + one);
        assertTrue(bmuf.get(bmuf.size() - 1) <= target, "bmuf reaches it: " + bmuf);
        assertTrue(bmuf.size() <= Math.ceil(1.25 * one.size()),
                "two workers with block momentum need at most 1.25x the epochs of one: " + bmuf + " vs " + one);
        assertTrue(mean.size() >= 1.6 * one.size(),
                "the plain mean of two workers needs clearly more epochs than one: " + mean + " vs " + one);
    }

    static final double TARGET = Double.parseDouble(System.getProperty("averaging.target", "0.60"));
}
