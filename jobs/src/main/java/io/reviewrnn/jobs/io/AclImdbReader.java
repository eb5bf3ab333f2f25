package io.reviewrnn.jobs.io;

import io.reviewrnn.jobs.Rdds;
import io.reviewrnn.core.config.CorpusSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the aclImdb layout, {@code <root>/{train,test}/{pos,neg,unsup}/<id>_<rating>.txt}, from a directory or a
 * {@code .tar.gz} of one. The label comes from the folder, the id and star rating from the file name.
 *
 * <p>A directory is listed on the driver and read file by file in parallel. A {@code .tar.gz} cannot be split
 * (gunzip and tar are sequential by nature): it is streamed by {@code min(partitions, cores,} {@value
 * #MAX_ARCHIVE_READERS}{@code )} tasks at once, each decompressing the whole archive (about 0.3 s per 100 MB) but
 * decoding and passing on only every k-th review, so the expensive per-review work (decoding, tokenizing,
 * counting, encoding) runs on every core and no review text goes through a shuffle.
 */
public final class AclImdbReader {
    private static final Pattern ENTRY = Pattern.compile("(?:^|.*/)(train|test)/(pos|neg|unsup)/([^/]+)\\.txt$");
    private static final Pattern NAME = Pattern.compile("(\\d+)_(\\d+)");
    /** Upper bound on the tasks that stream one archive side by side (each reads all of it). */
    static final int MAX_ARCHIVE_READERS = 16;

    private AclImdbReader() {
    }

    public static boolean isArchive(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        return p.endsWith(".tar.gz") || p.endsWith(".tgz");
    }

    public static JavaRDD<Row> read(SparkSession spark, CorpusSource source, int maxChars, int partitions)
            throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Path root = new Path(source.path());
        FileSystem fs = root.getFileSystem(jsc.hadoopConfiguration());
        JavaRDD<Row> rows;
        // Local files are opened with java.io in the tasks: no Hadoop configuration to ship (its broadcast alone took
        // 0.6 s of a 4 s job on IMDB) and no per-file Path parsing, status call and double buffering.
        FileOpener opener = FileOpener.of(fs, jsc);
        if (isArchive(source.path())) {
            int readers = Math.max(1, Math.min(MAX_ARCHIVE_READERS, Math.min(partitions, jsc.defaultParallelism())));
            String archive = opener.name(fs, root);
            List<Integer> shares = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                shares.add(i);
            }
            rows = Rdds.mapPartitions(jsc.parallelize(shares, readers), it -> new TarReviews(opener.open(archive),
                    archive, maxChars, it.next(), readers));
        } else {
            FileStatus[] dirs = fs.globStatus(new Path(root, "{train,test}/{pos,neg,unsup}"));
            if (dirs == null || dirs.length == 0) {
                throw new IOException("no aclImdb layout under " + root
                        + ": expected folders train/pos, train/neg, test/pos, test/neg (and optionally */unsup)");
            }
            // Listed here and read by path, not with binaryFiles: Spark's PortableDataStream serializes its whole
            // CombineFileSplit (every path of the partition) once per file, which is quadratic in the number of
            // files: 50,000 reviews on one core did not finish in 10 minutes.
            List<String> paths = new ArrayList<>();
            for (FileStatus dir : dirs) {
                listReviews(fs, dir.getPath(), opener, paths);
            }
            java.util.Collections.sort(paths); // the same partitions on every run, whatever the listing order
            rows = Rdds.mapPartitions(jsc.parallelize(paths, Math.max(1, Math.min(partitions, paths.size()))),
                    it -> readFiles(it, opener, maxChars));
        }
        return rows;
    }

    /** Adds the {@code .txt} files of {@code dir} to {@code paths}. */
    private static void listReviews(FileSystem fs, Path dir, FileOpener opener, List<String> paths) throws IOException {
        if (opener instanceof FileOpener.Local) {
            // Names only: Hadoop's listStatus stats every file and builds a qualified Path for it, 1-2 s for 50k
            // files against 0.05 s here. A directory named *.txt fails clearly when read.
            java.io.File d = new java.io.File(opener.name(fs, dir));
            String[] names = d.list();
            if (names == null) {
                throw new IOException("cannot list " + dir);
            }
            for (String name : names) {
                if (name.endsWith(".txt")) {
                    paths.add(d.getPath() + java.io.File.separator + name);
                }
            }
            return;
        }
        for (FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(".txt"))) {
            if (f.isFile()) {
                paths.add(opener.name(fs, f.getPath()));
            }
        }
    }

    private static Iterator<Row> readFiles(Iterator<String> paths, FileOpener opener, int maxChars) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return paths.hasNext();
            }

            @Override
            public Row next() {
                String path = paths.next();
                Matcher m = ENTRY.matcher(path);
                if (!m.matches()) {
                    return RawReviews.row(path, null, null, null, null, path, "not in the aclImdb layout");
                }
                try (InputStream in = opener.open(path)) {
                    return toRow(m, path, ReviewBytes.read(in, -1, maxChars));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path, e);
                }
            }
        };
    }

    private static Row toRow(Matcher m, String source, ReviewBytes.Decoded d) {
        String split = m.group(1);
        String cls = m.group(2);
        String name = m.group(3);
        Integer label = switch (cls) {
            case "pos" -> 1;
            case "neg" -> 0;
            default -> null;
        };
        Matcher nm = NAME.matcher(name);
        Integer rating = nm.matches() ? Integer.valueOf(nm.group(2)) : null;
        String id = split + "/" + cls + "/" + name;
        return RawReviews.row(id, split, label, rating, d.text(), source, d.error());
    }

    /** Streams the review entries of one .tar.gz, skipping everything that is not a review file. */
    private static final class TarReviews implements Iterator<Row> {
        private final TarArchiveInputStream tar;
        private final String archive;
        private final int maxChars;
        private final int share;
        private final int shares;
        private long entry;
        private Row next;
        private boolean closed;

        /** Streams {@code in}, keeping the review entries whose index modulo {@code shares} is {@code share}. */
        TarReviews(InputStream in, String archive, int maxChars, int share, int shares) throws IOException {
            this.tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                    new java.io.BufferedInputStream(in, 1 << 16), true));
            this.archive = archive;
            this.maxChars = maxChars;
            this.share = share;
            this.shares = shares;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (closed) {
                return false;
            }
            try {
                TarArchiveEntry e;
                while ((e = tar.getNextTarEntry()) != null) {
                    if (!e.isFile()) {
                        continue;
                    }
                    Matcher m = ENTRY.matcher(e.getName());
                    if (m.matches() && entry++ % shares == share) {
                        next = toRow(m, archive + "!" + e.getName(), ReviewBytes.read(tar, e.getSize(), maxChars));
                        return true;
                    }
                }
                tar.close();
                closed = true;
                return false;
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + archive + ": " + ex.getMessage(), ex);
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = next;
            next = null;
            return r;
        }
    }
}
