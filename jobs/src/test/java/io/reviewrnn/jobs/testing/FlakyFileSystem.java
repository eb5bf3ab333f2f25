package io.reviewrnn.jobs.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code flaky:}, which fails chosen writes: after {@link #failNext}, the next
 * {@code n} files created whose path matches are written in full and then fail on close, as a task attempt that dies
 * after writing its output would. Registered through {@code META-INF/services}, so tasks find it with any Hadoop
 * configuration.
 */
public class FlakyFileSystem extends RawLocalFileSystem {
    private static final URI NAME = URI.create("flaky:///");
    private static final AtomicInteger LEFT = new AtomicInteger();
    private static final AtomicInteger INJECTED = new AtomicInteger();
    private static volatile Predicate<Path> target = p -> false;

    /** Fails the next {@code n} created files whose path matches {@code which}. */
    public static void failNext(int n, Predicate<Path> which) {
        INJECTED.set(0);
        target = which;
        LEFT.set(n);
    }

    /** Failures injected since {@link #failNext}. */
    public static int injected() {
        return INJECTED.get();
    }

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "flaky";
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return flaky(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        return flaky(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    private static FSDataOutputStream flaky(Path f, FSDataOutputStream out) {
        if (!target.test(f) || LEFT.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return out;
        }
        INJECTED.incrementAndGet();
        return new FSDataOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                super.close();
                throw new IOException("injected failure after writing " + f);
            }
        }, null);
    }
}
