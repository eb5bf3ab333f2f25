package io.reviewrnn.jobs.io;

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
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the aclImdb layout, {@code <root>/{train,test}/{pos,neg,unsup}/<id>_<rating>.txt}, from a directory or a
 * {@code .tar.gz} of one. The label comes from the folder, the id and star rating from the file name.
 *
 * <p>A directory is read file by file in parallel. A {@code .tar.gz} cannot be split: one task streams it
 * (gunzip and tar are sequential by nature, about a second per 100 MB) and the records are immediately
 * repartitioned, so tokenizing, counting and encoding still run on every core.
 */
public final class AclImdbReader {
    private static final Pattern ENTRY = Pattern.compile("(?:^|.*/)(train|test)/(pos|neg|unsup)/([^/]+)\\.txt$");
    private static final Pattern NAME = Pattern.compile("(\\d+)_(\\d+)");

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
        if (isArchive(source.path())) {
            rows = jsc.binaryFiles(root.toString(), 1)
                    .flatMap(f -> new TarReviews(f._2(), f._1(), maxChars))
                    .repartition(partitions);
        } else {
            FileStatus[] dirs = fs.globStatus(new Path(root, "{train,test}/{pos,neg,unsup}"));
            if (dirs == null || dirs.length == 0) {
                throw new IOException("no aclImdb layout under " + root
                        + ": expected folders train/pos, train/neg, test/pos, test/neg (and optionally */unsup)");
            }
            // Listed here and read by path, not with binaryFiles: Spark's PortableDataStream serializes its whole
            // CombineFileSplit (every path of the partition) once per file, which is quadratic in the number of
            // files: 50,000 reviews on one core did not finish in 10 minutes.
            FileStatus[] files = fs.globStatus(new Path(root, "{train,test}/{pos,neg,unsup}/*.txt"));
            List<String> paths = new ArrayList<>(files.length);
            for (FileStatus f : files) {
                if (f.isFile()) {
                    paths.add(f.getPath().toString());
                }
            }
            Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(jsc.hadoopConfiguration()));
            rows = jsc.parallelize(paths, Math.max(1, Math.min(partitions, paths.size())))
                    .mapPartitions(it -> readFiles(it, conf.value(), maxChars));
        }
        return rows;
    }

    private static Iterator<Row> readFiles(Iterator<String> paths, HadoopConf conf, int maxChars) {
        return new Iterator<>() {
            private FileSystem fs;

            @Override
            public boolean hasNext() {
                return paths.hasNext();
            }

            @Override
            public Row next() {
                String path = paths.next();
                try {
                    Path p = new Path(path);
                    if (fs == null) {
                        fs = p.getFileSystem(conf.get());
                    }
                    return fileRow(fs, p, path, maxChars);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path, e);
                }
            }
        };
    }

    private static Row fileRow(FileSystem fs, Path file, String path, int maxChars) throws IOException {
        Matcher m = ENTRY.matcher(path);
        if (!m.matches()) {
            return RawReviews.row(path, null, null, null, null, path, "not in the aclImdb layout");
        }
        try (InputStream in = fs.open(file)) {
            return toRow(m, path, ReviewBytes.read(in, -1, maxChars));
        }
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
        private Row next;
        private boolean closed;

        TarReviews(PortableDataStream stream, String archive, int maxChars) throws IOException {
            this.tar = new TarArchiveInputStream(new GzipCompressorInputStream(stream.open(), true));
            this.archive = archive;
            this.maxChars = maxChars;
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
                    if (m.matches()) {
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
