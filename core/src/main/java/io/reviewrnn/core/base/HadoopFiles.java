package io.reviewrnn.core.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small whole-file operations on a Hadoop FileSystem, with a temp-and-rename write for single files. */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /**
     * Writes {@code bytes} to a hidden temporary sibling, then renames it over {@code target}, so a reader sees
     * the old or the new content, never a partial file (on HDFS the old file is deleted just before the rename,
     * since HDFS rename does not overwrite; a reader in that instant sees no file).
     */
    public static void writeAtomically(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        if (fs.exists(target) && !fs.delete(target, false)) {
            fs.delete(tmp, false);
            throw new IOException("cannot replace " + target);
        }
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /** Writes {@code bytes} to {@code target}, replacing it (for files inside a directory that is committed as a whole). */
    public static void write(FileSystem fs, Path target, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(target, true)) {
            out.write(bytes);
        }
    }

    public static byte[] read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }
}
