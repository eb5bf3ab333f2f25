package io.reviewrnn.jobs.cli;

import io.reviewrnn.jobs.SparkSessionFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Spark options shared by every command that runs a Spark job. */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2], spark://host:7077, yarn. Default: spark-submit's, "
                    + "else the embedded local[*].")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Extra Spark setting; repeatable, e.g. --conf spark.executor.memory=4g.")
    Map<String, String> conf = new LinkedHashMap<>();

    /** The session for {@code command}: reuses spark-submit's, else starts the embedded default. */
    public SparkSession session(String command) {
        return SparkSessionFactory.getOrCreate("review-rnn " + command, master, conf);
    }
}
