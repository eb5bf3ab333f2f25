package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.jobs.evaluate.EvaluateJob;
import io.reviewrnn.jobs.evaluate.EvaluateResult;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.train.TrainJob;
import io.reviewrnn.jobs.train.TrainResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * evaluate and score on the real IMDB archive from ../shared/data (slow): prepare, one epoch of a tiny LSTM, then
 * evaluate the 25,000 prepared test reviews and score all 50,000 raw reviews straight from the .tar.gz.
 */
@Tag("slow")
class ScoreImdbIT {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreImdbIT.class);

    @Test
    void evaluatesAndScoresTheRealImdbReviews() throws Exception {
        Path archive = Path.of(System.getProperty("shared.dir", "../shared"), "data", "aclImdb-labeled.tar.gz");
        Assumptions.assumeTrue(Files.exists(archive), "the real IMDB archive " + archive + " is absent");
        SparkSession spark = ScoreFixtures.spark();
        Path root = ScoreFixtures.root().resolve("imdb");
        String prepared = root.resolve("prepared").toUri().toString();
        new PrepareJob(PrepareConfig.of(CorpusSource.of(archive.toString()), prepared)).run(spark);
        Path spec = root.resolve("lstm.yaml");
        Files.writeString(spec, String.join("\n", "name: imdb-lstm", "kind: lstm", "input:", "  type: embedding",
                "  dim: 16", "units: 8", "layers: 1", "optimizer:", "  type: adam", "  learning_rate: 0.01",
                "seed: 42", ""), StandardCharsets.UTF_8);
        String yaml = "corpus: " + prepared + "\nmodel: " + spec + "\nrun_dir: " + root.resolve("run").toUri()
                + "\nmax_epochs: 1\nbatch_size_per_worker: 64\ntrain_accuracy: false\n";
        TrainResult t = new TrainJob(Yaml.read(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                TrainConfig.class, "test")).run(spark);

        EvaluateResult e = new EvaluateJob(EvaluateConfig.of(t.bestCheckpoint(), CorpusSource.of(prepared),
                root.resolve("eval").toUri().toString())).run(spark);
        assertEquals(25_000, e.metrics().examples());
        assertTrue(e.metrics().accuracy() > 0.6 && e.metrics().rocAuc() > 0.65, e.metrics().toString());
        assertTrue(Files.exists(root.resolve("eval").resolve(EvaluateJob.ROC_PNG)));

        ScoreResult s = new ScoreJob(ScoreConfig.of(t.bestCheckpoint(), CorpusSource.of(archive.toString()),
                root.resolve("scored").toUri().toString())).run(spark);
        assertEquals(50_000, s.recordsIn());
        assertEquals(s.recordsIn(), s.scored() + s.rejected());
        assertEquals(50_000, s.scored());
        assertEquals(e.drift().trainOovRate(), s.drift().trainOovRate());
        LOG.info("IMDB: evaluate {} in {} s; score {} reviews in {} s = {} reviews/s (read, tokenize, infer, write)",
                e.metrics(), String.format("%.1f", e.seconds()), s.scored(), String.format("%.1f", s.seconds()),
                String.format("%.0f", s.recordsPerSecond()));
    }
}
