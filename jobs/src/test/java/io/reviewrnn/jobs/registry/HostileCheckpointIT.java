package io.reviewrnn.jobs.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.registry.RegisterRequest;
import io.reviewrnn.core.registry.RegistryException;
import io.reviewrnn.core.registry.RegistryFixtures;
import io.reviewrnn.core.retrain.Retrainer;
import io.reviewrnn.core.store.HostileCheckpoints;
import io.reviewrnn.jobs.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The hostile-checkpoint probe's payloads against the real command line: a checkpoint whose network.zip carries a
 * Java-serialized nested-HashSet bomb (a 2^100-step deserialization), a registry version whose vocabulary was edited
 * and re-hashed, and a plain directory. Each is refused by {@code registry register}, {@code registry promote} and
 * when a command loads it ({@code predict}), and by {@code retrain} as champion, promptly: no test may hang.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileCheckpointIT {
    @TempDir
    java.nio.file.Path tmp;

    FileSystem fs;
    ModelRegistry reg;
    String root;

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run cli(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        root = tmp.resolve("registry").toUri().toString();
        reg = ModelRegistry.openOrCreate(root, new Configuration());
    }

    private Path checkpoint(String name, int seed) throws IOException {
        return RegistryFixtures.checkpoint(fs, new Path(tmp.resolve(name).toUri()), seed);
    }

    private int registerClean(int seed) throws IOException {
        return reg.register(RegisterRequest.of(checkpoint("clean-" + seed, seed).toString(), Map.of("accuracy", 0.8)))
                .version();
    }

    private Path versionCheckpoint(int v) {
        return new Path(reg.versionPath(v), ModelRegistry.CHECKPOINT_DIR);
    }

    private static void refused(Run r, String why) {
        assertNotEquals(0, r.exit(), r.all());
        assertTrue(r.err().contains(why), r.all());
    }

    @Test
    void aJavaSerializedGadgetIsRefusedAtRegisterPromoteAndLoad() throws Exception {
        byte[] bomb = HostileCheckpoints.nestedHashSetBomb(100);
        Path gadget = checkpoint("gadget", 1);
        HostileCheckpoints.addPreprocessor(fs, gadget, bomb);

        refused(cli("registry", "register", "--registry", root, gadget.toString()), "preprocessor.bin");
        assertEquals(List.of(), reg.versionNumbers(), "nothing registered");
        refused(cli("predict", "--model", gadget.toString(), "a fine film"), "preprocessor.bin");

        // In the registry: a clean version turned into the gadget by someone who also rewrote its version.json,
        // so that only the data-only check stands between it and DL4J's ObjectInputStream.
        int v = registerClean(2);
        HostileCheckpoints.addPreprocessor(fs, versionCheckpoint(v), bomb);
        HostileCheckpoints.rehashVersion(fs, reg.versionPath(v));
        refused(cli("registry", "promote", "--registry", root, "v" + v), "preprocessor.bin");
        assertTrue(reg.champion().isEmpty(), "not promoted");
        refused(cli("predict", "--model", "v" + v, "--registry", root, "a fine film"), "preprocessor.bin");
    }

    @Test
    void aReHashedEditedVocabularyIsRefusedAtRegisterPromoteAndLoad() throws Exception {
        int v = registerClean(1);
        Run before = cli("predict", "--model", "v" + v, "--registry", root, "good movie");
        assertEquals(0, before.exit(), before.all());
        // The vocabulary edited in place and the checkpoint's own SHA256SUMS and content.sha256 recomputed.
        HostileCheckpoints.swapTwoWords(fs, versionCheckpoint(v));

        refused(cli("registry", "register", "--registry", root, versionCheckpoint(v).toString()),
                "changed after registration");
        refused(cli("registry", "promote", "--registry", root, "v" + v), "changed after registration");
        assertTrue(reg.champion().isEmpty(), "not promoted");
        refused(cli("predict", "--model", "v" + v, "--registry", root, "good movie"), "changed after registration");
        refused(cli("predict", "--model", versionCheckpoint(v).toString(), "good movie"),
                "changed after registration");
        refused(cli("predict", "--model", reg.versionPath(v).toString(), "good movie"), "changed after registration");
        assertEquals(List.of(v), reg.versionNumbers());
    }

    @Test
    void aPlainDirectoryIsRefusedAtRegisterPromoteAndLoad() throws Exception {
        Path plain = new Path(tmp.resolve("plain").toUri());
        RegistryFixtures.write(fs, new Path(plain, "notes.txt"), "not a model");
        RegistryFixtures.write(fs, new Path(plain, "sub/data.csv"), "a,b\n");

        refused(cli("registry", "register", "--registry", root, plain.toString()), "not a complete checkpoint");
        assertEquals(List.of(), reg.versionNumbers());
        refused(cli("predict", "--model", plain.toString(), "a fine film"), "no complete checkpoint");

        // A version whose checkpoint/ is that plain directory, with a version.json that matches it.
        int v = registerClean(1);
        fs.delete(versionCheckpoint(v), true);
        FileUtil.copy(fs, plain, fs, versionCheckpoint(v), false, fs.getConf());
        HostileCheckpoints.rehashVersion(fs, reg.versionPath(v));
        refused(cli("registry", "promote", "--registry", root, "v" + v), "not a complete checkpoint");
        assertTrue(reg.champion().isEmpty(), "not promoted");
        refused(cli("predict", "--model", "v" + v, "--registry", root, "a fine film"), "not a complete checkpoint");
    }

    @Test
    void aRetrainWithAHostileChampionStopsAtOnceAndReleasesTheLock() throws Exception {
        int first = registerClean(1);
        int second = registerClean(2);
        reg.promote(first, "first");
        reg.promote(second, "second");
        HostileCheckpoints.addPreprocessor(fs, versionCheckpoint(second), HostileCheckpoints.nestedHashSetBomb(100));
        HostileCheckpoints.rehashVersion(fs, reg.versionPath(second));

        Configuration conf = new Configuration();
        String yaml = """
                work_dir: %s
                prepare:
                  input: {path: /data/reviews.csv}
                model: conf/models/lstm.yaml
                compare: {metric: accuracy}
                registry: {path: %s}
                """.formatted(tmp.resolve("work").toUri(), root);
        RetrainConfig config = Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                RetrainConfig.class, "it");
        RegistryException e = assertThrows(RegistryException.class,
                () -> new Retrainer(config, new ScriptedStages(0.9, false, conf), conf).run("run-hostile"));
        assertTrue(e.getMessage().contains("champion v" + second) && e.getMessage().contains("preprocessor.bin"),
                e.getMessage());
        assertTrue(reg.lock().holder().isEmpty(), "the lock is released");
        assertEquals(List.of(first, second), reg.versionNumbers(), "nothing registered");
        // The operator's way out works at once: roll back to the sound former champion.
        Run rollback = cli("registry", "rollback", "--registry", root, "--reason", "v2 was tampered with");
        assertEquals(0, rollback.exit(), rollback.all());
        assertEquals(first, reg.champion().orElseThrow().version());
    }
}
