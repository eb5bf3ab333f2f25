package io.reviewrnn.core.store;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
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
    /** A temporary directory nothing has written to for this long is abandoned (its writer died). */
    public static final Duration STALE_AFTER = Duration.ofHours(24);
    private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.tmp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}"
            + "-[0-9a-f]{12}");

    private final FileSystem fs;
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private final String marker;
    private boolean committed;

    private AtomicDirectory(FileSystem fs, Path target, boolean overwrite, String marker) {
        this.fs = fs;
        this.target = target;
        this.overwrite = overwrite;
        this.marker = marker;
        this.temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    }

    /**
     * Starts a new directory. Fails at once if {@code target} exists and {@code overwrite} is false; with
     * {@code overwrite}, refuses to replace an existing {@code target} unless it is a directory holding
     * {@code marker}, the file every output of this kind holds (e.g. {@code manifest.json}), or is empty. Removes
     * the stale temporary directories earlier writers of {@code target} left behind ({@link #sweepStale}).
     */
    public static AtomicDirectory begin(FileSystem fs, Path target, boolean overwrite, String marker)
            throws IOException {
        Path qualified = fs.makeQualified(target);
        if (fs.exists(qualified)) {
            if (!overwrite) {
                throw new OutputExistsException(qualified.toString());
            }
            requireReplaceable(fs, qualified, marker);
        }
        sweepStale(fs, qualified, STALE_AFTER);
        AtomicDirectory d = new AtomicDirectory(fs, qualified, overwrite, marker);
        if (!fs.mkdirs(d.temp)) {
            throw new IOException("cannot create " + d.temp);
        }
        return d;
    }

    /**
     * Refuses to replace {@code target} unless it is an empty directory or a directory holding {@code marker}: an
     * {@code --overwrite} replaces our own earlier output, never a file or a directory of something else.
     */
    public static void requireReplaceable(FileSystem fs, Path target, String marker) throws IOException {
        FileStatus status;
        try {
            status = fs.getFileStatus(target);
        } catch (java.io.FileNotFoundException e) {
            return;
        }
        if (!status.isDirectory()) {
            throw new OutputExistsException(target, "it is a file, not an output directory");
        }
        if (marker != null && fs.exists(new Path(target, marker))) {
            return;
        }
        FileStatus[] children = fs.listStatus(target);
        if (children.length == 0) {
            return;
        }
        java.util.List<String> found = new java.util.ArrayList<>();
        for (FileStatus c : children) {
            found.add(c.getPath().getName() + (c.isDirectory() ? "/" : ""));
        }
        java.util.Collections.sort(found);
        throw new OutputExistsException(target, "it holds no " + (marker == null ? "output marker" : marker)
                + ", so it is not this command's output (it holds " + (found.size() > 10
                ? String.join(", ", found.subList(0, 10)) + " and " + (found.size() - 10) + " more"
                : String.join(", ", found)) + ")");
    }

    /**
     * Deletes the temporary directories {@code .<name>.tmp-<uuid>} of {@code target} that nothing has written to
     * for {@code staleAfter} (their writer was killed): only ours (that exact pattern, next to {@code target}), only
     * stale (newest modification time in the whole tree), so a live writer is never disturbed. Returns their names.
     */
    public static java.util.List<String> sweepStale(FileSystem fs, Path target, Duration staleAfter)
            throws IOException {
        java.util.List<String> swept = new java.util.ArrayList<>();
        Path parent = target.getParent();
        if (parent == null || !fs.exists(parent)) {
            return swept;
        }
        long cutoff = System.currentTimeMillis() - staleAfter.toMillis();
        for (FileStatus st : fs.listStatus(parent)) {
            Matcher m = TEMP.matcher(st.getPath().getName());
            if (!m.matches() || !m.group(1).equals(target.getName()) || newest(fs, st) >= cutoff) {
                continue;
            }
            if (fs.delete(st.getPath(), true)) {
                LOG.info("removed {}, a temporary output abandoned by an earlier run", st.getPath());
                swept.add(st.getPath().getName());
            }
        }
        return swept;
    }

    private static long newest(FileSystem fs, FileStatus st) throws IOException {
        long newest = st.getModificationTime();
        if (st.isDirectory()) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(st.getPath(), true);
            while (it.hasNext()) {
                newest = Math.max(newest, it.next().getModificationTime());
            }
        }
        return newest;
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
            requireReplaceable(fs, target, marker);
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
