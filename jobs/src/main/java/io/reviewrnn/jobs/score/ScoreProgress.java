package io.reviewrnn.jobs.score;

import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;

/**
 * A driver thread that polls an accumulator the executors add scored records to (per minibatch; Spark merges
 * task updates as tasks finish) and logs records done, records/s and an ETA at a fixed interval. Close it to stop.
 */
final class ScoreProgress implements AutoCloseable {
    private final Logger log;
    private final LongAccumulator done;
    private final long total;
    private final long start = System.nanoTime();
    private final Thread thread;

    ScoreProgress(Logger log, String what, LongAccumulator done, long total, int intervalSeconds) {
        this.log = log;
        this.done = done;
        this.total = total;
        this.thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(intervalSeconds * 1000L);
                    log(what);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "review-rnn-" + what + "-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private void log(String what) {
        long n = done.value();
        double s = seconds();
        double rate = s > 0 ? n / s : 0;
        String eta = rate > 0 && n < total ? String.format("%.0f s", (total - n) / rate) : "-";
        log.info("{}: {}/{} records ({}%), {} records/s, ETA {}", what, n, total,
                total == 0 ? 100 : String.format("%.1f", 100.0 * n / total), String.format("%.0f", rate), eta);
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
