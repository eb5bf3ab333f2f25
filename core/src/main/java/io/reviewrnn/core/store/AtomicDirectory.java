package io.reviewrnn.core.store;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a directory under a hidden temporary sibling and publishes it with one rename, so a reader sees either
 * the whole directory (with its {@code _SUCCESS} marker) or nothing. A crash leaves only a hidden
 * {@code .<name>.tmp-<uuid>} folder, which no reader takes for output. Works on any Hadoop FileSystem whose
 * directory rename is atomic (HDFS, local).
 *
 * <p>Not thread-safe: one writer per instance.
 */
public final class AtomicDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicDirectory.class);
    public static final String SUCCESS = "_SUCCESS";

    private final FileSystem fs;
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private boolean committed;

    private AtomicDirectory(FileSystem fs, Path target, boolean overwrite) {
        this.fs = fs;
        this.target = target;
        this.overwrite = overwrite;
        this.temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    }

    /** Starts a new directory; fails at once if {@code target} exists and {@code overwrite} is false. */
    public static AtomicDirectory begin(FileSystem fs, Path target, boolean overwrite) throws IOException {
        Path qualified = fs.makeQualified(target);
        if (!overwrite && fs.exists(qualified)) {
            throw new OutputExistsException(qualified.toString());
        }
        AtomicDirectory d = new AtomicDirectory(fs, qualified, overwrite);
        if (!fs.mkdirs(d.temp)) {
            throw new IOException("cannot create " + d.temp);
        }
        return d;
    }

    /** Where to write the content before {@link #commit()}. */
    public Path temp() {
        return temp;
    }

    public Path target() {
        return target;
    }

    public FileSystem fs() {
        return fs;
    }

    /** Marks the content complete and publishes it at {@link #target()}, replacing an old one if allowed. */
    public void commit() throws IOException {
        fs.create(new Path(temp, SUCCESS), true).close();
        Path old = null;
        if (fs.exists(target)) {
            if (!overwrite) {
                throw new OutputExistsException(target.toString());
            }
            old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(target, old)) {
                throw new IOException("cannot move old output " + target + " aside");
            }
        }
        if (!fs.rename(temp, target)) {
            if (old != null) {
                fs.rename(old, target);
            }
            throw new IOException("cannot publish " + temp + " as " + target);
        }
        committed = true;
        if (old != null && !fs.delete(old, true)) {
            LOG.warn("could not delete the replaced output {}", old);
        }
    }

    /** Deletes the temporary content unless it was committed. */
    @Override
    public void close() {
        if (!committed) {
            try {
                fs.delete(temp, true);
            } catch (IOException e) {
                LOG.warn("could not delete temporary output {}: {}", temp, e.getMessage());
            }
        }
    }

    /**
     * Repairs {@code target} after a writer died inside {@link #commit()} with {@code overwrite}: if the target is
     * missing but a complete moved-aside previous version ({@code .<name>.old-*}) exists, that version is put back;
     * leftover temporary and moved-aside folders are deleted. Call it only when no writer is active (e.g. before
     * resuming a run). Returns true when {@code target} holds committed output afterwards.
     */
    public static boolean recover(FileSystem fs, Path target) throws IOException {
        Path qualified = fs.makeQualified(target);
        Path parent = qualified.getParent();
        if (!fs.exists(parent)) {
            return false;
        }
        String oldPrefix = "." + qualified.getName() + ".old-";
        String tmpPrefix = "." + qualified.getName() + ".tmp-";
        boolean complete = isComplete(fs, qualified);
        for (var st : fs.listStatus(parent)) {
            String name = st.getPath().getName();
            if (name.startsWith(oldPrefix) && !complete && isComplete(fs, st.getPath())) {
                if (fs.exists(qualified)) {
                    fs.delete(qualified, true); // an incomplete target can only be debris
                }
                if (!fs.rename(st.getPath(), qualified)) {
                    throw new IOException("cannot restore " + st.getPath() + " as " + qualified);
                }
                LOG.warn("restored {} from {} left by an interrupted commit", qualified, name);
                complete = true;
            } else if (name.startsWith(oldPrefix) || name.startsWith(tmpPrefix)) {
                fs.delete(st.getPath(), true);
            }
        }
        return complete;
    }

    /**
     * Where committed output for {@code target} can be read: {@code target} itself when complete, else a complete
     * moved-aside previous version left by a writer that died inside {@link #commit()}, else null. Read-only.
     */
    public static Path readable(FileSystem fs, Path target) throws IOException {
        Path qualified = fs.makeQualified(target);
        if (isComplete(fs, qualified)) {
            return qualified;
        }
        if (qualified.getParent() == null || !fs.exists(qualified.getParent())) {
            return null;
        }
        String oldPrefix = "." + qualified.getName() + ".old-";
        for (var st : fs.listStatus(qualified.getParent())) {
            if (st.getPath().getName().startsWith(oldPrefix) && isComplete(fs, st.getPath())) {
                return st.getPath();
            }
        }
        return null;
    }

    /** True when {@code dir} holds committed output. */
    public static boolean isComplete(FileSystem fs, Path dir) throws IOException {
        return fs.exists(new Path(dir, SUCCESS));
    }
}
