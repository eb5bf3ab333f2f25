package io.reviewrnn.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brings up the real multi-process rig (HDFS NameNode + DataNode, Spark Master + 2 Workers, all separate JVMs on
 * 127.0.0.1) and checks that each piece works the way the pipeline IT will use it.
 */
@Tag("cluster")
class LocalClusterSmokeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static LocalClusterRig rig;

  @BeforeAll
  static void up() {
    rig = LocalClusterRig.forThisProject();
    LocalClusterRig.CommandResult build = rig.build(Duration.ofMinutes(10));
    Assumptions.assumeTrue(build.exitCode() != LocalClusterRig.LAYOUT_UNAVAILABLE,
        () -> "the cluster rig's jars cannot be resolved here (offline without a cached Maven repository?):\n"
            + build.tail(15));
    build.requireSuccess();
    rig.up(Duration.ofMinutes(5));
  }

  @AfterAll
  static void down() {
    if (rig != null) {
      rig.down(Duration.ofMinutes(2)).requireSuccess();
    }
  }

  @Test
  void hdfsStoresAndReturnsAMultiBlockFileFromTheTestJvm() throws IOException {
    byte[] data = new byte[3 * 1024 * 1024 + 12345];
    new Random(7).nextBytes(data);
    Path file = new Path("/smoke/random.bin");
    long blockSize = 1024 * 1024;
    try (FileSystem fs = FileSystem.newInstance(rig.hdfsUri(), rig.hadoopConfiguration())) {
      assertEquals("hdfs", fs.getScheme());
      try (FSDataOutputStream out = fs.create(file, true, 64 * 1024, (short) 1, blockSize)) {
        out.write(data);
      }
      FileStatus status = fs.getFileStatus(file);
      assertEquals(data.length, status.getLen());
      assertEquals(1, status.getReplication());
      BlockLocation[] blocks = fs.getFileBlockLocations(status, 0, status.getLen());
      assertEquals(4, blocks.length, "3 MB + a bit in 1 MB blocks");
      for (BlockLocation block : blocks) {
        assertArrayEquals(new String[] {"127.0.0.1:" + rig.dataNodePort()}, block.getNames(),
            "every block lives on the rig's one DataNode");
      }
      byte[] back = new byte[data.length];
      try (InputStream in = fs.open(file)) {
        in.readNBytes(back, 0, back.length);
        assertEquals(-1, in.read());
      }
      assertArrayEquals(data, back);
    }
  }

  @Test
  void theScriptsHdfsShellSeesWhatTheTestJvmWrote() throws IOException {
    String text = "written by the test JVM at " + System.nanoTime();
    try (FileSystem fs = FileSystem.newInstance(rig.hdfsUri(), rig.hadoopConfiguration());
        OutputStream out = fs.create(new Path("/smoke/hello.txt"), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    LocalClusterRig.CommandResult cat = rig.hdfs(Duration.ofMinutes(1), "-cat", "/smoke/hello.txt").requireSuccess();
    assertTrue(cat.output().contains(text), () -> "hdfs -cat printed:\n" + cat.tail(20));
  }

  @Test
  void twoWorkersWithOneCoreEachAreRegistered() throws Exception {
    JsonNode master = getJson(rig.masterWebUi().resolve("/json/"));
    assertEquals("ALIVE", master.path("status").asText(), master::toPrettyString);
    assertEquals(2, master.path("aliveworkers").asInt(), master::toPrettyString);
    List<JsonNode> alive = new ArrayList<>();
    master.path("workers").forEach(w -> {
      if ("ALIVE".equals(w.path("state").asText())) {
        alive.add(w);
      }
    });
    assertEquals(2, alive.size(), master::toPrettyString);
    for (JsonNode worker : alive) {
      assertEquals("127.0.0.1", worker.path("host").asText(), worker::toPrettyString);
      assertEquals(1, worker.path("cores").asInt(), worker::toPrettyString);
      assertEquals(3 * 1024, worker.path("memory").asInt(), "3g per worker, in MB");
    }
    assertEquals(2, Set.of(alive.get(0).path("id").asText(), alive.get(1).path("id").asText()).size());
  }

  @Test
  void daemonsRunTheSparkAndHadoopVersionsTheJobsAreBuiltAgainst() throws Exception {
    String sparkVersion = org.apache.spark.package$.MODULE$.SPARK_VERSION();
    String masterLog = Files.readString(rig.logDir().resolve("master.log"));
    assertTrue(masterLog.contains("Running Spark version " + sparkVersion),
        "the Master should run Spark " + sparkVersion + "; see " + rig.logDir().resolve("master.log"));
    assertTrue(Files.isRegularFile(rig.sparkHome().resolve("jars/scala-library-"
        + scala.util.Properties.versionNumberString() + ".jar")), "SPARK_HOME/jars has our Scala library");

    JsonNode nameNode = getJson(URI.create(rig.nameNodeWebUi() + "/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo"));
    String hadoopVersion = nameNode.path("beans").path(0).path("Version").asText();
    assertTrue(hadoopVersion.startsWith(VersionInfo.getVersion() + ","),
        () -> "NameNode runs Hadoop '" + hadoopVersion + "', the jobs are built against " + VersionInfo.getVersion());
  }

  @Test
  void submittedApplicationRunsOnBothExecutorsAndWritesToHdfs(@TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path jar = probeJar(tmp);
    int records = 400;
    String output = "/smoke/probe-" + System.nanoTime();
    LocalClusterRig.CommandResult submit = rig.submit(Duration.ofMinutes(4), List.of(
        // The rig's submit makes the job wait until both executors are registered, so both get tasks.
        "--conf", "spark.executor.memory=1g",
        "--class", ClusterProbeApp.class.getName(),
        jar.toString(), output, Integer.toString(records)));
    submit.requireSuccess();

    List<String> lines = new ArrayList<>();
    try (FileSystem fs = FileSystem.newInstance(rig.hdfsUri(), rig.hadoopConfiguration())) {
      assertTrue(fs.exists(new Path(output, "_SUCCESS")), "the job committed its output on HDFS");
      for (FileStatus part : fs.globStatus(new Path(output, "part-*"))) {
        try (InputStream in = fs.open(part.getPath())) {
          String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          content.lines().forEach(lines::add);
        }
      }
    }
    assertEquals(records, lines.size());
    Set<Integer> values = new HashSet<>();
    Set<Long> executorPids = new TreeSet<>();
    for (String line : lines) {
      String[] fields = line.split(",");
      values.add(Integer.parseInt(fields[0]));
      executorPids.add(Long.parseLong(fields[1]));
    }
    assertEquals(records, values.size(), "every record exactly once");
    assertEquals(2, executorPids.size(), () -> "tasks ran in executor JVMs " + executorPids);
    assertFalse(executorPids.contains(ProcessHandle.current().pid()), "not in the test JVM");
    try (var eventLogs = Files.list(rig.eventLogDir())) {
      assertTrue(eventLogs.findAny().isPresent(), "the Spark event log was written to " + rig.eventLogDir());
    }
  }

  private static JsonNode getJson(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), () -> uri + " answered " + response.statusCode());
    return JSON.readTree(response.body());
  }

  /** A jar with just ClusterProbeApp's class files, built from this module's test classes. */
  private static java.nio.file.Path probeJar(java.nio.file.Path dir) throws IOException, URISyntaxException {
    java.nio.file.Path classFile = java.nio.file.Path.of(
        ClusterProbeApp.class.getResource(ClusterProbeApp.class.getSimpleName() + ".class").toURI());
    String packagePath = ClusterProbeApp.class.getPackageName().replace('.', '/');
    java.nio.file.Path jar = dir.resolve("cluster-probe.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        DirectoryStream<java.nio.file.Path> classes =
            Files.newDirectoryStream(classFile.getParent(), ClusterProbeApp.class.getSimpleName() + "*.class")) {
      for (java.nio.file.Path c : classes) {
        out.putNextEntry(new JarEntry(packagePath + "/" + c.getFileName()));
        Files.copy(c, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
