package io.reviewrnn.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Where a job ran, as recorded in manifests and reports: Spark master, version, parallelism, Java version. */
public final class SparkEnvironment {
    private SparkEnvironment() {
    }

    public static Map<String, String> of(SparkSession spark) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("spark_master", spark.sparkContext().master());
        env.put("spark_version", spark.version());
        env.put("default_parallelism", String.valueOf(spark.sparkContext().defaultParallelism()));
        env.put("java_version", System.getProperty("java.version"));
        return env;
    }
}
