import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.jobs.SparkSessionFactory;
import io.reviewrnn.jobs.train.TrainJob;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One training run for bench/scaling.sh: {@code review-rnn train} (TrainJob on local Spark) until the validation
 * accuracy reaches {@code --stop-at} or the epoch limit, printing one JSON line per epoch (epoch, cumulative training
 * seconds, val_loss, val_acc). Run through the launcher so that flags and class path are the CLI's:
 * {@code REVIEW_RNN_MAIN=bench/Scaling.java ./review-rnn MASTER STOP_AT key=value ...} where the key=value pairs are
 * train config keys (corpus, model, run_dir, workers, averaging, seed, max_epochs, ...).
 */
public class Scaling {
    /** Thrown by the epoch listener to end a run that reached its target. */
    static final class TargetReached extends RuntimeException {
        TargetReached() {
            super("target reached", null, false, false);
        }
    }

    public static void main(String[] args) throws Exception {
        String master = args[0];
        double stopAt = Double.parseDouble(args[1]);
        StringBuilder yaml = new StringBuilder("overwrite: true\npatience: 1000\n");
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            yaml.append(args[i], 0, eq).append(": ").append(args[i].substring(eq + 1)).append('\n');
        }
        TrainConfig config = Yaml.read(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)),
                TrainConfig.class, "bench");
        var spark = SparkSessionFactory.getOrCreate("scaling", master, Map.of("spark.ui.enabled", "false"));
        double[] trainSeconds = {0};
        TrainJob job = new TrainJob(config).withEpochListener((m, s) -> {
            trainSeconds[0] += m.trainSeconds();
            System.out.printf("{\"epoch\": %d, \"train_s\": %.3f, \"eval_s\": %.3f, \"loss\": %.5f, \"val_loss\": %.5f,"
                    + " \"val_acc\": %.5f, \"samples_per_s\": %.1f}%n", m.epoch(), trainSeconds[0], m.evalSeconds(),
                    m.trainLoss(), m.valLoss(), m.valAccuracy(), m.samplesPerSecond());
            System.out.flush();
            if (m.valAccuracy() >= stopAt) {
                throw new TargetReached();
            }
        });
        try {
            job.run(spark);
        } catch (TargetReached e) {
            // the run reached its target: its history and checkpoints up to this epoch are written
        }
        spark.stop();
        System.exit(0);
    }
}
