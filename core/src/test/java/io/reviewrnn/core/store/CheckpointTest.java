package io.reviewrnn.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.Monitor;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {
    private static final String SPEC = String.join("\n", "name: tiny", "kind: lstm", "input:", "  type: embedding",
            "  dim: 4", "units: 3", "optimizer:", "  type: rmsprop", "  learning_rate: 0.01", "seed: 1", "");

    @TempDir
    Path tmp;
    private FileSystem fs;
    private ModelSpec spec;
    private Vocabulary vocab;

    @BeforeEach
    void setUp() throws Exception {
        fs = FileSystem.getLocal(new Configuration());
        spec = ModelSpec.load(new ByteArrayInputStream(SPEC.getBytes(StandardCharsets.UTF_8)), "tiny.yaml");
        vocab = Vocabulary.ofRanked(List.of(new WordCount("good", 9), new WordCount("bad", 5)));
    }

    /** A network with non-trivial parameters and updater state (a few RMSprop steps). */
    private MultiLayerNetwork trained(int steps) {
        MultiLayerNetwork net = ModelFactory.network(spec, 20);
        Random r = new Random(3);
        for (int i = 0; i < steps; i++) {
            float[] f = new float[8 * 6];
            float[] l = new float[8];
            for (int j = 0; j < f.length; j++) {
                f[j] = r.nextInt(20);
            }
            for (int j = 0; j < l.length; j++) {
                l[j] = r.nextInt(2);
            }
            net.fit(new DataSet(Nd4j.create(f, new long[] {8, 6}, 'c'), Nd4j.create(l, new long[] {8, 1}, 'c')));
        }
        return net;
    }

    private Checkpoint.Metadata meta(int epoch) {
        EpochMetrics m = new EpochMetrics(epoch, 0.6, 0.7, 0.65, 0.68, 800, 3.0, 0.4, 266);
        EarlyStopping p = new EarlyStopping(Monitor.VAL_LOSS, 0, 3, 10);
        EarlyStopping.State s = p.initial();
        for (int e = 1; e <= epoch; e++) {
            s = p.observe(s, new EpochMetrics(e, 0.6, 0.7, 0.65 + e, 0.68, 800, 3.0, 0.4, 266));
        }
        return new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, "best", epoch, "2026-01-01T00:00:00Z", "tiny", 1,
                new TextSpec(20, 6, null, null, true), "file:/corpus", Yaml.json().valueToTree(Map.of("seed", 42)), m, s,
                List.of(m));
    }

    private org.apache.hadoop.fs.Path path(String name) {
        return new org.apache.hadoop.fs.Path(tmp.resolve(name).toUri());
    }

    @Test
    void roundTripKeepsNetworkUpdaterStateAndEverythingElse() throws Exception {
        MultiLayerNetwork net = trained(3);
        String hash = Checkpoint.write(fs, path("best"), net, vocab, spec, meta(2));

        Checkpoint cp = Checkpoint.load(tmp.resolve("best").toString());
        assertEquals(hash, cp.contentHash());
        assertEquals(64, hash.length());
        assertArrayEquals(net.params().toFloatVector(), cp.network().params().toFloatVector(), 0f);
        assertArrayEquals(net.getUpdater().getStateViewArray().toFloatVector(),
                cp.network().getUpdater().getStateViewArray().toFloatVector(), 0f, "RMSprop state is kept");
        assertEquals(vocab, cp.vocabulary());
        assertEquals(spec, cp.spec());
        assertEquals(meta(2), cp.metadata());
        assertEquals(2, cp.epoch());
        assertEquals(new TextSpec(20, 6, null, null, true), cp.textSpec());
        var x = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {1, 6}, 'c');
        assertEquals(net.output(x).getDouble(0), cp.network().output(x).getDouble(0), 0.0);

        // The hash is a function of the content only: the same content gives the same hash elsewhere.
        assertEquals(hash, Checkpoint.write(fs, path("copy"), net, vocab, spec, meta(2)));
        assertNotEquals(hash, Checkpoint.write(fs, path("other"), trained(4), vocab, spec, meta(2)));
        // ... and it is what `sha256sum SHA256SUMS` prints.
        assertEquals(Checkpoint.sha256(Files.readAllBytes(tmp.resolve("best/SHA256SUMS"))), hash);
        assertEquals(List.of("metadata.json", "model.yaml", "network.zip", "vocabulary.tsv"),
                Files.readAllLines(tmp.resolve("best/SHA256SUMS")).stream().map(l -> l.substring(66)).toList());
    }

    @Test
    void blockMomentumBufferIsPartOfTheContentAndRoundTrips() throws Exception {
        MultiLayerNetwork net = trained(3);
        var buffer = Nd4j.rand(net.params().dataType(), net.params().shape()).subi(0.5);
        String plain = Checkpoint.write(fs, path("plain"), net, vocab, spec, meta(2));
        String withBuffer = Checkpoint.write(fs, path("bm"), net, vocab, spec, meta(2), buffer);
        assertNotEquals(plain, withBuffer, "the buffer is covered by the content hash");
        assertEquals(List.of("block_momentum.npy", "metadata.json", "model.yaml", "network.zip", "vocabulary.tsv"),
                Files.readAllLines(tmp.resolve("bm/SHA256SUMS")).stream().map(l -> l.substring(66)).toList());

        Checkpoint cp = Checkpoint.load(tmp.resolve("bm").toString());
        assertArrayEquals(buffer.toFloatVector(), cp.blockMomentum().toFloatVector(), 0f);
        assertArrayEquals(net.params().shape(), cp.blockMomentum().shape());
        assertEquals(null, Checkpoint.load(tmp.resolve("plain").toString()).blockMomentum());

        // a buffer that is not listed, or listed but missing, makes the checkpoint corrupt
        Files.copy(tmp.resolve("bm/block_momentum.npy"), tmp.resolve("plain/block_momentum.npy"));
        var e = assertThrows(Checkpoint.CorruptCheckpointException.class, () -> Checkpoint.verify(fs, path("plain")));
        assertTrue(e.getMessage().contains("block_momentum.npy"), e.getMessage());
        Files.delete(tmp.resolve("bm/block_momentum.npy"));
        assertThrows(Checkpoint.CorruptCheckpointException.class, () -> Checkpoint.verify(fs, path("bm")));
    }

    @Test
    void tamperedContentIsRefused() throws Exception {
        Checkpoint.write(fs, path("best"), trained(1), vocab, spec, meta(1));
        Path zip = tmp.resolve("best/network.zip");
        byte[] b = Files.readAllBytes(zip);
        b[b.length / 2] ^= 1;
        Files.write(zip, b);
        var e = assertThrows(Checkpoint.CorruptCheckpointException.class,
                () -> Checkpoint.load(tmp.resolve("best").toString()));
        assertTrue(e.getMessage().contains("network.zip"), e.getMessage());

        Checkpoint.write(fs, path("b2"), trained(1), vocab, spec, meta(1));
        Files.writeString(tmp.resolve("b2/content.sha256"), "0".repeat(64) + "\n");
        dropCrc("b2/content.sha256"); // a consistent rewrite: only our own hashes can notice
        var e2 = assertThrows(Checkpoint.CorruptCheckpointException.class, () -> Checkpoint.verify(fs, path("b2")));
        assertTrue(e2.getMessage().contains("content hash"), e2.getMessage());

        Checkpoint.write(fs, path("b3"), trained(1), vocab, spec, meta(1));
        Files.delete(tmp.resolve("b3/vocabulary.tsv"));
        assertThrows(Checkpoint.CorruptCheckpointException.class, () -> Checkpoint.verify(fs, path("b3")));

        Checkpoint.write(fs, path("b4"), trained(1), vocab, spec, meta(1));
        Files.writeString(tmp.resolve("b4/metadata.json"), Files.readString(tmp.resolve("b4/metadata.json"))
                .replace("\"epoch\" : 1", "\"epoch\" : 7"));
        dropCrc("b4/metadata.json");
        assertThrows(Checkpoint.CorruptCheckpointException.class, () -> Checkpoint.verify(fs, path("b4")),
                "metadata is covered by the hash");
    }

    /** Removes the local file system's checksum file, as if the file had been rewritten consistently. */
    private void dropCrc(String file) throws Exception {
        Path f = tmp.resolve(file);
        Files.deleteIfExists(f.resolveSibling("." + f.getFileName() + ".crc"));
    }

    @Test
    void crashBeforeRenameLeavesThePreviousBestIntact() throws Exception {
        MultiLayerNetwork old = trained(1);
        String oldHash = Checkpoint.write(fs, path("best"), old, vocab, spec, meta(1));

        // A writer "dies" after writing the complete new content but before publishing it.
        AtomicDirectory dir = AtomicDirectory.begin(fs, path("best"), true, Checkpoint.CONTENT_HASH);
        Checkpoint.writeContent(fs, dir.temp(), trained(5), vocab, spec, meta(2), null);
        // no commit(), no close(): the process is gone

        Checkpoint cp = Checkpoint.load(tmp.resolve("best").toString());
        assertEquals(oldHash, cp.contentHash());
        assertEquals(1, cp.epoch());
        assertArrayEquals(old.params().toFloatVector(), cp.network().params().toFloatVector(), 0f);
        assertTrue(fs.exists(dir.temp()), "the debris is a hidden temp folder");
        assertTrue(dir.temp().getName().startsWith("."));

        assertTrue(AtomicDirectory.recover(fs, path("best")));
        assertFalse(fs.exists(dir.temp()), "recover() removes the debris");
        assertEquals(oldHash, Checkpoint.verify(fs, path("best")));
    }

    @Test
    void crashBetweenTheTwoRenamesLosesNeitherVersion() throws Exception {
        String oldHash = Checkpoint.write(fs, path("best"), trained(1), vocab, spec, meta(1));
        // commit() moved the old checkpoint aside, then died before renaming the new one into place.
        AtomicDirectory dir = AtomicDirectory.begin(fs, path("best"), true, Checkpoint.CONTENT_HASH);
        Checkpoint.writeContent(fs, dir.temp(), trained(5), vocab, spec, meta(2), null);
        fs.create(new org.apache.hadoop.fs.Path(dir.temp(), AtomicDirectory.SUCCESS)).close();
        assertTrue(fs.rename(path("best"), path(".best.old-crash")));

        assertEquals(oldHash, Checkpoint.load(tmp.resolve("best").toString()).contentHash(),
                "readers fall back to the complete previous version");
        assertTrue(AtomicDirectory.recover(fs, path("best")));
        assertEquals(oldHash, Checkpoint.verify(fs, path("best")));
        assertFalse(fs.exists(path(".best.old-crash")));
    }

    @Test
    void missingCheckpointIsAClearError() {
        var e = assertThrows(FileNotFoundException.class, () -> Checkpoint.load(tmp.resolve("nope").toString()));
        assertTrue(e.getMessage().contains("no complete checkpoint"), e.getMessage());
    }

    @Test
    void storeKeepsBestAndLastApart() throws Exception {
        CheckpointStore store = new CheckpointStore(fs, new org.apache.hadoop.fs.Path(tmp.toUri()));
        MultiLayerNetwork a = trained(1);
        MultiLayerNetwork b = trained(2);
        store.saveBest(a, vocab, spec, meta(1));
        store.saveLast(a, vocab, spec, meta(1));
        store.saveLast(b, vocab, spec, meta(2));
        assertEquals(1, store.loadBest(false).epoch());
        assertEquals(2, store.loadLast().epoch());
        assertArrayEquals(b.params().toFloatVector(), store.loadLast().network().params().toFloatVector(), 0f);
        try (var files = Files.list(tmp.resolve("checkpoints"))) {
            assertEquals(List.of("best", "last"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
