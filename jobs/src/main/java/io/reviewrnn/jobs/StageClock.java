package io.reviewrnn.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;

/**
 * Times the named stages of a job, logs each one as it starts and ends, and labels the Spark jobs it runs so
 * they are recognisable in the Spark UI. Not thread-safe.
 */
public final class StageClock {
    private final Logger log;
    private final SparkContext sc;
    private final String job;
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private String current;
    private long currentStart;

    public StageClock(Logger log, SparkContext sc, String job) {
        this.log = log;
        this.sc = sc;
        this.job = job;
    }

    /** Ends the running stage, if any, and starts {@code stage}. */
    public void start(String stage) {
        end();
        current = stage;
        currentStart = System.nanoTime();
        if (sc != null) {
            sc.setJobDescription(job + ": " + stage);
        }
        log.info("[{}] {} ...", job, stage);
    }

    /** Ends the running stage, logging {@code detail} with its duration. */
    public void end(String detailFormat, Object... args) {
        if (current == null) {
            return;
        }
        double s = (System.nanoTime() - currentStart) / 1e9;
        seconds.merge(current, s, Double::sum);
        String detail = detailFormat == null ? "" : ": " + String.format(detailFormat, args);
        log.info("[{}] {} done in {} s{}", job, current, String.format("%.2f", s), detail);
        current = null;
        if (sc != null) {
            sc.setJobDescription(null);
        }
    }

    public void end() {
        end(null);
    }

    public Map<String, Double> seconds() {
        return seconds;
    }

    public double totalSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
