package io.reviewrnn.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ and conf/spark-defaults.conf, checked without a cluster: classes named by scripts exist, the common flags
 * cover the launcher's JDK 17 options and size ND4J's off-heap memory consistently, the scripts parse (bash -n,
 * shellcheck when installed) and build the intended spark-submit command lines (REVIEW_RNN_DRY_RUN=1).
 */
class DeployScriptsTest {
    private static final Pattern CLASS_OPTION = Pattern.compile("--class\\s+([A-Za-z_$][\\w.$]*)");
    private static final Pattern JVM_OPTION = Pattern.compile("(--add-opens=[^\\s)]+|-Djdk\\.reflect\\.[^\\s)]+)");

    @TempDir
    Path tmp;

    @Test
    void everyClassNamedByADeployScriptExistsInTheJobClasses() throws Exception {
        Set<String> classes = scriptClasses();
        assertFalse(classes.isEmpty(), "no --class in deploy/**/*.sh");
        for (String c : classes) {
            Class<?> type = Class.forName(c);
            assertTrue(java.lang.reflect.Modifier.isStatic(type.getMethod("main", String[].class).getModifiers()),
                    c + " has no static main");
        }
        // That the packaged job jar holds them is DeployJarIT's check: the jar exists only after package.
    }

    /** The main classes the deploy scripts pass to spark-submit with {@code --class}. */
    static Set<String> scriptClasses() throws IOException {
        Set<String> classes = new LinkedHashSet<>();
        for (Path script : DeployFiles.scripts()) {
            Matcher m = CLASS_OPTION.matcher(Files.readString(script));
            while (m.find()) {
                classes.add(m.group(1));
            }
        }
        return classes;
    }

