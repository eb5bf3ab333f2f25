package io.reviewrnn.core.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Tiny fake checkpoints: a directory with a few files whose content depends on a seed. */
public final class RegistryFixtures {
    private RegistryFixtures() {
    }

    /** Writes a checkpoint-like directory {@code dir} (network, vocabulary, spec) on {@code fs}. */
    public static Path checkpoint(FileSystem fs, Path dir, int seed) throws IOException {
        write(fs, new Path(dir, "network.zip"), "weights-" + seed + "-" + "x".repeat(1000 + seed));
        write(fs, new Path(dir, "vocabulary.json"), "{\"the\":3,\"movie\":" + (4 + seed) + "}");
        write(fs, new Path(dir, "spec/model.yaml"), "type: lstm\nunits: " + (8 + seed) + "\n");
        return dir;
    }

    public static void write(FileSystem fs, Path p, String content) throws IOException {
        try (OutputStream out = fs.create(p, true)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
