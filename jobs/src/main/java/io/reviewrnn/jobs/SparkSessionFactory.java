package io.reviewrnn.jobs;

import io.reviewrnn.core.base.ConfigException;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the Spark session for a command, with spark-submit's conventions wherever it is started from.
 *
 * <p>Settings come from, highest precedence first: {@code --master}, {@code --conf} options, {@code spark.*} Java
 * system properties (which is how spark-submit hands over its own merged settings), a properties file, and last
 * the embedded defaults below; as in spark-submit, {@code --master} wins over {@code --conf spark.master}. The
 * properties file is {@code --properties-file}; without it, a run started by the
 * {@code review-rnn} launcher reads {@code $SPARK_CONF_DIR/spark-defaults.conf}, else the project's
 * {@code conf/spark-defaults.conf} (spark-submit has already read its own). With no master anywhere the session is
 * the embedded default: {@code local[*]} bound to the loopback interface. Jobs themselves never set a master.
 *
 * <p>Started by the launcher with a cluster master, the session ships the job jar itself ({@code spark.jars});
 * on YARN without {@code spark.yarn.jars}, {@code spark.yarn.archive} or {@code SPARK_HOME} it ships the launcher's
 * whole class path (Spark, Hadoop, the job jar) as {@code spark.yarn.jars}, so {@code --master yarn} works from a
 * machine with no Spark installation (with {@code HADOOP_CONF_DIR} or {@code YARN_CONF_DIR} on the class path, as
 * the launcher puts it).
 */
