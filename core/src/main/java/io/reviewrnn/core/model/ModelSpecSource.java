package io.reviewrnn.core.model;

import io.reviewrnn.core.base.ConfigException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A model spec named on the command line or in a config, resolved in this order: a path with a scheme
 * ({@code hdfs://}, {@code file:}) on that file system; a file on the driver's local disk (relative to the working
 * directory); one of the {@linkplain #BUNDLED reference specs} shipped in the jar, by name ({@code lstm}); a path on
 * the default file system ({@code fs.defaultFS}, e.g. HDFS on a cluster). A spec found nowhere fails with a
 * {@link ConfigException} naming every file system that was tried.
 *
 * @param location how a run records where the spec came from: the bundled name, or the file's fully qualified URI
 * @param spec the validated spec
 */
public record ModelSpecSource(String location, ModelSpec spec) {
    /** The reference specs of {@code conf/models/}, packaged as class path resources under {@link #RESOURCES}. */
    public static final List<String> BUNDLED = List.of("simplernn-onehot", "simplernn-embedding", "lstm",
            "lstm-dropout", "lstm-2layer", "gru");
    static final String RESOURCES = "io/reviewrnn/models/";

    /**
     * Resolves and loads {@code ref}, reading files through {@code conf}'s file systems.
     *
     * @param key the config key or option that named it, for error messages (e.g. {@code model})
     */
    public static ModelSpecSource resolve(String ref, Configuration conf, String key) {
        String r = ref == null ? "" : ref.trim();
        if (r.isEmpty()) {
            throw new ConfigException(key, ref, "must name a model spec (" + String.join(", ", BUNDLED)
                    + ") or a spec file");
        }
        Path path = new Path(r);
        try {
            if (path.toUri().getScheme() != null) {
                FileSystem fs = path.getFileSystem(conf);
                return load(fs, fs.makeQualified(path), r, key, "on " + fs.getUri());
            }
            java.nio.file.Path local = java.nio.file.Path.of(r).toAbsolutePath().normalize();
            if (Files.isRegularFile(local)) {
                Path p = new Path(local.toUri());
                return load(FileSystem.getLocal(conf), p, r, key, "on the driver's local disk");
            }
            if (BUNDLED.contains(r)) {
                return bundled(r);
            }
            FileSystem defaultFs = FileSystem.get(conf);
            Path onDefault = defaultFs.makeQualified(path);
            boolean defaultIsLocal = defaultFs.getUri().getScheme().equals("file");
            if (defaultIsLocal || !defaultFs.exists(onDefault)) {
                throw new ConfigException(key + " '" + r + "' is not a bundled model spec (" + String.join(", ",
                        BUNDLED) + ") and no such file exists on the driver's local disk (" + new Path(local.toUri())
                        + (defaultIsLocal ? ")" : ") nor on the default file system (" + onDefault + ")"));
            }
            return load(defaultFs, onDefault, r, key, "on the default file system");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read model spec " + r + ": " + e.getMessage(), e);
        }
    }

    /** One of the {@link #BUNDLED} specs. */
    public static ModelSpecSource bundled(String name) {
        if (!BUNDLED.contains(name)) {
            throw new ConfigException("model spec", name, "must be one of " + BUNDLED);
        }
        try (InputStream in = ModelSpecSource.class.getClassLoader().getResourceAsStream(RESOURCES + name
                + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("bundled model spec " + name + " is missing from the class path");
            }
            return new ModelSpecSource(name, ModelSpec.load(in, name + " (bundled)"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ModelSpecSource load(FileSystem fs, Path p, String ref, String key, String where)
            throws IOException {
        try (InputStream in = fs.open(p)) {
            return new ModelSpecSource(p.toString(), ModelSpec.load(in, p.toString()));
        } catch (FileNotFoundException e) {
            throw new ConfigException(key, ref, "must be an existing model spec file; not found " + where + " ("
                    + p + ")");
        }
    }
}
