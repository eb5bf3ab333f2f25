package io.reviewrnn.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * SHA-256 of a directory tree on a Hadoop FileSystem: the files in order of their relative path, each as
 * {@code path NUL length NUL sha256(bytes)}. Names and content both count, so a renamed, added, removed or changed file
 * changes the hash; file times and the local file system's {@code .crc} side files do not.
 *
 * @param sha256 lowercase hex digest
 * @param files number of files hashed
 * @param bytes total bytes hashed
 */
public record ContentHash(String sha256, int files, long bytes) {

    /** Hashes every file under {@code dir}. */
    public static ContentHash of(FileSystem fs, Path dir) throws IOException {
        Path root = fs.makeQualified(dir);
        String prefix = root.toUri().getPath();
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        Map<String, Path> files = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            String path = p.toUri().getPath();
            if (!path.startsWith(prefix)) {
                throw new IOException("unexpected file " + p + " outside " + root);
            }
            files.put(path.substring(prefix.length()), p);
        }
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        List<String> names = new ArrayList<>(files.keySet());
        for (String name : names) {
            md.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            long len = 0;
            MessageDigest content = newDigest();
            try (InputStream in = fs.open(files.get(name))) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    content.update(buf, 0, n);
                    len += n;
                }
            }
            md.update(Long.toString(len).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            md.update((byte) 0);
            md.update(content.digest());
            total += len;
        }
        return new ContentHash(HexFormat.of().formatHex(md.digest()), names.size(), total);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
