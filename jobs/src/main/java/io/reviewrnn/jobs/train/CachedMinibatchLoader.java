package io.reviewrnn.jobs.train;

import java.io.IOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.impl.SerializedDataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link SerializedDataSetLoader} with a per-JVM cache of decoded minibatches: an exported minibatch file is
 * read and decoded once per executor JVM, and later epochs take a copy of it from memory. The export is immutable
 * for its run, and each export has its own id (see {@link MinibatchExport}), so a cached minibatch can never be taken
 * for another run's file of the same name. The cache holds at most {@code budgetBytes} of minibatch data (features
 * and labels) per JVM and evicts the least recently used; 0 turns it off.
 *
 * <p>Why: without it every averaging round opens its files again and decodes them float by float (DL4J's
 * {@code DataSet.load}, with a 4 MB read buffer per file), which on a small model is a large share of the round.
 *
 * <p>Thread-safe: the cache is shared by the tasks of the JVM and guarded by its own lock; each caller gets its own
 * copy of the arrays, so training can never change a cached minibatch.
 *
 * <p>A file that cannot be loaded fails its task ({@link #fit}). DL4J's read-ahead thread ({@code prefetch}) alone
 * would leave the task waiting forever: its {@code AsyncDataSetIterator} records the exception and ends without
 * telling a consumer that already waits for the next minibatch.
 */
final class CachedMinibatchLoader implements DataSetLoader {
    private static final long serialVersionUID = 1L;
    private static final Object LOCK = new Object();
    private static final Map<String, DataSet> CACHE = new LinkedHashMap<>(256, 0.75f, true);
    private static long cachedBytes;
    private static long hits;
    private static long misses;

    private final String exportId;
    private final long budgetBytes;
    /** The task thread fitting this loader's minibatches, and the load that failed ({@link #fit}; one per task). */
    private transient volatile Thread consumer;
    private transient volatile IOException failure;

    CachedMinibatchLoader(String exportId, long budgetBytes) {
        this.exportId = exportId;
        this.budgetBytes = budgetBytes;
    }

    /**
     * Runs {@code fit}, a task's fitting of minibatches that {@code loader} loads, possibly on DL4J's read-ahead
     * thread. A load that fails there wakes the task (an interrupt, cleared here) and is what the task fails with:
     * an {@link IOException} naming the file.
     */
    static <T> T fit(DataSetLoader loader, Callable<T> fit) throws Exception {
        if (!(loader instanceof CachedMinibatchLoader files)) {
            return fit.call();
        }
        files.consumer = Thread.currentThread();
        files.failure = null;
        try {
            return fit.call();
        } catch (Exception e) {
            IOException failed = files.failure;
            if (failed == null) {
                throw e;
            }
            Thread.interrupted();
            failed.addSuppressed(e);
            throw failed;
        } finally {
            files.consumer = null;
        }
    }

    @Override
    public DataSet load(Source source) throws IOException {
        try {
            return loadOrCached(source);
        } catch (IOException | RuntimeException e) {
            IOException failed = new IOException("cannot load minibatch " + source.getPath() + ": " + e, e);
            failure = failed;
            Thread task = consumer;
            if (task != null && task != Thread.currentThread()) {
                task.interrupt(); // DL4J's read-ahead thread: the task may be waiting for this minibatch
            }
            throw failed;
        }
    }

    private DataSet loadOrCached(Source source) throws IOException {
        if (budgetBytes <= 0) {
            return new SerializedDataSetLoader().load(source);
        }
        String key = exportId + '\n' + source.getPath();
        DataSet cached;
        synchronized (LOCK) {
            cached = CACHE.get(key);
            if (cached != null) {
                hits++;
            }
        }
        if (cached != null) {
            return copy(cached);
        }
        DataSet loaded;
        // Decoded outside any workspace: DL4J's prefetch thread loads inside its own cyclic workspace, whose memory is
        // reused on the next cycle, and a cached minibatch must outlive it.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            loaded = new SerializedDataSetLoader().load(source);
            loaded.detach();
        }
        long bytes = bytes(loaded);
        synchronized (LOCK) {
            misses++;
            if (bytes <= budgetBytes && CACHE.putIfAbsent(key, loaded) == null) {
                cachedBytes += bytes;
                Iterator<DataSet> lru = CACHE.values().iterator();
                while (cachedBytes > budgetBytes && lru.hasNext()) {
                    DataSet evicted = lru.next();
                    if (evicted != loaded) {
                        cachedBytes -= bytes(evicted);
                        lru.remove();
                    }
                }
            }
        }
        return copy(loaded);
    }

    /**
     * Whether every one of {@code paths} (as the loader receives them) is in this JVM's cache now, so that fitting them
     * reads no file. Does not count as a use of the cached minibatches.
     */
    boolean holdsAll(Collection<String> paths) {
        if (budgetBytes <= 0) {
            return false;
        }
        synchronized (LOCK) {
            for (String path : paths) {
                if (!CACHE.containsKey(exportId + '\n' + path)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static DataSet copy(DataSet ds) {
        return new DataSet(ds.getFeatures().dup(), ds.getLabels() == null ? null : ds.getLabels().dup(),
                ds.getFeaturesMaskArray() == null ? null : ds.getFeaturesMaskArray().dup(),
                ds.getLabelsMaskArray() == null ? null : ds.getLabelsMaskArray().dup());
    }

    private static long bytes(DataSet ds) {
        long b = ds.getFeatures().length() * ds.getFeatures().dataType().width();
        if (ds.getLabels() != null) {
            b += ds.getLabels().length() * ds.getLabels().dataType().width();
        }
        return b;
    }

    /** {hits, misses, cached bytes} of this JVM's cache (tests and logs). */
    static long[] stats() {
        synchronized (LOCK) {
            return new long[] {hits, misses, cachedBytes};
        }
    }
}
