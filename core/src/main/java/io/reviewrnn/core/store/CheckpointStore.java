package io.reviewrnn.core.store;

import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.text.Vocabulary;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checkpoints of one training run, under {@code <run_dir>/checkpoints/}: {@code best/} (replaced only when the
 * monitored metric improves) and {@code last/} (replaced after every epoch, for resume). Each is a
 * {@link Checkpoint} written atomically, so a crash while writing one never damages the other or the previous
 * version of itself. One writer per run; any number of readers.
 */
public final class CheckpointStore {
    public static final String DIR = "checkpoints";
    public static final String BEST = "best";
    public static final String LAST = "last";

    private final FileSystem fs;
    private final Path root;

    public CheckpointStore(FileSystem fs, Path runDir) {
        this.fs = fs;
        this.root = fs.makeQualified(new Path(runDir, DIR));
    }

    public Path bestPath() {
        return new Path(root, BEST);
    }

    public Path lastPath() {
        return new Path(root, LAST);
    }

    /** Writes {@code best/} without averaging state; returns the content hash. */
    public String saveBest(MultiLayerNetwork net, Vocabulary vocab, ModelSpec spec, Checkpoint.Metadata meta)
            throws IOException {
        return saveBest(net, vocab, spec, meta, null);
    }

    /** Writes {@code last/} without averaging state; returns the content hash. */
    public String saveLast(MultiLayerNetwork net, Vocabulary vocab, ModelSpec spec, Checkpoint.Metadata meta)
            throws IOException {
        return saveLast(net, vocab, spec, meta, null);
    }

    /** Writes {@code best/} (with the averaging rule's momentum buffer, or null); returns the content hash. */
    public String saveBest(MultiLayerNetwork net, Vocabulary vocab, ModelSpec spec, Checkpoint.Metadata meta,
            INDArray blockMomentum) throws IOException {
        return Checkpoint.write(fs, bestPath(), net, vocab, spec, meta, blockMomentum);
    }

    /** Writes {@code last/} (with the averaging rule's momentum buffer, or null); returns the content hash. */
    public String saveLast(MultiLayerNetwork net, Vocabulary vocab, ModelSpec spec, Checkpoint.Metadata meta,
            INDArray blockMomentum) throws IOException {
        return Checkpoint.write(fs, lastPath(), net, vocab, spec, meta, blockMomentum);
    }

    /** Writes serialized content to {@code best/}; returns the content hash. */
    public String saveBest(Checkpoint.Content content) throws IOException {
        return Checkpoint.write(fs, bestPath(), content);
    }

    /** Writes serialized content to {@code last/}; returns the content hash. */
    public String saveLast(Checkpoint.Content content) throws IOException {
        return Checkpoint.write(fs, lastPath(), content);
    }

    public Checkpoint loadBest(boolean withUpdater) throws IOException {
        return Checkpoint.load(fs, bestPath(), withUpdater);
    }

    public Checkpoint loadLast() throws IOException {
        return Checkpoint.load(fs, lastPath(), true);
    }

    /** Repairs both checkpoints after a crash inside a commit (call before resuming); true if {@code last/} exists. */
    public boolean recover() throws IOException {
        AtomicDirectory.recover(fs, bestPath());
        return AtomicDirectory.recover(fs, lastPath());
    }
}
