package io.reviewrnn.jobs.io;

import io.reviewrnn.core.corpus.CorpusFormat;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.io.Serializable;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.datavec.spark.util.SerializableHadoopConfig;

/**
 * Opens input files inside Spark tasks by a name the driver chose: local files with java.io (no Hadoop
 * configuration to ship, no per-file Path parsing, status call or double buffering), anything else through the
 * Hadoop FileSystem with the driver's configuration broadcast once per Spark context. Serializable.
 */
abstract class FileOpener implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int FILE_BUFFER = 8192;

    /** The opener for files of {@code fs}. */
    static FileOpener of(FileSystem fs, JavaSparkContext jsc) {
        return local(fs) instanceof RawLocalFileSystem ? new Local() : new Hadoop(BroadcastHadoopConfigHolder.get(jsc));
    }

    /** The name under which the tasks open {@code path}. */
    abstract String name(FileSystem fs, Path path) throws IOException;

    abstract InputStream open(String name) throws IOException;

    /** {@code name} as a Parquet input file (random access). */
    abstract InputFile inputFile(String name) throws IOException;

    /** True when {@code name} is read through a decompressor (its content cannot be split by byte ranges). */
    static boolean compressed(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return CorpusFormat.COMPRESSED.stream().anyMatch(n::endsWith);
    }

    /** {@link #open}, decompressed by the file name's extension (gzip, bzip2, ... as Spark's readers do). */
    InputStream openDecompressed(String name) throws IOException {
        InputStream raw = open(name);
        if (!compressed(name)) {
            return raw;
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        CompressionCodec codec = new CompressionCodecFactory(new Configuration()).getCodec(new Path(name));
        if (codec == null) {
            raw.close();
            throw new IOException("no decompressor for " + name);
        }
        return codec.createInputStream(raw);
    }

    /** The raw local file system behind {@code fs}, or {@code fs} itself. */
    static FileSystem local(FileSystem fs) {
        return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    }

    /** Plain local paths, read with java.io. */
    static final class Local extends FileOpener {
        private static final long serialVersionUID = 1L;

        @Override
        String name(FileSystem fs, Path path) {
            return ((RawLocalFileSystem) local(fs)).pathToFile(path).getAbsolutePath();
        }

        @Override
        InputStream open(String name) throws IOException {
            return new FileInputStream(name);
        }

        @Override
        InputFile inputFile(String name) {
            return new InputFile() {
                @Override
                public long getLength() throws IOException {
                    return java.nio.file.Files.size(java.nio.file.Path.of(name));
                }

                @Override
                public SeekableInputStream newStream() throws IOException {
                    RandomAccessFile file = new RandomAccessFile(name, "r");
                    return new DelegatingSeekableInputStream(Channels.newInputStream(file.getChannel())) {
                        @Override
                        public long getPos() throws IOException {
                            return file.getFilePointer();
                        }

                        @Override
                        public void seek(long pos) throws IOException {
                            file.seek(pos);
                        }
                    };
                }
            };
        }
    }

    /** Any Hadoop file system, with the driver's configuration broadcast once per Spark context. */
    static final class Hadoop extends FileOpener {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SerializableHadoopConfig> conf;
        private transient FileSystem fs;

        Hadoop(Broadcast<SerializableHadoopConfig> conf) {
            this.conf = conf;
        }

        @Override
        String name(FileSystem fs, Path path) {
            return fs.makeQualified(path).toString();
        }

        @Override
        InputStream open(String name) throws IOException {
            Path p = new Path(name);
            if (fs == null) {
                fs = p.getFileSystem(conf.value().getConfiguration());
            }
            // An explicit buffer size: open(Path) looks io.file.buffer.size up in the configuration once per file.
            return fs.open(p, FILE_BUFFER);
        }

        @Override
        InputFile inputFile(String name) throws IOException {
            return HadoopInputFile.fromPath(new Path(name), conf.value().getConfiguration());
        }
    }
}
