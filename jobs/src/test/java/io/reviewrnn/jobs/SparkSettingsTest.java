package io.reviewrnn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session's settings follow spark-submit's precedence and files, without starting Spark. */
class SparkSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void masterBeatsConfBeatsSystemPropertiesBeatsTheFileBeatsTheDefaults() {
        Map<String, String> file = Map.of("spark.master", "spark://file:7077", "spark.executor.memory", "4g",
                "spark.serializer", "org.apache.spark.serializer.JavaSerializer", "spark.a", "file");
        Map<String, String> system = Map.of("spark.a", "system", "spark.b", "system");
        Map<String, String> s = SparkSessionFactory.settings(null, Map.of("spark.b", "conf"), system, file, null,
                false);
        assertEquals("spark://file:7077", s.get("spark.master"), "the file's master when no option gives one");
        assertEquals("4g", s.get("spark.executor.memory"));
        assertEquals("system", s.get("spark.a"));
        assertEquals("conf", s.get("spark.b"));
        assertEquals("org.apache.spark.serializer.JavaSerializer", s.get("spark.serializer"), "the file wins over our"
                + " Kryo default");
        Map<String, String> withMaster = SparkSessionFactory.settings("local[2]", Map.of(), system, file, null, false);
        assertEquals("local[2]", withMaster.get("spark.master"));
        assertEquals("127.0.0.1", withMaster.get("spark.driver.host"));
        Map<String, String> confMaster = SparkSessionFactory.settings("local[2]", Map.of("spark.master", "yarn"),
                Map.of(), Map.of(), null, false);
        assertEquals("local[2]", confMaster.get("spark.master"), "--master wins over --conf spark.master, as in "
                + "spark-submit");
        assertEquals("yarn", SparkSessionFactory.settings(null, Map.of("spark.master", "yarn"), system, file, null,
                false).get("spark.master"), "--conf spark.master over the file's");
    }

    @Test
    void embeddedDefaults() {
        Map<String, String> s = SparkSessionFactory.settings(null, Map.of(), Map.of(), Map.of(), null, true);
        assertEquals(SparkSessionFactory.EMBEDDED_MASTER, s.get("spark.master"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", s.get("spark.serializer"));
        assertEquals(KryoRegistrator.class.getName(), s.get("spark.kryo.registrator"));
        assertEquals("true", s.get("spark.ui.showConsoleProgress"), "stderr is a terminal");
        assertEquals("false", SparkSessionFactory.settings(null, Map.of(), Map.of(), Map.of(), null, false)
                .get("spark.ui.showConsoleProgress"));
        assertNull(SparkSessionFactory.settings("yarn", Map.of(), Map.of(), Map.of(), null, false)
                .get("spark.driver.host"), "only local masters are pinned to the loopback interface");
    }

    @Test
    void clusterDeployModeNeedsSparkSubmit() {
        String m = assertThrows(ConfigException.class, () -> SparkSessionFactory.settings("yarn", Map.of(), Map.of(),
                Map.of(), "cluster", false)).getMessage();
        assertTrue(m.contains("needs spark-submit") && m.contains("deploy/yarn/submit.sh"), m);
        SparkSessionFactory.settings("yarn", Map.of(), Map.of(), Map.of(), "client", false);
        // Inside a driver that spark-submit started in cluster mode, the option agrees with it.
        SparkSessionFactory.settings(null, Map.of(), Map.of("spark.master", "yarn",
                SparkSessionFactory.SUBMIT_DEPLOY_MODE, "cluster"), Map.of(), "cluster", false);
        assertThrows(ConfigException.class, () -> SparkSessionFactory.settings(null, Map.of(), Map.of(), Map.of(),
                "remote", false));
    }

    @Test
    void launcherReadsSparkConfDirElseTheProjectsConf() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Path sparkConf = Files.createDirectories(tmp.resolve("spark-conf"));
        Files.writeString(conf.resolve("spark-defaults.conf"), "spark.a 1\n");
        assertNull(SparkSessionFactory.launcherDefaults(sparkConf.toString(), null), "spark-submit read its own");
        assertEquals(conf.resolve("spark-defaults.conf"),
                SparkSessionFactory.launcherDefaults(sparkConf.toString(), conf.toString()), "no file in SPARK_CONF_DIR");
        Files.writeString(sparkConf.resolve("spark-defaults.conf"), "spark.a 2\n");
        assertEquals(sparkConf.resolve("spark-defaults.conf"),
                SparkSessionFactory.launcherDefaults(sparkConf.toString(), conf.toString()));
        assertEquals(conf.resolve("spark-defaults.conf"), SparkSessionFactory.launcherDefaults(null, conf.toString()));
    }

    @Test
    void propertiesFilesAreReadAsSparkSubmitReadsThem() throws Exception {
        Path f = tmp.resolve("p.conf");
        Files.writeString(f, "# comment\nspark.executor.memory    2g  \nspark.driver.extraJavaOptions -Da=1 -Db=2\n"
                + "not.spark ignored\n");
        assertEquals(Map.of("spark.executor.memory", "2g", "spark.driver.extraJavaOptions", "-Da=1 -Db=2"),
                SparkSessionFactory.load(f));
        String m = assertThrows(ConfigException.class, () -> SparkSessionFactory.load(tmp.resolve("none")))
                .getMessage();
        assertTrue(m.startsWith("--properties-file must be an existing file"), m);
    }

    @Test
    void theShippedDefaultsParse() {
        Path shipped = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/spark-defaults.conf");
        Map<String, String> m = SparkSessionFactory.load(shipped);
        assertEquals(KryoRegistrator.class.getName(), m.get("spark.kryo.registrator"));
        assertTrue(m.get("spark.executor.extraJavaOptions").startsWith("--add-opens="));
    }
}
