package io.reviewrnn.jobs.registry;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.registry.RegistryFixtures;
import io.reviewrnn.core.retrain.RetrainStages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Stand-in for the Spark stages: "training" writes a small checkpoint that records the accuracy the fake evaluation
 * will report; with {@code hang} it announces {@code TRAINING} on stdout and then never returns (to be killed).
 */
final class ScriptedStages implements RetrainStages {
    private final double accuracy;
    private final boolean hang;
    private final Configuration conf;

    ScriptedStages(double accuracy, boolean hang, Configuration conf) {
        this.accuracy = accuracy;
        this.hang = hang;
        this.conf = conf;
    }

    private FileSystem fs(String path) throws IOException {
        return new Path(path).getFileSystem(conf);
    }

    @Override
    public PreparedSnapshot prepare(RetrainConfig c, String runDir) throws IOException {
        Path m = new Path(runDir + "/prepared/manifest.json");
        RegistryFixtures.write(fs(runDir), m, "{}");
        return new PreparedSnapshot(runDir + "/prepared", m.toString(), "0".repeat(64));
    }

    @Override
    public TrainedChallenger train(RetrainConfig c, PreparedSnapshot data, String runDir) throws Exception {
        FileSystem fs = fs(runDir);
        Path ckpt = RegistryFixtures.checkpoint(fs, new Path(runDir + "/train/best"), (int) (accuracy * 1e3));
        if (hang) {
            System.out.println("TRAINING");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        RegistryFixtures.write(fs, new Path(ckpt, "accuracy.txt"), Double.toString(accuracy));
        return new TrainedChallenger(ckpt.toString(), null);
    }

    @Override
    public Map<String, Double> evaluate(String checkpoint, PreparedSnapshot data, String out) throws IOException {
        try (InputStream in = fs(checkpoint).open(new Path(checkpoint, "accuracy.txt"))) {
            return Map.of("accuracy", Double.parseDouble(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }
}
