package io.reviewrnn.jobs;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Gets the Spark session for a command. Under {@code spark-submit} it reuses the configuration spark-submit
 * set; started from the launcher or a plain {@code java} command with no master anywhere, it falls back to the
 * embedded default: {@code local[*]} bound to the loopback interface. Jobs themselves never set a master.
 */
public final class SparkSessionFactory {
    public static final String EMBEDDED_MASTER = "local[*]";

    private SparkSessionFactory() {
    }

    /**
     * @param master explicit master, or null to use spark-submit's / {@code spark.master}, else the embedded one
     * @param conf extra Spark settings ({@code --conf key=value})
     */
    public static SparkSession getOrCreate(String appName, String master, Map<String, String> conf) {
        SparkConf defaults = new SparkConf(true); // loads spark.* system properties, as spark-submit sets them
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        String effective = master != null ? master : defaults.get("spark.master", null);
        if (effective == null) {
            effective = EMBEDDED_MASTER;
        }
        b.master(effective);
        if (effective.startsWith("local") && !defaults.contains("spark.driver.host")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        b.config("spark.sql.shuffle.partitions", defaults.get("spark.sql.shuffle.partitions",
                effective.startsWith("local") ? String.valueOf(Math.max(4, 2 * Runtime.getRuntime()
                        .availableProcessors())) : "200"));
        b.config("spark.ui.showConsoleProgress", defaults.get("spark.ui.showConsoleProgress", "false"));
        if (!defaults.contains("spark.serializer")) {
            // Kryo is several times faster than Java serialization for shuffled rows and word counts; ND4J's
            // registrator makes INDArrays (DL4J training) safe under it.
            b.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
            b.config("spark.kryo.registrator", defaults.get("spark.kryo.registrator", KryoRegistrator.class.getName()));
        }
        conf.forEach(b::config);
        return b.getOrCreate();
    }
}
