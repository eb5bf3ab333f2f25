package io.reviewrnn.jobs.train;

import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.RunReport;
import io.reviewrnn.core.train.TrainingHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what an epoch leaves in the run directory (history.json, the two plots, the best checkpoint when it
 * improved, the last checkpoint, report.html) on a background thread while training goes on. On HDFS these writes take seconds
 * (every file close waits for the DataNode), often more than a small model's epoch; training never waits for them.
 *
 * <p>The epoch's network is serialized by the caller before it is handed over ({@link Checkpoint#content}), so
 * the writes see the epoch's state whatever training does meanwhile. One write is in flight at a time. Epochs that
 * end while it runs are <em>coalesced</em>: the next write, started at the first epoch boundary after the running
 * one completed, takes the newest history and last checkpoint and the newest improved best checkpoint, which is
 * what writing every epoch in turn would have left. So the run directory lags the training by at most the epochs
 * of one write, and a crash loses at most those: each checkpoint is still committed atomically, and {@code --resume}
 * continues from the newest durable one exactly as an uninterrupted run. A failed write surfaces at the next epoch
 * boundary as a {@link CheckpointWriteException} naming the epoch. The epoch listener runs on the caller's thread,
 * once per epoch and in order, when a write that covers that epoch is durable. {@link #finish} and {@link #close}
 * write what is still queued. A {@link #synchronous} writer (a job with an epoch listener) makes each epoch wait
 * for its own writes and listener instead: no coalescing, the run directory never lags.
 *
 * <p>Not thread-safe: one instance per run, used by the driver's training thread.
 */
final class EpochWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EpochWriter.class);

    /** What one epoch writes. {@code best} is null when the epoch did not improve the monitored metric. */
    record Epoch(EpochMetrics metrics, EarlyStopping.State state, List<EpochMetrics> history,
            Checkpoint.Content best, Checkpoint.Content last) {

        /** This epoch's writes followed by {@code next}'s: next's history and last checkpoint, the newest best. */
        Epoch then(Epoch next) {
            return new Epoch(next.metrics, next.state, next.history, next.best != null ? next.best : best, next.last);
        }
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
    private final List<Epoch> pendingCovers = new ArrayList<>();
    private Epoch queued;
    private final List<Epoch> queuedCovers = new ArrayList<>();

    private final boolean synchronous;

    /** Background writes, coalesced when the file system is slower than the epochs. */
    EpochWriter(RunDirectory dir) {
        this(dir, (m, s) -> { }, false);
    }

    private EpochWriter(RunDirectory dir, TrainJob.EpochListener listener, boolean synchronous) {
        this.dir = dir;
        this.listener = listener;
        this.synchronous = synchronous;
    }

    /** Background writes with an epoch listener: each epoch waits for its writes and listener to complete. */
    static EpochWriter synchronous(RunDirectory dir, TrainJob.EpochListener listener) {
        return new EpochWriter(dir, listener, true);
    }

    /** Background writes, coalesced, with an epoch listener that runs once a write covering its epoch is durable. */
    static EpochWriter coalescing(RunDirectory dir, TrainJob.EpochListener listener) {
        return new EpochWriter(dir, listener, false);
    }

    /**
     * Hands over a finished epoch. If the write in flight has completed, its listeners run and a write of this
     * epoch (coalesced with any queued ones) starts; otherwise the epoch is queued and training goes on.
     */
    void submit(Epoch epoch) throws Exception {
        queued = queued == null ? epoch : queued.then(epoch);
        queuedCovers.add(epoch);
        if (pending == null || pending.isDone() || synchronous) {
            await();
            startQueued();
            if (synchronous) {
                await();
            }
        } else {
            LOG.debug("epoch {}: the writes of epoch {} are still running; queued", epoch.metrics().epoch(),
                    pendingEpoch.metrics().epoch());
        }
    }

    /** Writes everything still queued and waits for it (the end of a run); every listener has run afterwards. */
    void finish() throws Exception {
        await();
        startQueued();
        await();
    }

    private void startQueued() {
        if (queued == null) {
            return;
        }
        Epoch e = queued;
        pending = thread.submit(() -> write(e));
        pendingEpoch = e;
        pendingCovers.addAll(queuedCovers);
        queued = null;
        queuedCovers.clear();
    }

    private void await() throws Exception {
        if (pending == null) {
            return;
        }
        long start = System.nanoTime();
        Epoch e = pendingEpoch;
        List<Epoch> covers = List.copyOf(pendingCovers);
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
            pendingCovers.clear();
        }
        LOG.debug("epoch {} (covering {} epochs): history, plots and checkpoints written in {} s (waited {} s)",
                e.metrics().epoch(), covers.size(), String.format("%.2f", took),
                String.format("%.2f", (System.nanoTime() - start) / 1e9));
        for (Epoch c : covers) {
            listener.afterEpoch(c.metrics(), c.state());
        }
    }

    private double write(Epoch e) throws IOException {
        long start = System.nanoTime();
        new TrainingHistory(e.history()).write(dir.fs(), dir.path());
        if (e.best() != null) {
            dir.store().saveBest(e.best());
        }
        dir.store().saveLast(e.last());
        try {
            RunReport.write(dir.fs(), dir.path());
        } catch (IOException | RuntimeException x) {
            // The checkpoints are durable by now; the report is derived from the run directory and is rewritten
            // after the next epoch, so a failure here must not fail the run.
            LOG.warn("epoch {}: report.html not updated: {}", e.metrics().epoch(), x.toString());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Ends the writer. After {@link #finish} there is nothing left; on a failed run it still lets the write in
     * flight complete and writes the newest queued epoch (so no finished epoch's checkpoint is lost), without
     * running listeners.
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
        }
        try {
            if (queued != null && !Thread.currentThread().isInterrupted()) {
                write(queued);
            }
        } catch (IOException | RuntimeException x) {
            LOG.warn("the checkpoint of epoch {} could not be written either: {}", queued.metrics().epoch(),
                    x.toString());
        } finally {
            pending = null;
            queued = null;
            thread.shutdown();
        }
    }
}
