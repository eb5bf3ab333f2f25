package io.reviewrnn.jobs.train;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticCorpusWriter;
import io.reviewrnn.jobs.SparkSessionFactory;
import io.reviewrnn.jobs.prepare.PrepareJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/** Shared fixtures of the train ITs: one local[2] session and prepared generated corpora, made once per JVM. */
final class TrainFixtures {
    private static final Map<String, String> CORPORA = new HashMap<>();
    private static Path root;

    private TrainFixtures() {
    }

    static synchronized SparkSession spark() {
        return SparkSessionFactory.getOrCreate("train-it", "local[2,2]", Map.of("spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "4"));
    }

    static synchronized Path root() throws IOException {
        if (root == null) {
            root = Files.createTempDirectory("train-it");
        }
        return root;
    }

    /** A prepared generated corpus: {@code trainSize} training reviews (a share held out for validation). */
    static synchronized String corpus(int trainSize, double validationSplit) throws Exception {
        String key = trainSize + "-" + validationSplit;
        String cached = CORPORA.get(key);
        if (cached != null) {
            return cached;
        }
        Path dir = root().resolve("corpus-" + key);
        FileSystem fs = FileSystem.getLocal(new Configuration());
        // JSON Lines: one file reads much faster than the aclImdb layout's file per review.
        org.apache.hadoop.fs.Path raw = new org.apache.hadoop.fs.Path(dir.resolve("raw.jsonl").toUri());
        SyntheticCorpusWriter.write(new SyntheticCorpusGenerator(7).corpus(trainSize, 100), fs, raw,
                CorpusFormat.JSONL, false);
        String out = dir.resolve("prepared").toUri().toString();
        PrepareConfig config = PrepareConfig.builder().setInput(CorpusSource.of(raw.toString())).setOutput(out)
                .optValidationSplit(validationSplit).optPartitions(4).build();
        new PrepareJob(config).run(spark());
        CORPORA.put(key, out);
        return out;
    }

    /** Writes a model spec: Embedding(500, emb) then LSTM(units), Adam with {@code lr}. */
    static String lstmSpec(String name, int emb, int units, double lr) throws IOException {
        return lstmSpec(name, emb, units, "adam", lr);
    }

    /** Writes a model spec: Embedding(500, emb) then LSTM(units), the given optimizer with {@code lr}. */
    static String lstmSpec(String name, int emb, int units, String optimizer, double lr) throws IOException {
        Path f = root().resolve(name + ".yaml");
        Files.writeString(f, String.join("\n",
                "name: " + name,
                "kind: lstm",
                "input:",
                "  type: embedding",
                "  dim: " + emb,
                "units: " + units,
                "layers: 1",
                "optimizer:",
                "  type: " + optimizer,
                "  learning_rate: " + lr,
                "seed: 42",
                ""), StandardCharsets.UTF_8);
        return f.toString();
    }
}
