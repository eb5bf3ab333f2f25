package io.reviewrnn.jobs.train;

import io.reviewrnn.core.registry.RetrainLock;
import io.reviewrnn.core.store.CheckpointStore;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run directory of {@code train} on its file system: effective config, model spec, history, plots,
 * checkpoints and result (layout in docs/TRAINING.md), and the run-directory lock ({@code _lock/}) that one run
 * holds while it works there.
 *
 * @param fs    the run directory's file system
 * @param path  the run directory, fully qualified
 * @param store its checkpoints
 */
record RunDirectory(FileSystem fs, Path path, CheckpointStore store) {
    static final String CONFIG_FILE = "config.yaml";
    static final String MODEL_FILE = "model.yaml";
    static final String RESULT_FILE = "result.json";
    static final String EXPORT_DIR = "minibatches";

    static RunDirectory open(Configuration conf, String dir) throws IOException {
        Path p = new Path(dir);
        FileSystem fs = p.getFileSystem(conf);
        Path qualified = fs.makeQualified(p);
        return new RunDirectory(fs, qualified, new CheckpointStore(fs, qualified));
    }

    /**
     * Takes the run-directory lock for {@code runId} before anything is read or written, so that of two runs started
     * on one directory only one goes on; the other fails naming the holder, having written nothing.
     */
    RetrainLock.Lease lock(String runId) throws IOException {
        return RetrainLock.ofRunDirectory(fs, path).acquireForRun(runId);
    }

    /** Deletes everything in the directory but its lock (for {@code overwrite}, while this run holds the lock). */
    void clear() throws IOException {
        for (FileStatus s : fs.listStatus(path)) {
            if (!s.getPath().getName().equals(RetrainLock.RUN_DIRECTORY_LOCK)) {
                fs.delete(s.getPath(), true);
            }
        }
    }

    Path file(String name) {
        return new Path(path, name);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
