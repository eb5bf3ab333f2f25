package io.reviewrnn.core.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Publishes a fully written temporary file or directory under its final name in one atomic step that fails when
 * the name is taken. This is the registry's only write primitive: readers see the whole entry or nothing, and two
 * writers racing for the same name cannot both win.
 *
 * <ul>
 *   <li>HDFS and other Hadoop file systems: {@code FileContext.rename(src, dst, Rename.NONE)}, one NameNode
 *       operation that throws {@code FileAlreadyExistsException} when {@code dst} exists.</li>
 *   <li>Local files: {@code FileSystem.rename} would silently replace an existing file (POSIX rename), so files are
 *       published with {@code link(2)} (atomic, fails when the name exists) and directories with a non-replacing
 *       move ({@code rename(2)} refuses a non-empty target directory).</li>
 * </ul>
 * Object stores without atomic rename (s3a, gs) are not supported for the registry.
 */
final class ExclusivePublish {
    private ExclusivePublish() {
    }

    /**
     * Moves {@code temp} to {@code target}. Returns false, leaving {@code temp} in place, when {@code target}
     * already exists.
     */
    static boolean publish(FileSystem fs, Path temp, Path target) throws IOException {
        Path src = fs.makeQualified(temp);
        Path dst = fs.makeQualified(target);
        if ("file".equals(dst.toUri().getScheme())) {
            java.nio.file.Path s = Paths.get(src.toUri());
            java.nio.file.Path d = Paths.get(dst.toUri());
            try {
                if (Files.isDirectory(s)) {
                    Files.move(s, d);
                } else {
                    Files.createLink(d, s);
                    fs.delete(src, false);
                }
                return true;
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                return false;
            }
        }
        try {
            FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(src, dst, Options.Rename.NONE);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }
}
