package io.reviewrnn.jobs.train;

import io.reviewrnn.core.store.CheckpointStore;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run directory of {@code train} on its file system: effective config, model spec, history, plots,
 * checkpoints and result (layout in docs/TRAINING.md).
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

    Path file(String name) {
        return new Path(path, name);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
