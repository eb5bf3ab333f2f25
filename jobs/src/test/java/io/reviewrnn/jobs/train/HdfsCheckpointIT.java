package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.TrainingHistory;
import java.io.File;
import java.util.List;
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

    /**
     * A writer killed between commit's two renames (the old output moved aside, the new one not yet in place) on
     * HDFS: readers find the moved-aside version, and recover() puts it back and removes the debris. A writer
     * killed after the second rename leaves the new version, which recover() keeps.
     */
    @Test
    void recoverRepairsACommitCrashedBetweenItsRenames() throws Exception {
        FileSystem fs = cluster.getFileSystem();
        Path target = fs.makeQualified(new Path("/crash/checkpoints/last"));
        writeVersion(fs, target, "v1");
        // The second rename (temp -> target) dies; like kill -9, nothing after it runs (no close(), no rollback).
        FileSystem crashing = new org.apache.hadoop.fs.FilterFileSystem(fs) {
            @Override
            public boolean rename(Path src, Path dst) throws java.io.IOException {
                if (src.getName().contains(".tmp-")) {
                    throw new java.io.IOException("simulated crash between the renames");
                }
                return super.rename(src, dst);
            }
        };
        AtomicDirectory second = AtomicDirectory.begin(crashing, target, true, "version.txt");
        write(fs, new Path(second.temp(), "version.txt"), "v2");
        java.io.IOException crash = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                second::commit);
        assertTrue(crash.getMessage().contains("simulated crash"), crash.getMessage());
        assertTrue(!fs.exists(target), "the crash left no target");
        assertEquals(2, siblings(fs, target).size(), "a moved-aside old version and the new temp: "
                + siblings(fs, target));
        Path readable = AtomicDirectory.readable(fs, target);
        assertTrue(readable != null && readable.getName().startsWith(".last.old-"), "readers find " + readable);
        assertEquals("v1", read(fs, new Path(readable, "version.txt")));

        assertTrue(AtomicDirectory.recover(fs, target));
        assertEquals("v1", read(fs, new Path(target, "version.txt")), "the committed version is back");
        assertTrue(AtomicDirectory.isComplete(fs, target));
        assertEquals(List.of(), siblings(fs, target), "no debris left");

        // Killed after the second rename, before the old version was deleted: the new version stands.
        writeVersion(fs, target, "v3");
        fs.mkdirs(new Path(target.getParent(), ".last.old-00000000-0000-0000-0000-000000000000"));
        fs.create(new Path(target.getParent(), ".last.old-00000000-0000-0000-0000-000000000000/"
                + AtomicDirectory.SUCCESS)).close();
        assertTrue(AtomicDirectory.recover(fs, target));
        assertEquals("v3", read(fs, new Path(target, "version.txt")));
        assertEquals(List.of(), siblings(fs, target));
    }

    private static void writeVersion(FileSystem fs, Path target, String version) throws java.io.IOException {
        try (AtomicDirectory d = AtomicDirectory.begin(fs, target, true, "version.txt")) {
            write(fs, new Path(d.temp(), "version.txt"), version);
            d.commit();
        }
    }

    private static void write(FileSystem fs, Path file, String text) throws java.io.IOException {
        try (var out = fs.create(file, true)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static String read(FileSystem fs, Path file) throws java.io.IOException {
        try (var in = fs.open(file)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The hidden .last.old-* and .last.tmp-* siblings of the target. */
    private static List<String> siblings(FileSystem fs, Path target) throws java.io.IOException {
        List<String> out = new java.util.ArrayList<>();
        for (var st : fs.listStatus(target.getParent())) {
            if (st.getPath().getName().startsWith("." + target.getName() + ".")) {
                out.add(st.getPath().getName());
            }
        }
        return out;
    }
}
