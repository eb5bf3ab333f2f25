package io.reviewrnn.jobs.testing;

import java.util.Map;
import io.reviewrnn.jobs.SparkSessionFactory;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2,2]} Spark session (two cores; a failed task is retried once, as on a cluster) shared by every IT
 * in the JVM (started once, stopped at JVM exit), the way
 * Spark's own SharedSparkSession does it, so each IT class does not pay Spark's start-up again.
 */
public final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    public static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSessionFactory.getOrCreate("review-rnn-it", "local[2,2]", Map.of(
                    "spark.sql.shuffle.partitions", "4",
                    "spark.ui.enabled", "false"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
        }
        return session;
    }
}
