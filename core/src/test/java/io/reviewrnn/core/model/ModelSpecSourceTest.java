package io.reviewrnn.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model specs by name (bundled in the jar), from the driver's local disk, or from the default file system. */
class ModelSpecSourceTest {
    @TempDir
    Path tmp;

    private static final Path CONF_MODELS = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/models");

    @Test
    void everyReferenceSpecIsBundledByItsFileName() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(CONF_MODELS)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertEquals(files, ModelSpecSource.BUNDLED.stream().sorted().toList());
        for (String name : ModelSpecSource.BUNDLED) {
            ModelSpecSource s = ModelSpecSource.resolve(name, new Configuration(), "model");
            assertEquals(name, s.location());
            assertEquals(ModelSpec.load(CONF_MODELS.resolve(name + ".yaml")), s.spec(), name);
        }
    }

    @Test
    void aLocalFileResolvesBeforeTheDefaultFileSystem() throws Exception {
        Path spec = tmp.resolve("my.yaml");
        Files.writeString(spec, Files.readString(CONF_MODELS.resolve("gru.yaml")));
        // A default file system that cannot be reached: resolving must not need it for a local file.
        Configuration conf = new Configuration();
        conf.set("fs.defaultFS", "hdfs://127.0.0.1:1");
        conf.setInt("ipc.client.connect.max.retries", 0);
        ModelSpecSource s = ModelSpecSource.resolve(spec.toString(), conf, "model");
        assertEquals("file:" + spec.toAbsolutePath(), s.location());
        assertEquals("gru", s.spec().name());
        // A local file named like a bundled spec wins over the bundled one.
        Path local = Path.of("lstm");
        assertTrue(!Files.exists(local), "test assumes no file 'lstm' in the working directory");
        assertEquals("lstm", ModelSpecSource.resolve("lstm", conf, "model").location());
    }

    @Test
    void aMissingSpecNamesEveryPlaceThatWasTried() {
        Configuration conf = new Configuration();
        String m = assertThrows(ConfigException.class,
                () -> ModelSpecSource.resolve("conf/models/nope.yaml", conf, "model")).getMessage();
        assertTrue(m.startsWith("model 'conf/models/nope.yaml' is not a bundled model spec (simplernn-onehot, "), m);
        assertTrue(m.contains("driver's local disk (file:" + Path.of("conf/models/nope.yaml").toAbsolutePath()), m);
        String withScheme = assertThrows(ConfigException.class,
                () -> ModelSpecSource.resolve("file:///nowhere/x.yaml", conf, "model")).getMessage();
        assertTrue(withScheme.contains("not found on file:///") && withScheme.contains("/nowhere/x.yaml"), withScheme);
    }
}
