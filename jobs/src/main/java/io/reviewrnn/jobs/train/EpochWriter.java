package io.reviewrnn.jobs.train;

import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.TrainingHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what an epoch leaves in the run directory (history.json, the two plots, the best checkpoint when it
 * improved, the last checkpoint) on a background thread while the next epoch trains. On HDFS these writes take
 * seconds (a file close waits for the DataNode's block report), which the next epoch no longer waits for.
 *
 * <p>The epoch's network is serialized by the caller before it is handed over ({@link Checkpoint#content}), so
 * the writes see the epoch's state whatever training does meanwhile. At most one epoch is in flight: handing
 * over epoch k+1 first waits for epoch k's writes, so they happen in order and a failure surfaces at the next
 * epoch boundary as a {@link CheckpointWriteException} naming the epoch. Each checkpoint is still committed
 * atomically, so a crash at any moment leaves the previous complete checkpoints. The epoch listener runs on the
 * caller's thread once its epoch's writes are durable.
 *
 * <p>Not thread-safe: one instance per run, used by the driver's training thread.
 */
final class EpochWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EpochWriter.class);

    /** What one epoch writes. {@code best} is null when the epoch did not improve the monitored metric. */
    record Epoch(EpochMetrics metrics, EarlyStopping.State state, List<EpochMetrics> history,
            Checkpoint.Content best, Checkpoint.Content last) {
    }

    private final RunDirectory dir;
    private final TrainJob.EpochListener listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "review-rnn-epoch-writer");
        t.setDaemon(true);
        return t;
    });
    private Future<Double> pending;
    private Epoch pendingEpoch;

    EpochWriter(RunDirectory dir, TrainJob.EpochListener listener) {
        this.dir = dir;
        this.listener = listener;
    }

    /** Waits for the previous epoch's writes (and runs its listener), then starts writing {@code epoch}. */
    void submit(Epoch epoch) throws Exception {
        await();
        pending = thread.submit(() -> write(epoch));
        pendingEpoch = epoch;
    }

    /** Waits for the last epoch's writes and runs its listener (the end of a run). */
    void finish() throws Exception {
        await();
    }

    private void await() throws Exception {
        if (pending == null) {
            return;
        }
        long start = System.nanoTime();
        Epoch e = pendingEpoch;
        double took;
        try {
            took = pending.get();
        } catch (ExecutionException x) {
            Throwable cause = x.getCause() instanceof UncheckedIOException u ? u.getCause() : x.getCause();
            throw cause instanceof IOException io ? new CheckpointWriteException(e.metrics().epoch(), dir.path(), io)
                    : new IllegalStateException("writing epoch " + e.metrics().epoch() + " failed", cause);
        } finally {
            pending = null;
            pendingEpoch = null;
        }
        LOG.debug("epoch {}: history, plots and checkpoints written in {} s (waited {} s)", e.metrics().epoch(),
                String.format("%.2f", took), String.format("%.2f", (System.nanoTime() - start) / 1e9));
        listener.afterEpoch(e.metrics(), e.state());
    }

    private double write(Epoch e) throws IOException {
        long start = System.nanoTime();
        new TrainingHistory(e.history()).write(dir.fs(), dir.path());
        if (e.best() != null) {
            dir.store().saveBest(e.best());
        }
        dir.store().saveLast(e.last());
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Ends the writer. After {@link #finish} there is nothing left; on a failed run it still lets an epoch's writes
     * in flight complete (so its checkpoint is not lost), without running the listener.
     */
    @Override
    public void close() {
        try {
            if (pending != null) {
                pending.get();
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException x) {
            LOG.warn("the checkpoint of epoch {} could not be written either: {}", pendingEpoch.metrics().epoch(),
                    x.getCause().toString());
        } finally {
            thread.shutdown();
        }
    }
}
