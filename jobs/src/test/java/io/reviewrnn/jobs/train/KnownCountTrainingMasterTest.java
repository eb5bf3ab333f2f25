package io.reviewrnn.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.core.loader.impl.SerializedDataSetLoader;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.loader.LocalFileSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A round's task result must survive Java serialization: Spark ships task results with the configured serializer,
 * and under the Java serializer (e.g. a session without the Kryo settings) DL4J's own result type is rejected.
 */
class KnownCountTrainingMasterTest {

    /**
     * A worker reads ahead on a second thread only when some of its minibatches come from files: once the per-JVM
     * cache holds all of a round's files, the round is fitted without read-ahead.
     */
    @Test
    void readsAheadOnlyWhatIsNotCached(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        for (Path p : List.of(a, b)) {
            new DataSet(Nd4j.rand(2, 3), Nd4j.rand(2, 1)).save(p.toFile());
        }
        CachedMinibatchLoader cache = new CachedMinibatchLoader("read-ahead-" + System.nanoTime(), 1L << 20);
        List<String> both = List.of(a.toString(), b.toString());
        assertTrue(KnownCountTrainingMaster.readAhead(cache, both), "nothing cached yet");
        cache.load(new LocalFileSource(a.toString()));
        assertFalse(KnownCountTrainingMaster.readAhead(cache, List.of(a.toString())), "a is cached");
        assertTrue(KnownCountTrainingMaster.readAhead(cache, both), "b still comes from its file");
        cache.load(new LocalFileSource(b.toString()));
        assertFalse(KnownCountTrainingMaster.readAhead(cache, both), "both cached");
        CachedMinibatchLoader off = new CachedMinibatchLoader("read-ahead-off-" + System.nanoTime(), 0);
        off.load(new LocalFileSource(a.toString()));
        assertTrue(KnownCountTrainingMaster.readAhead(off, List.of(a.toString())), "cache turned off");
        assertTrue(KnownCountTrainingMaster.readAhead(new SerializedDataSetLoader(), List.of(a.toString())),
                "a loader without a cache");
    }

    @Test
    void roundResultSurvivesJavaSerialization() throws Exception {
        var r = new KnownCountTrainingMaster.RoundResult(new ParameterAveragingTrainingResult(
                Nd4j.createFromArray(new float[][] {{1f, 2f, 3f}}), null, 0.25, null, null, null));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        KnownCountTrainingMaster.RoundResult back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (KnownCountTrainingMaster.RoundResult) in.readObject();
        }
        assertEquals(r.params, back.params);
        assertNull(back.updaterState);
        assertEquals(0.25, back.score);
    }
}
