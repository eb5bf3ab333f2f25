package io.reviewrnn.core.export;

import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An export directory read back and verified: every file's SHA-256 must be the one {@code export.json} records, and
 * the text spec must describe this build's tokenizer. What the {@code onnx} inference engine scores with. Immutable.
 */
public final class ExportedModel {
    private final Path path;
    private final ExportManifest manifest;
    private final byte[] model;
    private final TextSpec textSpec;
    private final Vocabulary vocabulary;

    private ExportedModel(Path path, ExportManifest manifest, byte[] model, TextSpec textSpec, Vocabulary vocabulary) {
        this.path = path;
        this.manifest = manifest;
        this.model = model;
        this.textSpec = textSpec;
        this.vocabulary = vocabulary;
    }

    /** Reads the export at {@code path} (any Hadoop FileSystem URI). */
    public static ExportedModel load(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        return load(p.getFileSystem(conf), p);
    }

    /** Reads and verifies the export at {@code path}. */
    public static ExportedModel load(FileSystem fs, Path path) throws IOException {
        Path dir = AtomicDirectory.readable(fs, path);
        if (dir == null) {
            throw new FileNotFoundException("no complete export at " + fs.makeQualified(path) + " (expected a directory"
                    + " with " + OnnxExporter.MANIFEST + " and " + AtomicDirectory.SUCCESS + ", written by review-rnn "
                    + "export --format onnx)");
        }
        Path manifestPath = new Path(dir, OnnxExporter.MANIFEST);
        if (!fs.exists(manifestPath)) {
            String hint = fs.exists(new Path(dir, Checkpoint.METADATA))
                    ? " (it is a checkpoint: export it with review-rnn export --format onnx, or use --engine dl4j)" : "";
            throw new FileNotFoundException(dir + " has no " + OnnxExporter.MANIFEST + hint);
        }
        ExportManifest manifest = Yaml.json().readValue(HadoopFiles.read(fs, manifestPath), ExportManifest.class);
        if (manifest.formatVersion() != ExportManifest.FORMAT_VERSION || !"onnx".equals(manifest.format())) {
            throw new IOException(manifestPath + ": format " + manifest.format() + " version "
                    + manifest.formatVersion() + ", this build reads onnx version " + ExportManifest.FORMAT_VERSION);
        }
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : new String[] {OnnxExporter.MODEL, OnnxExporter.VOCABULARY, OnnxExporter.TEXT_SPEC}) {
            Path f = new Path(dir, name);
            if (!fs.exists(f)) {
                throw new IOException("export " + dir + " lacks " + name);
            }
            byte[] bytes = HadoopFiles.read(fs, f);
            String expected = manifest.files() == null ? null : manifest.files().get(name);
            String actual = OnnxExporter.sha256(bytes);
            if (!actual.equals(expected)) {
                throw new IOException("export " + dir + ": " + name + " has SHA-256 " + actual
                        + " but " + OnnxExporter.MANIFEST + " says " + expected);
            }
            files.put(name, bytes);
        }
        TextSpec text = Yaml.json().readValue(files.get(OnnxExporter.TEXT_SPEC), PortableTextSpec.class).toTextSpec();
        Vocabulary vocabulary = Vocabulary.read(new InputStreamReader(
                new ByteArrayInputStream(files.get(OnnxExporter.VOCABULARY)), StandardCharsets.UTF_8));
        if (vocabulary.idLimit() > text.numWords()) {
            throw new IOException("export " + dir + ": vocabulary has ids up to " + (vocabulary.idLimit() - 1)
                    + " but num_words is " + text.numWords());
        }
        return new ExportedModel(dir, manifest, files.get(OnnxExporter.MODEL), text, vocabulary);
    }

    /** The directory read (fully qualified). */
    public Path path() {
        return path;
    }

    public ExportManifest manifest() {
        return manifest;
    }

    /** The bytes of {@code model.onnx}. */
    public byte[] model() {
        return model.clone();
    }

    public TextSpec textSpec() {
        return textSpec;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The content hash of the checkpoint the model was exported from. */
    public String checkpointSha256() {
        return manifest.checkpointSha256();
    }
}
