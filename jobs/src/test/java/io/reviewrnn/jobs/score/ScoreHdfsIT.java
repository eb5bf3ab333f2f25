package io.reviewrnn.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.score.ReviewClassifier;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.jobs.evaluate.EvaluateJob;
import io.reviewrnn.jobs.evaluate.EvaluateResult;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checkpoint, input and output all on HDFS (a MiniDFSCluster). */
class ScoreHdfsIT {
    private static MiniDFSCluster cluster;
    private static String hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        ScoreFixtures.checkpoint(); // train first, on the local FS
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(ScoreFixtures.root().toFile(), "minidfs")
                .getAbsolutePath());
        conf.set("dfs.replication", "1");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getURI().toString();
        ScoreFixtures.spark().sparkContext().hadoopConfiguration().set("dfs.replication", "1");
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void scoresFromHdfsToHdfsWithACheckpointOnHdfs() throws Exception {
        SparkSession spark = ScoreFixtures.spark();
        FileSystem fs = cluster.getFileSystem();
        fs.copyFromLocalFile(new Path(ScoreFixtures.checkpoint()), new Path("/models/tiny"));
        fs.copyFromLocalFile(new Path(ScoreFixtures.rawCorpus().toUri().toString()), new Path("/data/reviews.csv"));
        try (var out = fs.create(new Path("/data/lines.txt"))) {
            out.write("a wonderful film\n\nterrible and boring\n".getBytes(StandardCharsets.UTF_8));
        }
        String model = hdfs + "/models/tiny";
        String hash = Checkpoint.load(ScoreFixtures.checkpoint()).contentHash();

        ScoreResult r = new ScoreJob(ScoreConfig.builder().setModel(model)
                .setInput(CorpusSource.of(hdfs + "/data/reviews.csv")).setOutput(hdfs + "/out/acl")
                .optOutputFormat("parquet").optExpectedHash(hash).build()).run(spark);

        int n = ScoreFixtures.TRAIN + ScoreFixtures.TEST;
        assertEquals(n, r.recordsIn());
        assertEquals(n, r.scored());
        assertEquals(hash, r.modelHash());
        assertTrue(r.output().startsWith("hdfs://"), r.output());
        assertTrue(fs.exists(new Path("/out/acl/_SUCCESS")));
        assertEquals(n, spark.read().parquet(hdfs + "/out/acl/" + ScoreJob.PREDICTIONS).count());

        // plain text lines on HDFS, a blank line among them is rejected with its reason
        ScoreResult lines = new ScoreJob(ScoreConfig.builder().setModel(model)
                .setInput(CorpusSource.of(hdfs + "/data/lines.txt")).setOutput(hdfs + "/out/lines")
                .optOutputFormat("csv").build()).run(spark);
        assertEquals(lines.recordsIn(), lines.scored() + lines.rejected());
        assertEquals(2, lines.scored());
        List<Row> preds = spark.read().option("header", true).csv(hdfs + "/out/lines/" + ScoreJob.PREDICTIONS)
                .collectAsList();
        assertEquals(2, preds.size());

        // evaluate and predict's loader read the same HDFS checkpoint
        EvaluateResult e = new EvaluateJob(EvaluateConfig.of(model, CorpusSource.of(hdfs + "/data/reviews.csv"),
                hdfs + "/out/eval")).run(spark);
        assertEquals(n, e.metrics().examples());
        assertTrue(fs.exists(new Path("/out/eval/" + EvaluateJob.METRICS)));
        assertTrue(fs.exists(new Path("/out/eval/" + EvaluateJob.ROC_PNG)));
        ReviewClassifier c = ReviewClassifier.load(model, hash);
        assertEquals(1, c.predictTexts(List.of("a wonderful film")).length);
    }
}
