package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.score.BinaryMetrics;
import io.reviewrnn.core.store.CheckpointMismatchException;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.jobs.evaluate.EvaluateJob;
import io.reviewrnn.jobs.evaluate.EvaluateResult;
import io.reviewrnn.jobs.io.CorpusReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** {@code evaluate} on local[2]: metrics equal a direct single-JVM computation; prepared input is checked. */
class EvaluateJobIT {

    /** Metrics computed in the test JVM from the network called directly on (ids, label) pairs. */
    private static BinaryMetrics direct(Checkpoint c, List<int[]> ids, List<Integer> labels) {
        long tn = 0;
        long fp = 0;
        long fn = 0;
        long tp = 0;
        double loss = 0;
        double[] s = Direct.predictAll(c, ids);
        int[] y = new int[ids.size()];
        for (int i = 0; i < s.length; i++) {
            y[i] = labels.get(i);
            loss += BinaryMetrics.loss(s[i], y[i]);
            boolean pos = s[i] >= 0.5;
            if (y[i] == 1) {
                tp += pos ? 1 : 0;
                fn += pos ? 0 : 1;
            } else {
                fp += pos ? 1 : 0;
                tn += pos ? 0 : 1;
            }
        }
        return BinaryMetrics.of(new BinaryMetrics.Confusion(tn, fp, fn, tp), loss, BinaryMetrics.auc(s, y));
    }

    private static void assertSame(BinaryMetrics want, BinaryMetrics got) {
        assertEquals(want.confusion(), got.confusion());
        assertEquals(want.accuracy(), got.accuracy(), 1e-12);
        assertEquals(want.precision(), got.precision(), 1e-12);
        assertEquals(want.recall(), got.recall(), 1e-12);
        assertEquals(want.f1(), got.f1(), 1e-12);
        assertEquals(want.loss(), got.loss(), 1e-6);
        assertEquals(want.rocAuc(), got.rocAuc(), 1e-6, "exact AUC");
    }

    /** The number of stages of each job Spark ran in {@code group}, in job order. */
    private static List<Integer> stagesPerJob(SparkSession spark, String group) throws InterruptedException {
        var tracker = spark.sparkContext().statusTracker();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        int[] jobs = tracker.getJobIdsForGroup(group);
        while (jobs.length == 0 && System.nanoTime() < deadline) { // the status store follows the listener bus
            Thread.sleep(50);
            jobs = tracker.getJobIdsForGroup(group);
        }
        java.util.Arrays.sort(jobs);
        List<Integer> stages = new ArrayList<>();
        for (int j : jobs) {
            stages.add(tracker.getJobInfo(j).get().stageIds().length);
        }
        return stages;
    }

    @Test
    void rawReviewsAreEncodedWithTheCheckpointsVocabularyAndMetricsAreExact() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Checkpoint c = Checkpoint.load(ScoreFixtures.checkpoint());
        String input = ScoreFixtures.rawCorpus().toString();
        Path out = ScoreFixtures.root().resolve("eval-raw");

        EvaluateResult r = new EvaluateJob(EvaluateConfig.of(ScoreFixtures.checkpoint(), CorpusSource.of(input),
                out.toUri().toString())).run(spark);

