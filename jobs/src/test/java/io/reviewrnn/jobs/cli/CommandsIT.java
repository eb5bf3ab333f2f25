package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticReview;
import io.reviewrnn.core.registry.RetrainLock;
import io.reviewrnn.jobs.testing.LocalSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code demo}, {@code experiments} and {@code retrain} run as command lines (option parsing, the job, the printed
 * result, exit codes) on the shared local[2] session, with tiny generated corpora and one epoch.
 */
class CommandsIT {
    @TempDir
    static Path dir;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.get(); // the commands' own session lookup finds it
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path spec(String name) throws Exception {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nkind: gru\ninput: {type: embedding, dim: 16}\nunits: 8\n"
                + "optimizer: {type: adam, learning_rate: 0.005}\nseed: 42\nimpl: fast\n");
        return f;
    }

    /** A labelled CSV with no split column (so no test part): {@code review,sentiment}. */
    private static Path csvWithoutTestPart(String name, int n) throws Exception {
        StringBuilder b = new StringBuilder("review,sentiment\n");
        Iterator<SyntheticReview> it = new SyntheticCorpusGenerator(5).corpus(n, 0);
        while (it.hasNext()) {
            SyntheticReview r = it.next();
            b.append('"').append(r.text().replace("\"", "\"\"")).append("\",")
                    .append(r.label() == 1 ? "positive" : "negative").append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, b);
        return f;
    }

    @Test
    void demoRunsItsFiveStepsAndReplacesOnlyItsOwnDirectory() throws Exception {
        Path demo = dir.resolve("demo");
        Run r = run("demo", "--dir", demo.toString(), "--train-size", "400", "--test-size", "100",
                "--max-epochs", "1");
        assertEquals(0, r.code(), r.err());
        for (String step : new String[] {"1/5 generated 500 reviews", "2/5 prepared", "3/5 trained demo-lstm",
            "4/5 test accuracy", "5/5 scored all 500 of 500"}) {
            assertTrue(r.out().contains(step), step + " in:\n" + r.out());
        }
        for (String f : new String[] {"run/result.json", "run/checkpoints/best/_SUCCESS", "evaluation/metrics.json",
            "scored/summary.json"}) {
            assertTrue(Files.exists(demo.resolve(f)), f);
        }
        Path mine = Files.createDirectories(dir.resolve("my-notes"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        Run refused = run("demo", "--dir", mine.toString(), "--train-size", "40", "--test-size", "10");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("notes.txt") && refused.err().contains(DemoCommand.SPEC_FILE),
                refused.err());
        assertEquals("keep me", Files.readString(mine.resolve("notes.txt")));
    }

    @Test
    void experimentsPrintsItsTableAndRefusesASecondRunOnTheSameExperiment() throws Exception {
        Path corpus = dir.resolve("exp-corpus.csv");
        assertEquals(0, run("generate-corpus", "-o", corpus.toString(), "--format", "csv", "--train-size", "400",
                "--test-size", "100").code());
        Path out = dir.resolve("experiments");
        Path config = dir.resolve("experiments.yaml");
        Files.writeString(config, "name: cmd\ncorpus: " + corpus + "\noutput: " + out + "\ntrain: {max_epochs: 3,"
                + " batch_size_per_worker: 32}\nmodels: [" + spec("tiny-gru") + "]\n");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        try (RetrainLock.Lease other = RetrainLock.ofRunDirectory(fs,
                new org.apache.hadoop.fs.Path(out.resolve("cmd").toUri())).acquireForRun("experiments cmd (other)")) {
            Run refused = run("experiments", "--config", config.toString(), "--max-epochs", "1");
            assertEquals(1, refused.code());
            assertTrue(refused.err().contains("run-directory lock") && refused.err().contains("experiments cmd"
                    + " (other)"), refused.err());
            assertFalse(Files.exists(out.resolve("cmd/prepared")), "the refused run wrote nothing");
        }
        Run r = run("experiments", "--config", config.toString(), "--max-epochs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("experiments cmd: 1 models run, 0 already done"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cmd") && l.contains("tiny-gru")), r.out());
        assertTrue(Files.size(out.resolve("report/report.md")) > 100);
        Run again = run("experiments", "--config", config.toString(), "--max-epochs", "1");
        assertTrue(again.out().contains("0 models run, 1 already done"), again.out());
    }

    @Test
    void retrainRefusesAnEscapingRunIdAndPromotesWithATestSplitHeldOutOfACsv() throws Exception {
        Path csv = csvWithoutTestPart("retrain.csv", 500);
        Path work = dir.resolve("retrain-work");
        Path config = dir.resolve("retrain.yaml");
        Files.writeString(config, String.join("\n",
                "work_dir: " + work,
                "prepare: {input: {path: " + csv + "}, test_split: 0.2}",
                "model: " + spec("retrain-gru"),
                "train: {max_epochs: 1, batch_size_per_worker: 32}",
                "compare: {metric: accuracy}",
                "registry: {path: " + dir.resolve("registry") + "}", ""));

        Run escaped = run("retrain", "--config", config.toString(), "--run-id", "../escaped-run");
        assertEquals(2, escaped.code(), "a bad --run-id is a usage error (exit-code table)");
        assertTrue(escaped.err().contains("--run-id must be a simple name") && escaped.err().contains(
                "'../escaped-run'"), escaped.err());
        assertFalse(Files.exists(dir.resolve("escaped-run")));
        assertFalse(Files.exists(dir.resolve("registry")), "refused before the registry was created");

        Run r = run("retrain", "--config", config.toString(), "--run-id", "first");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().startsWith("retrain first: PROMOTED (version v1; champion v- -> v1)"), r.out());
        // with test_split the held-out reviews are the prepared test split's, as raw text for both models
        long prepared = spark.read().parquet(work.resolve("first/prepared/test").toString()).count();
        assertEquals(100, prepared, "20% of each label's 250");
        assertEquals(prepared, spark.read().parquet(work.resolve("first/test-reviews").toString()).count());
        assertEquals(prepared, Yaml.json().readTree(work.resolve("first/evaluate-challenger/metrics.json").toFile())
                .at("/metrics/examples").asLong());
    }
}
