package io.reviewrnn.core.store;

import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.base.Yaml;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The payloads of the hostile-checkpoint probe, as someone who can write the checkpoint directory would make
 * them: every change is followed by recomputing {@code SHA256SUMS} and {@code content.sha256}, so the checkpoint's
 * own checksums hold.
 */
public final class HostileCheckpoints {
    private HostileCheckpoints() {
    }

    /**
     * A Java-serialized nested-HashSet graph ("SerialDOS"): a few KB whose deserialization computes 2^depth hash
     * codes; at depth 100 an unfiltered {@code readObject()} never returns.
     */
    public static byte[] nestedHashSetBomb(int depth) throws IOException {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("x"); // t1 and t2 must differ, or the set would hold one of them
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return serialize(root);
    }

    /** A class whose deserialization runs code of the checkpoint author's choosing (here: sets a flag). */
    public static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        public static final AtomicBoolean RAN = new AtomicBoolean();

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            RAN.set(true);
        }
    }

    public static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    /** {@code zip} with one more entry. */
    public static byte[] withEntry(byte[] zip, String name, byte[] content) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream out = new ZipOutputStream(b)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(name));
            out.write(content);
            out.closeEntry();
        }
        return b.toByteArray();
    }

    /** Adds {@code preprocessor.bin} holding {@code payload} to the checkpoint's network.zip and re-hashes it. */
    public static void addPreprocessor(FileSystem fs, Path checkpoint, byte[] payload) throws IOException {
        Path zip = new Path(checkpoint, Checkpoint.NETWORK);
        HadoopFiles.write(fs, zip, withEntry(HadoopFiles.read(fs, zip), "preprocessor.bin", payload));
        rehash(fs, checkpoint);
    }

    /** Swaps the ids of the first two words of the checkpoint's vocabulary (e.g. good and bad) and re-hashes it. */
    public static void swapTwoWords(FileSystem fs, Path checkpoint) throws IOException {
        Path vocab = new Path(checkpoint, Checkpoint.VOCABULARY);
        String[] lines = new String(HadoopFiles.read(fs, vocab), StandardCharsets.UTF_8).split("\n");
        // header, then "id<TAB>token<TAB>count" with the three reserved ids first: the first words are lines 4 and 5
        String[] a = lines[4].split("\t");
        String[] b = lines[5].split("\t");
        lines[4] = a[0] + "\t" + b[1] + "\t" + a[2];
        lines[5] = b[0] + "\t" + a[1] + "\t" + b[2];
        HadoopFiles.write(fs, vocab, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        rehash(fs, checkpoint);
    }

    /** Rewrites SHA256SUMS and content.sha256 for the checkpoint's current content files. */
    public static void rehash(FileSystem fs, Path checkpoint) throws IOException {
        StringBuilder sums = new StringBuilder();
        for (String f : List.of(Checkpoint.BLOCK_MOMENTUM, Checkpoint.METADATA, Checkpoint.MODEL_SPEC,
                Checkpoint.NETWORK, Checkpoint.VOCABULARY)) {
            Path p = new Path(checkpoint, f);
            if (fs.exists(p)) {
                sums.append(Checkpoint.sha256(HadoopFiles.read(fs, p))).append("  ").append(f).append('\n');
            }
        }
        byte[] s = sums.toString().getBytes(StandardCharsets.UTF_8);
        HadoopFiles.write(fs, new Path(checkpoint, Checkpoint.CHECKSUMS), s);
        HadoopFiles.write(fs, new Path(checkpoint, Checkpoint.CONTENT_HASH),
                (Checkpoint.sha256(s) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Rewrites a registry version's {@code version.json} so that it records the hashes of what its checkpoint holds
     * now (someone with write access to the whole registry).
     */
    public static void rehashVersion(FileSystem fs, Path versionDir) throws IOException {
        Path file = new Path(versionDir, "version.json");
        var rec = (com.fasterxml.jackson.databind.node.ObjectNode) Yaml.json().readTree(HadoopFiles.read(fs, file));
        var hash = io.reviewrnn.core.registry.ContentHash.of(fs, new Path(versionDir, "checkpoint"));
        rec.put("checkpoint_sha256", hash.sha256()).put("checkpoint_files", hash.files())
                .put("checkpoint_bytes", hash.bytes());
        Path content = new Path(versionDir, "checkpoint/" + Checkpoint.CONTENT_HASH);
        if (fs.exists(content)) {
            rec.put("content_sha256", new String(HadoopFiles.read(fs, content), StandardCharsets.UTF_8).trim());
        } else {
            rec.remove("content_sha256");
        }
        HadoopFiles.write(fs, file, Yaml.json().writeValueAsBytes(rec));
    }
}