        List<int[]> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Row row : spark.createDataFrame(CorpusReader.read(spark, CorpusSource.of(input), null, 1_000_000, 2, true),
                io.reviewrnn.jobs.io.RawReviews.SCHEMA).select("text", "label")
                .collectAsList()) {
            ids.add(Direct.encode(c, row.getString(0)).ids());
            labels.add(row.getInt(1));
        }
        BinaryMetrics want = direct(c, ids, labels);
        assertEquals("raw", r.inputKind());
        assertEquals(ScoreFixtures.TRAIN + ScoreFixtures.TEST, r.metrics().examples());
        assertEquals(r.recordsIn(), r.metrics().examples() + r.rejected());
        assertSame(want, r.metrics());
        assertTrue(r.metrics().rocAuc() > 0.5, "better than chance in ranking: " + r.metrics());
        assertTrue(Files.size(out.resolve(EvaluateJob.ROC_PNG)) > 1000);
        EvaluateResult written = Yaml.json().readValue(out.resolve(EvaluateJob.METRICS).toFile(),
                EvaluateResult.class);
        assertEquals(r.metrics(), written.metrics());
        assertEquals(c.contentHash(), written.modelHash());
    }

    @Test
    void preparedTestSplitGivesTheSameMetricsAsTheNetworkOnItsIds() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Checkpoint c = Checkpoint.load(ScoreFixtures.checkpoint());
        String prepared = ScoreFixtures.prepared();

        spark.sparkContext().setJobGroup("evaluate-prepared", "evaluate a prepared split", false);
        EvaluateResult root = new EvaluateJob(EvaluateConfig.of(ScoreFixtures.checkpoint(),
                CorpusSource.of(prepared), null)).run(spark);
        spark.sparkContext().clearJobGroup();
        // A prepared split of known, small size: read and scored once, ranked on the driver; no shuffle, one stage.
        assertEquals(List.of(1), stagesPerJob(spark, "evaluate-prepared"));
        // Evaluated for its run: the run's report.html gets the metrics, the confusion matrix and the ROC curve.
        Path run = ScoreFixtures.root().resolve("run");
        EvaluateResult split = new EvaluateJob(EvaluateConfig.builder().setModel(ScoreFixtures.checkpoint())
                .setInput(CorpusSource.of(prepared + "/" + PreparedLayout.TEST)).optRunDir(run.toString()).build())
                .run(spark);
        String report = Files.readString(run.resolve("report.html"));
        var cm = split.metrics().confusion();
        assertTrue(report.contains("<h2>Evaluation</h2>") && report.contains(split.modelHash())
                && report.contains("<tr><td>actual negative</td><td class=\"n\">" + cm.tn() + "</td><td class=\"n\">"
                        + cm.fp() + "</td></tr>"), report.replaceAll("base64,[A-Za-z0-9+/=]+", "IMG"));
        assertEquals(3, report.split("data:image/png;base64,", -1).length - 1, "loss, accuracy and ROC, embedded");
        assertThrows(io.reviewrnn.core.base.ConfigException.class, () -> new EvaluateJob(EvaluateConfig.builder()
                .setModel(ScoreFixtures.checkpoint()).setInput(CorpusSource.of(prepared))
                .optRunDir(ScoreFixtures.root().toString()).build()).run(spark), "run_dir must hold a run");

        List<int[]> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Row row : spark.read().parquet(prepared + "/" + PreparedLayout.TEST).select("ids", "label")
                .collectAsList()) {
            ids.add(row.getList(0).stream().mapToInt(x -> (Integer) x).toArray());
            labels.add(row.getInt(1));
        }
        BinaryMetrics want = direct(c, ids, labels);
        assertEquals("prepared", root.inputKind());
        assertEquals(ScoreFixtures.TEST, root.metrics().examples());
        assertSame(want, root.metrics());
        assertSame(want, split.metrics());
    }

    @Test
    void preparedCorpusWithAnotherVocabularyIsRefused() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        Path copy = ScoreFixtures.root().resolve("prepared-other-vocab");
        FileUtils.copyDirectory(Path.of(java.net.URI.create(ScoreFixtures.prepared())).toFile(), copy.toFile());
        Path vocab = copy.resolve(PreparedLayout.VOCABULARY);
        List<String> lines = new ArrayList<>(Files.readAllLines(vocab));
        String[] a = lines.get(4).split("\t");
        String[] b = lines.get(5).split("\t");
        lines.set(4, a[0] + "\t" + b[1] + "\t" + a[2]); // swap the tokens of ids 3 and 4
        lines.set(5, b[0] + "\t" + a[1] + "\t" + b[2]);
        Files.write(vocab, lines);
        Files.deleteIfExists(copy.resolve("." + PreparedLayout.VOCABULARY + ".crc"));

        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> new EvaluateJob(EvaluateConfig.of(ScoreFixtures.checkpoint(), CorpusSource.of(copy.toString()),
                        null)).run(spark));
        assertTrue(e.getMessage().contains("vocabulary"), e.getMessage());
    }
}
