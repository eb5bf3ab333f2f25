package io.reviewrnn.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticCorpusWriter;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./review-rnn prepare --master yarn} from the launcher, on a MiniYARNCluster (ResourceManager and one
 * NodeManager in this JVM; the ApplicationMaster and the executor are containers, i.e. their own JVMs). The launcher
 * runs with no SPARK_HOME, only {@code HADOOP_CONF_DIR} pointing at the cluster's yarn-site.xml: spark-yarn comes from
 * its local class path and the Spark jars go to YARN as {@code spark.yarn.jars}. Memory settings come from a
 * {@code --properties-file}, as a user would pass them to spark-submit.
 */
@Tag("cluster")
class YarnLauncherIT {
    @TempDir
    static Path tmp;

    private static MiniYARNCluster yarn;
    private static Path hadoopConf;
    private static Path root;

    @BeforeAll
    static void up() throws Exception {
        root = Path.of(System.getProperty("project.root", ".."));
        Assumptions.assumeTrue(Files.isRegularFile(root.resolve("jobs/target/review-rnn-jobs.jar"))
                && Files.isRegularFile(root.resolve("jobs/target/provided-classpath.txt")),
                "the launcher's job jar is not built (mvn package builds it before the ITs)");
        YarnConfiguration conf = new YarnConfiguration();
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        conf.setInt("yarn.nodemanager.resource.memory-mb", 4096);
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 128);
        conf.setInt("yarn.scheduler.maximum-allocation-mb", 4096);
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // hadoop-client-minicluster lacks capacity-scheduler.xml (as Spark's own YarnClusterSuite notes).
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
        // Containers start java from $JAVA_HOME, which a real NodeManager has in its environment.
        conf.set("yarn.nodemanager.admin-env", "MALLOC_ARENA_MAX=4,JAVA_HOME=" + System.getProperty("java.home"));
        yarn = new MiniYARNCluster("review-rnn-yarn", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "the ResourceManager did not publish its address");
            Thread.sleep(100);
        }
        hadoopConf = Files.createDirectories(tmp.resolve("hadoop-conf"));
        try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
    }

    @AfterAll
    static void down() {
        if (yarn != null) {
            yarn.stop();
        }
    }

    @Test
    void prepareRunsOnYarnFromTheLauncher() throws Exception {
        Path corpus = tmp.resolve("corpus");
        FileSystem local = FileSystem.getLocal(new Configuration());
        long n = SyntheticCorpusWriter.write(new SyntheticCorpusGenerator(3).corpus(400, 100), local,
                new org.apache.hadoop.fs.Path(corpus.toUri()), CorpusFormat.ACLIMDB, false);
        assertEquals(500, n);
        Path props = tmp.resolve("yarn.conf");
        Files.writeString(props, String.join("\n",
                "spark.executor.instances 1",
                "spark.executor.cores 1",
                "spark.executor.memory 512m",
                "spark.executor.memoryOverhead 384m",
                "spark.yarn.am.memory 384m",
                "spark.yarn.am.memoryOverhead 384m",
                "spark.ui.enabled false",
                ""));
        Path output = tmp.resolve("prepared");
        Path log = tmp.resolve("launcher.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(root.resolve("review-rnn").toString(), "prepare",
                "--master", "yarn", "--properties-file", props.toString(), "--input", corpus.toString(),
                "--output", output.toString()))
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("SPARK_CONF_DIR");
        pb.environment().remove("YARN_CONF_DIR");
        pb.environment().put("HADOOP_CONF_DIR", hadoopConf.toString());
        pb.environment().put("REVIEW_RNN_SKIP_BUILD", "1");
        Process p = pb.start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, "prepare on YARN did not finish in 10 minutes:\n" + tail(out));
        assertEquals(0, p.exitValue(), "prepare on YARN failed:\n" + tail(out));

        PrepareManifest m = PrepareManifest.read(local, new org.apache.hadoop.fs.Path(output.toUri()));
        assertEquals("yarn", m.environment().get("spark_master"), m.environment().toString());
        assertEquals(400, m.splits().get("train").count() + m.splits().get("validation").count());
        assertEquals(100, m.splits().get("test").count());

        List<RMApp> apps = List.copyOf(yarn.getResourceManager().getRMContext().getRMApps().values());
        assertEquals(1, apps.size(), apps.toString());
        RMApp app = apps.get(0);
        assertEquals("review-rnn prepare", app.getName());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (app.getState() != RMAppState.FINISHED && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(RMAppState.FINISHED, app.getState());
        assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
        assertTrue(out.contains("shipping the launcher's"), "spark.yarn.jars came from the launcher:\n" + tail(out));
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length))
                + "\n(full log: " + tmp.resolve("launcher.log") + File.separator + ")";
    }
}
