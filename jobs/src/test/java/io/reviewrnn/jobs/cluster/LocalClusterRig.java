package io.reviewrnn.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the loopback cluster rig, {@code deploy/local-cluster/cluster}: an HDFS NameNode and DataNode, a Spark
 * standalone Master and Workers, each in its own JVM. Every call runs the script with a timeout; its output goes to
 * {@code deploy/local-cluster/target/commands/NNN-<command>.log} and is returned as a {@link CommandResult}.
 *
 * <p>The rig uses fixed ports (overridable through {@code RIG_*} environment variables, see the script), so there is
 * one rig per machine at a time. Not thread-safe: call it from one test thread.
 */
public final class LocalClusterRig implements AutoCloseable {

  /** The script's exit code when the jar layout cannot be built (dependencies unavailable, e.g. offline). */
  public static final int LAYOUT_UNAVAILABLE = 3;

  private static final Logger LOG = LoggerFactory.getLogger(LocalClusterRig.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Path projectRoot;
  private final Path script;
  private final Path rigDir;
  private final Path commandLogDir;
  private final Map<String, String> environment;
  private Map<String, String> settings = Map.of();
  private Thread downOnExit;

  private LocalClusterRig(Path projectRoot, Map<String, String> environment) {
    this.projectRoot = projectRoot;
    this.script = projectRoot.resolve("deploy/local-cluster/cluster");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("the cluster rig script is missing: " + script);
    }
    Path target = projectRoot.resolve("deploy/local-cluster/target");
    this.rigDir = Path.of(environment.getOrDefault("RIG_DIR", target.resolve("rig").toString()));
    this.commandLogDir = target.resolve("commands");
    this.environment = new LinkedHashMap<>(environment);
    this.environment.put("RIG_DIR", rigDir.toString());
  }

  /** A rig for this checkout (found through {@link #projectRoot()}), with the script's default settings. */
  public static LocalClusterRig forThisProject() {
    return forThisProject(Map.of());
  }

  /**
   * A rig for this checkout with extra {@code RIG_*} settings for {@code up}, e.g. {@code RIG_WORKER_MEMORY}.
   */
  public static LocalClusterRig forThisProject(Map<String, String> environment) {
    return new LocalClusterRig(projectRoot(), environment);
  }

  /**
   * The repository root: system property {@code project.root} (failsafe sets it), else the nearest directory
   * upwards from the working directory that holds {@code deploy/local-cluster/cluster}.
   */
  public static Path projectRoot() {
    String property = System.getProperty("project.root");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("deploy/local-cluster/cluster"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find deploy/local-cluster/cluster above " + Path.of("").toAbsolutePath()
        + "; set -Dproject.root");
  }

  /** Lays out SPARK_HOME and the HDFS classpath with Maven, unless they are up to date. */
  public CommandResult build(Duration timeout) {
    return run(timeout, List.of("build"));
  }

  /** Builds if needed, then starts HDFS and Spark and waits until they are healthy; fails with the script's log. */
  public void up(Duration timeout) {
    if (downOnExit == null) {
      // The daemons live in their own sessions: if this JVM dies before down(), do not leave them running.
      downOnExit = new Thread(() -> down(Duration.ofMinutes(1)), "cluster-rig-down");
      Runtime.getRuntime().addShutdownHook(downOnExit);
    }
    run(timeout, List.of("up")).requireSuccess();
    settings = readSettings();
    LOG.info("cluster rig up: HDFS {}, Spark {}, logs {}", hdfsUri(), masterUrl(), logDir());
  }

