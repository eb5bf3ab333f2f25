package io.reviewrnn.jobs.cli;

import io.reviewrnn.jobs.SparkSessionFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Spark options shared by every command that runs a Spark job, with spark-submit's names and precedence:
 * {@code --master} over {@code --conf} over {@code --properties-file} (or the launcher's spark-defaults.conf).
 */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2], spark://host:7077, yarn (with HADOOP_CONF_DIR or YARN_CONF_DIR"
                    + " set). Default: spark-submit's, else the embedded local[*].")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Spark setting, wins over the properties file and spark-submit's settings; repeatable, "
                    + "e.g. --conf spark.executor.memory=4g.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--properties-file", paramLabel = "FILE",
            description = "Spark properties file, instead of $SPARK_CONF_DIR/spark-defaults.conf (else "
                    + "conf/spark-defaults.conf), as spark-submit's option.")
    String propertiesFile;

    @Option(names = "--deploy-mode", paramLabel = "client|cluster",
            description = "client (the driver runs here; the only mode from this command). For cluster mode submit"
                    + " with deploy/yarn/submit.sh or spark-submit.")
    String deployMode;

    /** The session for {@code command}: reuses spark-submit's, else starts the embedded default. */
    public SparkSession session(String command) {
        return SparkSessionFactory.getOrCreate("review-rnn " + command, master, conf, propertiesFile, deployMode);
    }
}
