package io.reviewrnn.core.corpus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reviewrnn.core.base.Yaml;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes generated reviews in one of the formats {@code prepare} reads: the aclImdb directory layout, a
 * {@code .tar.gz} of it, CSV ({@code review,sentiment}, the Kaggle IMDB form) or JSON Lines
 * ({@code id,text,label}). Works on any Hadoop FileSystem.
 */
public final class SyntheticCorpusWriter {

    private SyntheticCorpusWriter() {
    }

    /** Writes {@code reviews} to {@code target} in {@code format}; returns how many were written. */
    public static long write(Iterator<SyntheticReview> reviews, FileSystem fs, Path target, CorpusFormat format,
                             boolean tarGz) throws IOException {
        if (fs instanceof ChecksumFileSystem cfs) {
            cfs.setWriteChecksum(false);
        }
        long n = 0;
        switch (format) {
            case ACLIMDB -> {
                if (tarGz) {
                    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                            new GzipCompressorOutputStream(fs.create(target, false)))) {
                        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                        while (reviews.hasNext()) {
                            SyntheticReview r = reviews.next();
                            byte[] b = r.text().getBytes(StandardCharsets.UTF_8);
                            TarArchiveEntry e = new TarArchiveEntry("aclImdb/" + r.relativePath());
                            e.setSize(b.length);
                            tar.putArchiveEntry(e);
                            tar.write(b);
                            tar.closeArchiveEntry();
                            n++;
                        }
                    }
                } else {
                    while (reviews.hasNext()) {
                        SyntheticReview r = reviews.next();
                        try (OutputStream out = fs.create(new Path(target, r.relativePath()), false)) {
                            out.write(r.text().getBytes(StandardCharsets.UTF_8));
                        }
                        n++;
                    }
                }
            }
            case CSV -> {
                try (Writer w = new OutputStreamWriter(fs.create(target, false), StandardCharsets.UTF_8)) {
                    w.write("review,sentiment,split\n");
                    while (reviews.hasNext()) {
                        SyntheticReview r = reviews.next();
                        w.write('"' + r.text().replace("\"", "\"\"") + "\"," + (r.label() == 1 ? "positive" : "negative")
                                + "," + r.split() + "\n");
                        n++;
                    }
                }
            }
            case JSONL -> {
                try (Writer w = new OutputStreamWriter(fs.create(target, false), StandardCharsets.UTF_8)) {
                    while (reviews.hasNext()) {
                        SyntheticReview r = reviews.next();
                        ObjectNode o = Yaml.json().createObjectNode();
                        o.put("id", r.id());
                        o.put("text", r.text());
                        o.put("label", r.label());
                        o.put("split", r.split());
                        w.write(Yaml.json().writer().without(
                                com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
                        w.write('\n');
                        n++;
                    }
                }
            }
            default -> throw new IllegalArgumentException("cannot write a generated corpus as " + format.key()
                    + "; use aclimdb, csv or jsonl");
        }
        return n;
    }
}
