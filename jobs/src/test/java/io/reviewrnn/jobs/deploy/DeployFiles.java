package io.reviewrnn.jobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Locates the project's deploy/ and conf/ files from a test (the working directory is the jobs module). */
final class DeployFiles {
    private DeployFiles() {
    }

    static Path root() {
        String prop = System.getProperty("project.root");
        Path root = prop != null ? Paths.get(prop) : Paths.get("").toAbsolutePath().getParent();
        if (!Files.isDirectory(root.resolve("deploy")) || !Files.isDirectory(root.resolve("conf"))) {
            throw new IllegalStateException("project root with deploy/ and conf/ not found at " + root);
        }
        return root;
    }

    /** {@code conf/spark-defaults.conf} as key/value pairs, in file order. */
    static Map<String, String> sparkDefaults() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(root().resolve("conf/spark-defaults.conf"))) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] kv = t.split("\\s+", 2);
            out.put(kv[0], kv.length > 1 ? kv[1].strip() : "");
        }
        return out;
    }

    /** Every shell script under deploy/. */
    static List<Path> scripts() {
        try (Stream<Path> s = Files.walk(root().resolve("deploy"))) {
            return s.filter(p -> p.toString().endsWith(".sh")).filter(p -> !p.toString().contains("/target/"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
