package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.TrainingHistory;
import java.io.File;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A run whose run directory (checkpoints, export, history) lives on HDFS (a MiniDFSCluster). */
class HdfsCheckpointIT {
    private static MiniDFSCluster cluster;
    private static String hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        File base = new File(TrainFixtures.root().toFile(), "minidfs");
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        conf.set("dfs.replication", "1");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getURI().toString();
        TrainFixtures.spark().sparkContext().hadoopConfiguration().set("dfs.replication", "1");
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void checkpointsLandOnHdfsAndTheRunResumesFromThere() throws Exception {
        SparkSession spark = TrainFixtures.spark();
        String corpus = TrainFixtures.corpus(400, 0.5);
        String runDir = hdfs + "/runs/hdfs-run";
        String yaml = "corpus: " + corpus + "\nmodel: " + TrainFixtures.lstmSpec("hdfs", 16, 8, 0.01)
                + "\nrun_dir: " + runDir + "\nmax_epochs: 2\nbatch_size_per_worker: 32\n";
        TrainConfig c = Yaml.read(new java.io.ByteArrayInputStream(yaml.getBytes()), TrainConfig.class, "test");

        TrainResult r = new TrainJob(c).run(spark);

        assertTrue(r.bestCheckpoint().startsWith("hdfs://"), r.bestCheckpoint());
        FileSystem fs = cluster.getFileSystem();
        for (String f : new String[] {"config.yaml", "model.yaml", "history.json", "loss.png", "accuracy.png",
            "result.json", "checkpoints/best/_SUCCESS", "checkpoints/last/_SUCCESS",
            "checkpoints/last/network.zip", "checkpoints/last/SHA256SUMS"}) {
            assertTrue(fs.exists(new Path("/runs/hdfs-run/" + f)), f + " on HDFS");
        }
        Checkpoint best = Checkpoint.load(r.bestCheckpoint());
        assertEquals(r.bestContentHash(), best.contentHash());
        Checkpoint last = Checkpoint.load(runDir + "/checkpoints/last");
        assertEquals(2, last.epoch());

        // Resume from HDFS with a raised epoch limit: continues at epoch 3 with the same history.
        TrainResult more = TrainJob.resume(runDir, 3).run(spark);
        assertEquals(2, more.resumedFrom());
        assertEquals(3, more.epochs());
        assertEquals(EarlyStopping.StopReason.MAX_EPOCHS, more.stopReason());
        assertEquals(3, TrainingHistory.read(fs, new Path("/runs/hdfs-run")).size());
        assertEquals(3, Checkpoint.load(runDir + "/checkpoints/last").epoch());
        assertTrue(!fs.exists(new Path("/runs/hdfs-run/" + TrainJob.EXPORT_DIR)), "export removed at the end");
    }
}
