package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.store.Checkpoint;
import io.reviewrnn.core.store.CheckpointStore;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import io.reviewrnn.core.text.WordCount;
import io.reviewrnn.core.train.EarlyStopping;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.Monitor;
import io.reviewrnn.core.train.TrainingHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background epoch writes: training never waits for a slow file system, epochs that end during a write are
 * coalesced into the next one (newest last checkpoint and history, newest improved best), and every epoch's
 * listener runs once, in order, after a write covering it is durable.
 */
class EpochWriterTest {
    private static final String SPEC = String.join("\n", "name: tiny", "kind: lstm", "input:", "  type: embedding",
            "  dim: 4", "units: 3", "optimizer:", "  type: rmsprop", "  learning_rate: 0.01", "seed: 1", "");

    @TempDir
    java.nio.file.Path tmp;

    /** A local file system whose file creations wait while the gate is closed (a slow HDFS). */
    static final class GatedFileSystem extends FilterFileSystem {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger lastCheckpointWrites = new AtomicInteger();

        GatedFileSystem() throws IOException {
            super(FileSystem.getLocal(new Configuration()).getRawFileSystem());
            setConf(new Configuration());
        }

        @Override
        public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                short replication, long blockSize, Progressable progress) throws IOException {
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (f.getName().equals(Checkpoint.METADATA) && f.getParent().getName().startsWith("." + CheckpointStore.LAST)) {
                lastCheckpointWrites.incrementAndGet();
            }
            return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
        }
    }

    @Test
    @Timeout(30) // a writer that made training wait for the closed gate would hang here, not pass
    void epochsEndingDuringASlowWriteAreCoalescedAndTrainingNeverWaits() throws Exception {
        GatedFileSystem fs = new GatedFileSystem();
        Path root = new Path(tmp.toUri());
        RunDirectory dir = new RunDirectory(fs, root, new CheckpointStore(fs, root));
        List<Integer> listened = new ArrayList<>();
        ModelSpec spec = ModelSpec.load(new ByteArrayInputStream(SPEC.getBytes(StandardCharsets.UTF_8)), "tiny.yaml");
        MultiLayerNetwork net = ModelFactory.network(spec, 20);
        Vocabulary vocab = Vocabulary.ofRanked(List.of(new WordCount("good", 9), new WordCount("bad", 5)));
        EarlyStopping policy = new EarlyStopping(Monitor.VAL_LOSS, 0, 10, 10);
        // val_loss 0.60, 0.50, 0.55: epochs 1 and 2 improve, epoch 3 does not
        double[] valLoss = {0.60, 0.50, 0.55};
        List<EpochMetrics> history = new ArrayList<>();
        EarlyStopping.State state = policy.initial();
        List<EpochWriter.Epoch> epochs = new ArrayList<>();
        for (int e = 1; e <= 3; e++) {
            EpochMetrics m = new EpochMetrics(e, 0.6, 0.7, valLoss[e - 1], 0.7, 800, 3.0, 0.4, 266);
            history.add(m);
            state = policy.observe(state, m);
            Checkpoint.Metadata meta = new Checkpoint.Metadata(Checkpoint.FORMAT_VERSION, CheckpointStore.LAST, e,
                    "2026-01-01T00:00:00Z", "tiny", net.numParams(), new TextSpec(20, 6, null, null, true),
                    "file:/corpus", Yaml.json().valueToTree(Map.of("seed", 42)), m, state, List.copyOf(history));
            Checkpoint.Content last = Checkpoint.content(net, vocab, spec, meta, null);
            epochs.add(new EpochWriter.Epoch(m, state, List.copyOf(history),
                    EarlyStopping.improvedAt(state) ? last : null, last));
        }
        try (EpochWriter writer = EpochWriter.coalescing(dir, (m, s) -> listened.add(m.epoch()))) {
            for (EpochWriter.Epoch e : epochs) {
                writer.submit(e); // returns although epoch 1's write cannot finish while the gate is closed
            }
            assertEquals(List.of(), listened, "no epoch is reported durable before its write completed");
            assertFalse(fs.exists(new Path(root, CheckpointStore.DIR + "/" + CheckpointStore.LAST)),
                    "nothing committed while the file system is blocked");
            fs.gate.countDown();
            writer.finish();
        }
        assertEquals(List.of(1, 2, 3), listened, "every epoch's listener, once, in order");
        assertEquals(2, fs.lastCheckpointWrites.get(), "epoch 1, then epochs 2-3 coalesced into one write");
        CheckpointStore store = new CheckpointStore(fs, root);
        assertEquals(3, Checkpoint.load(fs, store.lastPath(), false).metadata().epoch(), "newest last checkpoint");
        assertEquals(2, Checkpoint.load(fs, store.bestPath(), false).metadata().epoch(),
                "newest improved best checkpoint, not overwritten by the non-improving epoch 3");
        assertEquals(3, TrainingHistory.read(fs, root).epochs().size(), "newest history");
        assertTrue(fs.exists(new Path(root, "loss.png")));
    }
}