public final class SparkSessionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SparkSessionFactory.class);
    public static final String EMBEDDED_MASTER = "local[*]";
    /** Set by the launcher: the project's conf/ directory, whose spark-defaults.conf applies to launcher runs. */
    public static final String LAUNCHER_CONF_DIR = "review-rnn.conf.dir";
    /** Set by the launcher when its standard error is a terminal: Spark's console progress bar is then on. */
    public static final String STDERR_TTY = "review-rnn.stderr.tty";
    static final String SUBMIT_DEPLOY_MODE = "spark.submit.deployMode";

    private SparkSessionFactory() {
    }

    /**
     * @param master explicit master, or null to use spark-submit's / {@code spark.master}, else the embedded one
     * @param conf extra Spark settings ({@code --conf key=value})
     */
    public static SparkSession getOrCreate(String appName, String master, Map<String, String> conf) {
        return getOrCreate(appName, master, conf, null, null);
    }

    /**
     * @param propertiesFile {@code --properties-file}, or null for the launcher's defaults file (none under
     *                       spark-submit, which has read its own)
     * @param deployMode {@code --deploy-mode}: {@code client} or null; {@code cluster} needs spark-submit
     */
    public static SparkSession getOrCreate(String appName, String master, Map<String, String> conf,
            String propertiesFile, String deployMode) {
        Map<String, String> system = systemSparkProperties();
        Path file = propertiesFile != null ? Path.of(propertiesFile)
                : launcherDefaults(System.getenv("SPARK_CONF_DIR"), System.getProperty(LAUNCHER_CONF_DIR));
        Map<String, String> settings = settings(master, conf, system, file == null ? Map.of() : load(file),
                deployMode, Boolean.getBoolean(STDERR_TTY));
        if (System.getProperty(LAUNCHER_CONF_DIR) != null) {
            shipJars(settings, System.getenv("SPARK_HOME")); // spark-submit ships the jars itself
        }
        LOG.debug("Spark settings for {} (properties file {}): {}", appName, file, settings);
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        settings.forEach(b::config);
        SparkSession session = b.getOrCreate();
        var sc = session.sparkContext();
        LOG.info("Spark {} application {} on {}{}", sc.version(), sc.applicationId(), sc.master(),
                sc.uiWebUrl().isDefined() ? ", UI " + sc.uiWebUrl().get() : "");
        return session;
    }

    /**
     * The settings of a session in spark-submit's precedence (see the class comment), with the embedded defaults
     * filled in. Pure: no Spark, no environment.
     */
    static Map<String, String> settings(String master, Map<String, String> conf, Map<String, String> system,
            Map<String, String> file, String deployMode, boolean stderrTty) {
        Map<String, String> s = new LinkedHashMap<>();
        file.forEach(s::put);
        system.forEach(s::put);
        s.putAll(conf);
        if (master != null) {
            s.put("spark.master", master);
        }
        String effective = s.computeIfAbsent("spark.master", k -> EMBEDDED_MASTER);
        deployMode(deployMode, system.get(SUBMIT_DEPLOY_MODE));
        boolean local = effective.startsWith("local");
        if (local && !s.containsKey("spark.driver.host")) {
            s.put("spark.driver.host", "127.0.0.1");
            s.putIfAbsent("spark.driver.bindAddress", "127.0.0.1");
        }
        if (local) {
            s.putIfAbsent("spark.sql.shuffle.partitions", String.valueOf(Math.max(4,
                    2 * Runtime.getRuntime().availableProcessors())));
        }
        s.putIfAbsent("spark.ui.showConsoleProgress", String.valueOf(stderrTty));
        if (!s.containsKey("spark.serializer")) {
            // Kryo is several times faster than Java serialization for shuffled rows and word counts; our
            // registrator makes INDArrays (DL4J training) and Java records safe under it.
            s.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
            s.putIfAbsent("spark.kryo.registrator", KryoRegistrator.class.getName());
        }
        return s;
    }

    /** {@code --deploy-mode}: the launcher always runs the driver in its own JVM. */
    private static void deployMode(String requested, String submitted) {
        if (requested == null || requested.equals("client")) {
            return;
        }
        if (requested.equals("cluster")) {
            if ("cluster".equals(submitted)) {
                return; // already the driver spark-submit started on the cluster
            }
            throw new ConfigException("--deploy-mode cluster needs spark-submit: this command runs the driver in its"
                    + " own JVM (client mode). Submit it with deploy/yarn/submit.sh (cluster mode by default), "
                    + "deploy/standalone/submit.sh --deploy-mode cluster, or spark-submit --deploy-mode cluster "
                    + "--class io.reviewrnn.jobs.cli.Main review-rnn-jobs.jar ...");
        }
        throw new ConfigException("--deploy-mode", requested, "must be client or cluster");
    }

    /**
     * From the launcher (no {@code spark.jars}) with a cluster master: the job jar goes to the executors. On YARN with
     * nothing else to go by, every jar of the launcher's class path (Spark, Hadoop, and the job jar with the
     * libraries Spark shares with it, such as SLF4J and Jackson) goes as {@code spark.yarn.jars}: the
     * ApplicationMaster and the executors start from exactly the launcher's class path.
     */
    static void shipJars(Map<String, String> s, String sparkHome) {
        String master = s.get("spark.master");
        if (master.startsWith("local") || s.containsKey("spark.jars")) {
            return;
        }
        String jobJar = jobJar();
        if (jobJar == null) {
            return; // classes from a directory (tests, IDE): nothing to ship
        }
        if (master.equals("yarn") && !s.containsKey("spark.yarn.jars") && !s.containsKey("spark.yarn.archive")
                && (sparkHome == null || sparkHome.isBlank())) {
            String jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(p -> p.endsWith(".jar") && new File(p).isFile())
                    .collect(Collectors.joining(","));
            s.put("spark.yarn.jars", jars);
            LOG.info("YARN without SPARK_HOME, spark.yarn.jars or spark.yarn.archive: shipping the launcher's {} jars "
                    + "(Spark, Hadoop and the job jar) with the application (set spark.yarn.archive to an archive on"
                    + " HDFS to skip the upload)", jars.split(",").length);
            return;
        }
        s.put("spark.jars", jobJar);
    }

    private static String jobJar() {
        try {
            var source = SparkSessionFactory.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            File f = new File(source.getLocation().toURI());
            return f.isFile() && f.getName().endsWith(".jar") ? f.getAbsolutePath() : null;
        } catch (java.net.URISyntaxException | SecurityException e) {
            return null;
        }
    }

    /**
     * The launcher's defaults file: {@code $SPARK_CONF_DIR/spark-defaults.conf}, else
     * {@code <conf>/spark-defaults.conf}.
     */
    static Path launcherDefaults(String sparkConfDir, String launcherConfDir) {
        if (launcherConfDir == null) {
            return null; // not started by the launcher: spark-submit (or the caller) has set everything
        }
        if (sparkConfDir != null && !sparkConfDir.isBlank()) {
            Path p = Path.of(sparkConfDir, "spark-defaults.conf");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        Path p = Path.of(launcherConfDir, "spark-defaults.conf");
        return Files.isRegularFile(p) ? p : null;
    }

    /** A Spark properties file as spark-submit reads it: {@code spark.*} keys, values trimmed. */
    static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("--properties-file", file.toString(), "must be an existing file");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read Spark properties file " + file, e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("spark.")).sorted()
                .forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }

    private static Map<String, String> systemSparkProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.")).sorted()
                .forEach(k -> m.put(k, System.getProperty(k)));
        return m;
    }
}
