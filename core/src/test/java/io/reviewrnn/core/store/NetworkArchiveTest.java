package io.reviewrnn.core.store;

import io.reviewrnn.core.base.HadoopFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.registry.RegistryFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints are data: network archives with a Java-serialized entry are refused before DL4J reads them, and DL4J's
 * own {@code ObjectInputStream} runs under the serial filter's allowlist (the second wall), tested here by handing
 * DL4J the payloads directly.
 */
class NetworkArchiveTest {
    private static byte[] clean;

    @TempDir
    java.nio.file.Path tmp;

    @BeforeAll
    static void network() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("network-archive");
        Path ckpt = RegistryFixtures.checkpoint(fs, new Path(dir.resolve("c").toUri()), 1);
        clean = HadoopFiles.read(fs, new Path(ckpt, Checkpoint.NETWORK));
    }

    @Test
    void theSurefireJvmRunsTheFilterFactory() {
        assertTrue(DeserializationFilter.installed(),
                "the tests start the JVM with -Djdk.serialFilterFactory (pom.xml test.jvm.args)");
    }

    @Test
    void theSameNetworkGivesTheSameBytesWhateverTheTime() throws Exception {
        MultiLayerNetwork net = NetworkArchive.restore(clean, true, "clean");
        byte[] first = NetworkArchive.write(net, true);
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(first))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                // DL4J stamps entries with the time of writing; a fixed stamp makes the content hash a function of
                // the network only
                assertEquals(java.time.LocalDateTime.of(1980, 1, 1, 0, 0), e.getTimeLocal(), e.getName());
            }
        }
        assertTrue(java.util.Arrays.equals(first, NetworkArchive.write(net, true)));
        assertTrue(java.util.Arrays.equals(first, clean), "the checkpoint's network.zip is written the same way");
    }

    @Test
    void aCleanArchiveRestores() throws Exception {
        NetworkArchive.check(clean, "clean");
        MultiLayerNetwork net = NetworkArchive.restore(clean, true, "clean");
        assertTrue(net.numParams() > 0);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void javaSerializedEntriesAreRefusedBeforeDl4jSeesThem() throws Exception {
        byte[] bomb = HostileCheckpoints.withEntry(clean, "preprocessor.bin", HostileCheckpoints.nestedHashSetBomb(100));
        var e = assertThrows(NetworkArchive.UnsafeEntryException.class, () -> NetworkArchive.restore(bomb, false, "x"));
        assertTrue(e.getMessage().contains("preprocessor.bin") && e.getMessage().contains("Java-serialized"),
                e.getMessage());
        byte[] normalizer = HostileCheckpoints.withEntry(clean, "normalizer.bin",
                HostileCheckpoints.serialize(new ArrayList<>()));
        assertThrows(NetworkArchive.UnsafeEntryException.class, () -> NetworkArchive.check(normalizer, "x"));
        byte[] other = HostileCheckpoints.withEntry(clean, "extra.class", new byte[] {1, 2, 3});
        var e2 = assertThrows(NetworkArchive.UnsafeEntryException.class, () -> NetworkArchive.check(other, "x"));
        assertTrue(e2.getMessage().contains("extra.class"), e2.getMessage());
        assertThrows(Checkpoint.CorruptCheckpointException.class,
                () -> NetworkArchive.check("not a zip at all".getBytes(), "x"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void dl4jsOwnDeserializationRunsUnderTheAllowlist() throws Exception {
        // The second wall alone: DL4J is handed the archives directly, past NetworkArchive.check.
        byte[] gadget = HostileCheckpoints.withEntry(clean, "preprocessor.bin",
                HostileCheckpoints.serialize(new HostileCheckpoints.Gadget()));
        HostileCheckpoints.Gadget.RAN.set(false);
        Exception e = assertThrows(Exception.class, () -> DeserializationFilter.guarded(
                () -> ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(gadget), false)));
        assertTrue(causes(e, InvalidClassException.class), "rejected by the filter: " + e);
        assertFalse(HostileCheckpoints.Gadget.RAN.get(), "the gadget's readObject must not run");

        byte[] bomb = HostileCheckpoints.withEntry(clean, "preprocessor.bin", HostileCheckpoints.nestedHashSetBomb(100));
        Exception b = assertThrows(Exception.class, () -> DeserializationFilter.guarded(
                () -> ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bomb), false)));
        assertTrue(causes(b, InvalidClassException.class), "rejected by the filter: " + b);

        // Outside the guard the same JVM deserializes as before: this is what the filter stops.
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(
                HostileCheckpoints.serialize(new HostileCheckpoints.Gadget())))) {
            in.readObject();
        }
        assertTrue(HostileCheckpoints.Gadget.RAN.get());
    }

    @Test
    void theAllowlistRejectsEveryClassAndDeepGraphs() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(b)) {
            out.writeObject("a string");
        }
        // Strings are no class check; anything with a class descriptor is.
        assertEquals("a string", DeserializationFilter.guarded(() -> {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
                return in.readObject();
            }
        }));
        assertThrows(InvalidClassException.class, () -> DeserializationFilter.guarded(() -> {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(
                    HostileCheckpoints.serialize(new ArrayList<>())))) {
                return in.readObject();
            }
        }));
    }

    private static boolean causes(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