  /** Stops every daemon the rig started (safe to call when it is down or half up). */
  public CommandResult down(Duration timeout) {
    if (downOnExit != null && Thread.currentThread() != downOnExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(downOnExit);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to; down is idempotent.
      }
      downOnExit = null;
    }
    return run(timeout, List.of("down"));
  }

  /** Daemons, health probes and the HDFS report; exit code 0 only when everything is up. */
  public CommandResult status(Duration timeout) {
    return run(timeout, List.of("status"));
  }

  /** {@code spark-submit} with the arguments as given (your own jar or class), in client deploy mode. */
  public CommandResult submit(Duration timeout, List<String> sparkSubmitArgs) {
    List<String> args = new ArrayList<>(List.of("submit"));
    args.addAll(sparkSubmitArgs);
    return run(timeout, args);
  }

  /**
   * {@code spark-submit} of the project's job jar ({@code jobs/target/review-rnn-jobs.jar}, main class
   * {@code io.reviewrnn.jobs.cli.Main}) with spark-submit options and the CLI's arguments.
   */
  public CommandResult submitJob(Duration timeout, List<String> sparkOptions, List<String> jobArgs) {
    List<String> args = new ArrayList<>(sparkOptions);
    args.add("--");
    args.addAll(jobArgs);
    return submit(timeout, args);
  }

  /** The HDFS shell ({@code FsShell}) against the rig's NameNode, e.g. {@code hdfs("-ls", "/")}. */
  public CommandResult hdfs(Duration timeout, String... fsShellArgs) {
    List<String> args = new ArrayList<>(List.of("hdfs"));
    args.addAll(List.of(fsShellArgs));
    return run(timeout, args);
  }

  /** {@code kill -9} of Worker {@code n} (1-based) and its executor JVMs. */
  public void killWorker(int n) {
    run(Duration.ofSeconds(30), List.of("kill-worker", Integer.toString(n))).requireSuccess();
  }

  /** Starts Worker {@code n} again and waits until the Master has registered it. */
  public void startWorker(int n, Duration timeout) {
    run(timeout, List.of("start-worker", Integer.toString(n))).requireSuccess();
  }

  /**
   * Stops the DataNode: SIGTERM, or SIGKILL when {@code kill}. With {@code waitUntilDead} it returns only once the
   * NameNode has declared it dead (about 20 s), so clients are refused rather than retrying.
   */
  public void stopDataNode(boolean kill, boolean waitUntilDead, Duration timeout) {
    List<String> args = new ArrayList<>(List.of("stop-datanode"));
    if (kill) {
      args.add("--kill");
    }
    if (waitUntilDead) {
      args.add("--wait-dead");
    }
    run(timeout, args).requireSuccess();
  }

  /** Restarts the DataNode on its data dir and waits until it has registered and sent its block report. */
  public void startDataNode(Duration timeout) {
    run(timeout, List.of("start-datanode")).requireSuccess();
  }

  /** {@code hdfs://127.0.0.1:<port>} of the NameNode. */
  public URI hdfsUri() {
    return URI.create(setting("RIG_HDFS_URI"));
  }

  /** The DataNode's data transfer port (blocks are read and written there, on 127.0.0.1). */
  public int dataNodePort() {
    return Integer.parseInt(setting("RIG_DN_PORT"));
  }

  /** {@code spark://127.0.0.1:<port>} of the Master. */
  public String masterUrl() {
    return setting("RIG_MASTER_URL");
  }

  /** The Master's web UI; {@code <it>/json/} is its state as JSON. */
  public URI masterWebUi() {
    return URI.create(setting("RIG_MASTER_UI"));
  }

  /** The NameNode's web UI; {@code <it>/jmx} is its state as JSON. */
  public URI nameNodeWebUi() {
    return URI.create(setting("RIG_NAMENODE_UI"));
  }

  /** Where every daemon writes {@code <daemon>.log}; executors log under {@code <rigDir>/spark/worker-N/}. */
  public Path logDir() {
    return Path.of(setting("RIG_LOG_DIR"));
  }

  /** The Spark event log directory that {@code submit} configures ({@code file:}, not on HDFS). */
  public Path eventLogDir() {
    return Path.of(setting("RIG_EVENT_LOG_DIR"));
  }

  /** The SPARK_HOME the daemons run from ({@code jars/} built by Maven). */
  public Path sparkHome() {
    return Path.of(setting("RIG_SPARK_HOME"));
  }

  /** The rig's work directory: conf, HDFS storage, Spark work dirs, logs, pid files. */
  public Path rigDir() {
    return rigDir;
  }

  /** The number of Workers {@code up} starts. */
  public int workers() {
    return Integer.parseInt(setting("RIG_WORKERS"));
  }

  /** A Hadoop client configuration for this JVM: the rig's HDFS as default FS, replication 1. */
  public Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", hdfsUri().toString());
    conf.setInt("dfs.replication", 1);
    conf.setBoolean("dfs.client.block.write.replace-datanode-on-failure.enable", false);
    return conf;
  }

  /** Same as {@link #down(Duration)} with two minutes; failures are logged, not thrown. */
  @Override
  public void close() {
    CommandResult result = down(Duration.ofMinutes(2));
    if (!result.succeeded()) {
      LOG.warn("cluster rig down failed (exit {}); see {}", result.exitCode(), result.log());
    }
  }

  private String setting(String key) {
    if (settings.isEmpty()) {
      settings = readSettings();
    }
    String value = settings.get(key);
    if (value == null) {
      throw new IllegalStateException(key + " is not in " + rigDir.resolve("rig.env") + "; is the rig up?");
    }
    return value;
  }

  private Map<String, String> readSettings() {
    Path file = rigDir.resolve("rig.env");
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          values.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return values;
  }

  private CommandResult run(Duration timeout, List<String> args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(args);
    Path log = commandLogDir.resolve(String.format("%03d-%s.log", SEQUENCE.incrementAndGet(), args.get(0)));
    long start = System.nanoTime();
    try {
      Files.createDirectories(commandLogDir);
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(projectRoot.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      LOG.info("cluster {} (timeout {}s, output {})", String.join(" ", args), timeout.toSeconds(), log);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        // SIGTERM first: the script's trap stops what a half-done `up` started.
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        throw new IllegalStateException("cluster " + String.join(" ", args) + " timed out after "
            + timeout.toSeconds() + " s; output:\n" + tail(log, 60));
      }
      CommandResult result = new CommandResult(List.copyOf(command), process.exitValue(), log,
          Duration.ofNanos(System.nanoTime() - start));
      LOG.info("cluster {} -> exit {} in {} ms", args.get(0), result.exitCode(), result.took().toMillis());
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** What one run of the script did: its command line, exit code, complete output (in a file) and duration. */
  public record CommandResult(List<String> command, int exitCode, Path log, Duration took) {

    public boolean succeeded() {
      return exitCode == 0;
    }

    /** The whole output (stdout and stderr interleaved). */
    public String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + log, e);
      }
    }

    /** The last {@code lines} lines of the output. */
    public String tail(int lines) {
      return LocalClusterRig.tail(log, lines);
    }

    /** Throws with the end of the output unless the command exited 0. */
    public CommandResult requireSuccess() {
      if (!succeeded()) {
        throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exitCode
            + " (full output: " + log + "):\n" + tail(60));
      }
      return this;
    }
  }
}
