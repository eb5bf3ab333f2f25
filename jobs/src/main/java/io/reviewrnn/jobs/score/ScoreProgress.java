package io.reviewrnn.jobs.score;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * Live progress of a scoring pass: executors add scored records to an accumulator per minibatch; a
 * {@link SparkListener} reads its running value from the executor heartbeats (so progress moves while long tasks
 * run, not only when they end) and its final value at each task end; a driver thread logs records done,
 * records/s and, when the total is known ({@code total >= 0}), an ETA at a fixed interval. Close it to stop.
 */
public final class ScoreProgress implements AutoCloseable {
    private final SparkContext sc;
    private final long accumulatorId;
    private final long total;
    private final long start = System.nanoTime();
    private final AtomicLong finished = new AtomicLong();
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final Listener listener = new Listener();
    private final Thread thread;

    /** Progress of the records {@code done} counts, out of {@code total} (negative: not known). */
    public ScoreProgress(Logger log, SparkContext sc, String what, LongAccumulator done, long total,
            int intervalSeconds) {
        this.sc = sc;
        this.accumulatorId = done.id();
        this.total = total;
        sc.addSparkListener(listener);
        this.thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(intervalSeconds * 1000L);
                    log(log, what);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "review-rnn-" + what + "-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /** Records scored so far: finished tasks plus the last heartbeat of running ones. */
    long done() {
        long n = finished.get();
        for (long v : running.values()) {
            n += v;
        }
        return n;
    }

    private void log(Logger log, String what) {
        if (total < 0) {
            long n = done();
            double s = seconds();
            log.info("{}: {} records, {} records/s", what, n, String.format("%.0f", s > 0 ? n / s : 0));
            return;
        }
        long n = Math.min(done(), total);
        double s = seconds();
        double rate = s > 0 ? n / s : 0;
        String eta = rate > 0 && n < total ? String.format("%.0f s", (total - n) / rate) : "-";
        log.info("{}: {}/{} records ({}%), {} records/s, ETA {}", what, n, total,
                total == 0 ? "100" : String.format("%.1f", 100.0 * n / total), String.format("%.0f", rate), eta);
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** {@code rows}, adding one to {@code done} for every row taken (on the executor). */
    public static <T> java.util.Iterator<T> counting(java.util.Iterator<T> rows, LongAccumulator done) {
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public T next() {
                T t = rows.next();
                done.add(1);
                return t;
            }
        };
    }

    @Override
    public void close() {
        thread.interrupt();
        sc.removeSparkListener(listener);
    }

    private Long valueOf(AccumulableInfo info, boolean update) {
        if (info.id() != accumulatorId) {
            return null;
        }
        var v = update ? info.update() : info.value();
        if (v.isEmpty()) {
            v = info.update();
        }
        return v.isEmpty() ? null : ((Number) v.get()).longValue();
    }

    private final class Listener extends SparkListener {
        @Override
        public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
            for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> t
                    : JavaConverters.seqAsJavaList(e.accumUpdates())) {
                for (AccumulableInfo info : JavaConverters.seqAsJavaList(t._4())) {
                    Long v = valueOf(info, true);
                    if (v != null) {
                        running.put((Long) t._1(), v);
                    }
                }
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            long taskId = e.taskInfo().taskId();
            if (e.taskInfo().successful()) {
                for (AccumulableInfo info : JavaConverters.seqAsJavaList(e.taskInfo().accumulables())) {
                    Long v = valueOf(info, true);
                    if (v != null) {
                        finished.addAndGet(v);
                    }
                }
            }
            running.remove(taskId);
        }
    }
}