    @Test
    void theCommonFlagsHoldEveryJdk17OptionOfTheLauncher() throws IOException {
        String launcher = Files.readString(DeployFiles.root().resolve("review-rnn"));
        Matcher m = JVM_OPTION.matcher(launcher);
        List<String> launcherOptions = new ArrayList<>();
        while (m.find()) {
            launcherOptions.add(m.group(1));
        }
        assertTrue(launcherOptions.size() >= 14, "launcher options not found: " + launcherOptions);
        Map<String, String> conf = DeployFiles.sparkDefaults();
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            List<String> have = List.of(conf.getOrDefault(key, "").split("\\s+"));
            for (String opt : launcherOptions) {
                assertTrue(have.contains(opt), key + " lacks " + opt);
            }
        }
    }

    @Test
    void offHeapLimitsFitTheContainers() {
        Map<String, String> conf = DeployFiles.sparkDefaults();
        for (String role : List.of("driver", "executor")) {
            String opts = conf.get("spark." + role + ".extraJavaOptions");
            long heap = bytes(conf.get("spark." + role + ".memory"));
            long overhead = bytes(conf.get("spark." + role + ".memoryOverhead"));
            long maxBytes = bytes(javaProperty(opts, "org.bytedeco.javacpp.maxbytes"));
            long maxPhysical = bytes(javaProperty(opts, "org.bytedeco.javacpp.maxphysicalbytes"));
            assertTrue(maxBytes < overhead, role + ": ND4J off-heap (maxbytes) must fit in memoryOverhead");
            assertTrue(maxPhysical >= heap + maxBytes, role + ": maxphysicalbytes must allow heap + maxbytes");
            assertTrue(maxPhysical < heap + overhead,
                    role + ": maxphysicalbytes must stay below the container (memory + memoryOverhead), so ND4J"
                            + " fails with an OutOfMemoryError before YARN or Kubernetes kills the container");
        }
    }

    @Test
    void scriptsParseWithBashN() throws Exception {
        for (Path script : DeployFiles.scripts()) {
            Run r = run(List.of("bash", "-n", script.toString()), Map.of());
            assertEquals(0, r.exit, script + ": " + r.out);
        }
    }

    @Test
    void scriptsAreShellcheckClean() throws Exception {
        assumeTrue(onPath("shellcheck"), "shellcheck is not installed (apt-get install -y shellcheck)");
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-x"));
        DeployFiles.scripts().forEach(p -> cmd.add(p.toString()));
        Run r = run(cmd, Map.of(), DeployFiles.root());
        assertEquals(0, r.exit, r.out);
    }

    @Test
    void yarnSubmitBuildsAClusterModeCommandWithKerberos() throws Exception {
        Path keytab = Files.writeString(tmp.resolve("rnn.keytab"), "k");
        List<String> args = dryRun("deploy/yarn/submit.sh", Map.of("HADOOP_CONF_DIR", tmp.toString()),
                "--principal", "rnn@EXAMPLE.COM", "--keytab", keytab.toString(), "--queue", "ml", "--",
                "registry", "list", "--registry", "hdfs:///models/rnn");
        assertSequence(args, "--master", "yarn", "--deploy-mode", "cluster");
        assertSequence(args, "--principal", "rnn@EXAMPLE.COM", "--keytab", keytab.toString());
        assertSequence(args, "--queue", "ml");
        assertTrue(args.get(args.indexOf("--files") + 1).endsWith("conf/log4j2.properties"));
        assertCommonConf(args, "log4j2.properties");
        assertEquals(List.of("registry", "list", "--registry", "hdfs:///models/rnn"),
                args.subList(args.size() - 4, args.size()), "the command comes last, after the jar");
        Run bad = run(List.of("bash", script("deploy/yarn/submit.sh"), "--principal", "p", "--", "x"),
                Map.of("REVIEW_RNN_DRY_RUN", "1", "REVIEW_RNN_JAR", keytab.toString()));
        assertEquals(2, bad.exit);
        assertTrue(bad.out.contains("--principal and --keytab go together"), bad.out);
    }

    @Test
    void optionsTheScriptsDoNotOwnGoStraightToSparkSubmit() throws Exception {
        for (String script : List.of("deploy/yarn/submit.sh", "deploy/standalone/submit.sh", "deploy/k8s/submit.sh")) {
            List<String> own = switch (script) {
                case "deploy/standalone/submit.sh" -> List.of("--master", "spark://10.0.0.5:7077");
                case "deploy/k8s/submit.sh" -> List.of("--master", "k8s://https://10.0.0.1:6443", "--image", "i:1");
                default -> List.of();
            };
            List<String> args = new ArrayList<>(own);
            args.addAll(List.of("--num-executors", "4", "--driver-memory=4g", "--verbose", "--executor-cores", "2",
                    "--", "prepare", "--input", "in"));
            List<String> cmd = dryRun(script, Map.of("HADOOP_CONF_DIR", tmp.toString()), args.toArray(String[]::new));
            assertSequence(cmd, "--num-executors", "4", "--driver-memory=4g", "--verbose", "--executor-cores", "2");
            int jar = cmd.indexOf("prepare") - 1;
            assertTrue(cmd.indexOf("--num-executors") < jar, script + ": spark-submit options precede the jar " + cmd);
            assertEquals(List.of("prepare", "--input", "in"), cmd.subList(jar + 1, cmd.size()), script);

            List<String> missing = new ArrayList<>(List.of("bash", script(script)));
            missing.addAll(own);
            missing.addAll(List.of("--num-executors", "--", "prepare"));
            Run bad = run(missing, Map.of("REVIEW_RNN_DRY_RUN", "1", "REVIEW_RNN_JAR", tmp.resolve("job.jar").toString(),
                    "HADOOP_CONF_DIR", tmp.toString()));
            assertEquals(2, bad.exit, script + ": " + bad.out);
            assertTrue(bad.out.contains("--num-executors needs a value"), bad.out);
        }
    }

    @Test
    void k8sAndStandaloneSubmitUseTheirMasters() throws Exception {
        List<String> k8s = dryRun("deploy/k8s/submit.sh", Map.of(), "--master", "k8s://https://10.0.0.1:6443",
                "--image", "r.example.com/review-rnn:0.1.0", "--", "prepare", "--config", "hdfs:///c.yaml");
        assertSequence(k8s, "--master", "k8s://https://10.0.0.1:6443", "--deploy-mode", "cluster");
        assertTrue(k8s.contains("spark.kubernetes.container.image=r.example.com/review-rnn:0.1.0"), k8s.toString());
        assertTrue(k8s.contains("local:///opt/review-rnn/review-rnn-jobs.jar"), k8s.toString());
        assertCommonConf(k8s, "/opt/review-rnn/conf/log4j2.properties");

        List<String> sa = dryRun("deploy/standalone/submit.sh", Map.of(), "--master", "spark://10.0.0.5:7077",
                "--", "train", "--config", "t.yaml");
        assertSequence(sa, "--master", "spark://10.0.0.5:7077", "--deploy-mode", "client");
        assertCommonConf(sa, null);
    }

    @Test
    void theDockerImageMatchesTheBuildAndTheK8sScript() throws IOException {
        Path root = DeployFiles.root();
        String dockerfile = Files.readString(root.resolve("deploy/k8s/Dockerfile"));
        String pom = Files.readString(root.resolve("pom.xml"));
        Matcher spark = Pattern.compile("<spark.version>([^<]+)</spark.version>").matcher(pom);
        assertTrue(spark.find());
        assertTrue(dockerfile.contains("ARG SPARK_VERSION=" + spark.group(1)), "image Spark != pom's " + spark.group(1));
        assertTrue(dockerfile.contains("FROM apache/spark:${SPARK_VERSION}-scala2.12-java17"), "official Spark, Java 17");
        String jobsPom = Files.readString(root.resolve("jobs/pom.xml"));
        assertTrue(jobsPom.contains("<finalName>review-rnn-jobs</finalName>"));
        assertTrue(dockerfile.contains("COPY jobs/target/review-rnn-jobs.jar /opt/review-rnn/review-rnn-jobs.jar"));
        assertTrue(Files.readString(root.resolve("deploy/k8s/submit.sh")).contains("IMAGE_HOME=/opt/review-rnn"));
    }

    @Test
    void theScheduleWrapperKeepsALogPerRunAndPassesTheExitCodeOn() throws Exception {
        Path logs = tmp.resolve("logs");
        Path jar = Files.writeString(tmp.resolve("fake.jar"), "jar");
        Map<String, String> env = Map.of("REVIEW_RNN_TARGET", "standalone", "SPARK_MASTER_URL", "spark://h:7077",
                "REVIEW_RNN_DRY_RUN", "1", "REVIEW_RNN_JAR", jar.toString(), "REVIEW_RNN_LOG_DIR", logs.toString(),
                "REVIEW_RNN_RETRAIN_CONFIG", "hdfs:///conf/retrain.yaml");
        Run r = run(List.of("bash", script("deploy/schedule/retrain.sh")), env);
        assertEquals(0, r.exit, r.out);
        assertTrue(r.out.contains("exit 0 (promoted)"), r.out);
        String latest = Files.readString(logs.resolve("retrain-latest.log"));
        assertTrue(latest.contains("retrain\n--config\nhdfs:///conf/retrain.yaml"), latest);
        assertEquals(1, Files.readAllLines(logs.resolve("retrain-history.log")).size());

        Map<String, String> broken = new java.util.HashMap<>(env);
        broken.put("SPARK_MASTER_URL", "not-a-master");
        Run failed = run(List.of("bash", script("deploy/schedule/retrain.sh")), broken);
        assertEquals(2, failed.exit, failed.out);
        assertEquals(2, Files.readAllLines(logs.resolve("retrain-history.log")).size());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void assertCommonConf(List<String> args, String log4j) {
        Map<String, String> conf = DeployFiles.sparkDefaults();
        for (Map.Entry<String, String> e : conf.entrySet()) {
            String prefix = e.getKey() + "=" + e.getValue();
            assertTrue(args.stream().anyMatch(a -> a.startsWith(prefix)), "missing --conf " + e.getKey());
        }
        String executor = args.stream().filter(a -> a.startsWith("spark.executor.extraJavaOptions=")).findFirst()
                .orElseThrow();
        if (log4j == null) {
            assertFalse(executor.contains("log4j2.configurationFile"), executor);
        } else {
            assertTrue(executor.endsWith("-Dlog4j2.configurationFile=" + log4j), executor);
        }
    }

    private static void assertSequence(List<String> args, String... seq) {
        assertTrue(java.util.Collections.indexOfSubList(args, List.of(seq)) >= 0,
                List.of(seq) + " not in " + args);
    }

    private List<String> dryRun(String script, Map<String, String> env, String... args) throws Exception {
        Path jar = Files.writeString(tmp.resolve("job.jar"), "jar");
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("REVIEW_RNN_DRY_RUN", "1");
        e.put("REVIEW_RNN_JAR", jar.toString());
        List<String> cmd = new ArrayList<>(List.of("bash", script(script)));
        cmd.addAll(List.of(args));
        Run r = run(cmd, e);
        assertEquals(0, r.exit, r.out);
        List<String> lines = r.out.lines().toList();
        assertEquals("spark-submit", lines.get(0));
        assertSequence(lines, "--class", "io.reviewrnn.jobs.cli.Main");
        return lines;
    }

    private static String script(String relative) {
        return DeployFiles.root().resolve(relative).toString();
    }

    record Run(int exit, String out) {
    }

    private static Run run(List<String> cmd, Map<String, String> env) throws Exception {
        return run(cmd, env, null);
    }

    private static Run run(List<String> cmd, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().remove("SPARK_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        return new Run(p.exitValue(), out);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String javaProperty(String opts, String name) {
        Matcher m = Pattern.compile("-D" + Pattern.quote(name) + "=(\\S+)").matcher(opts);
        assertTrue(m.find(), name + " not set in " + opts);
        return m.group(1);
    }

    /** Spark/JavaCPP sizes: 512m, 4g, 7500M, or plain bytes. */
    static long bytes(String s) {
        assertTrue(s != null, "size not set");
        Matcher m = Pattern.compile("(\\d+)([kmgt]?)b?").matcher(s.trim().toLowerCase(Locale.ROOT));
        assertTrue(m.matches(), "not a size: " + s);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            case "t" -> n << 40;
            default -> n;
        };
    }
}
