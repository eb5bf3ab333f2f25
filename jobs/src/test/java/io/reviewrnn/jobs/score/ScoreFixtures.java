package io.reviewrnn.jobs.score;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticCorpusWriter;
import io.reviewrnn.jobs.SparkSessionFactory;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.train.TrainJob;
import io.reviewrnn.jobs.train.TrainResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Shared fixtures of the evaluate/score ITs, made once per JVM: a local[2] session, a generated corpus as one CSV
 * ({@code review,sentiment,split}; 2,000 training and 400 test reviews), its prepared form, and a tiny LSTM trained on it for 3 epochs
 * with the real train job, so the checkpoint is exactly what users score with.
 */
final class ScoreFixtures {
    static final int TRAIN = 2000;
    static final int TEST = 400;
    private static Path root;
    private static String prepared;
    private static String checkpoint;
    private static TrainResult trained;

    private ScoreFixtures() {
    }

    static synchronized SparkSession spark() {
        return SparkSessionFactory.getOrCreate("score-it", "local[2,2]", Map.of("spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "4"));
    }

    static synchronized Path root() throws IOException {
        if (root == null) {
            root = Files.createTempDirectory("score-it");
        }
        return root;
    }

    /** The raw generated corpus: one CSV file. */
    static synchronized Path rawCorpus() throws Exception {
        Path raw = root().resolve("raw.csv");
        if (!Files.exists(raw)) {
            SyntheticCorpusWriter.write(new SyntheticCorpusGenerator(7).corpus(TRAIN, TEST),
                    FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(raw.toUri()),
                    CorpusFormat.CSV, false);
        }
        return raw;
    }

    static synchronized String prepared() throws Exception {
        if (prepared == null) {
            String out = root().resolve("prepared").toUri().toString();
            new PrepareJob(PrepareConfig.builder().setInput(CorpusSource.of(rawCorpus().toString())).setOutput(out)
                    .optPartitions(4).build()).run(spark());
            prepared = out;
        }
        return prepared;
    }

    /** The best checkpoint of a 3-epoch run of Embedding(500,16)-LSTM(8) on the prepared corpus. */
    static synchronized String checkpoint() throws Exception {
        if (checkpoint == null) {
            Path spec = root().resolve("lstm.yaml");
            Files.writeString(spec, String.join("\n", "name: tiny-lstm", "kind: lstm", "input:", "  type: embedding",
                    "  dim: 16", "units: 8", "layers: 1", "optimizer:", "  type: adam", "  learning_rate: 0.01",
                    "seed: 42", ""), StandardCharsets.UTF_8);
            Path run = root().resolve("run");
            String yaml = "corpus: " + prepared() + "\nmodel: " + spec + "\nrun_dir: " + run.toUri()
                    + "\nmax_epochs: 3\npatience: 5\nbatch_size_per_worker: 32\n";
            TrainConfig c = Yaml.read(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                    TrainConfig.class, "test");
            trained = new TrainJob(c).run(spark());
            checkpoint = trained.bestCheckpoint();
        }
        return checkpoint;
    }

    static synchronized TrainResult trained() throws Exception {
        checkpoint();
        return trained;
    }
}
