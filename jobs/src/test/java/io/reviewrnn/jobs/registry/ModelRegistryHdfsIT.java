package io.reviewrnn.jobs.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.registry.ContentHash;
import io.reviewrnn.core.registry.LockHeldException;
import io.reviewrnn.core.registry.LockLostException;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.registry.MutableClock;
import io.reviewrnn.core.registry.RegisterRequest;
import io.reviewrnn.core.registry.RegistryFixtures;
import io.reviewrnn.core.registry.RetrainLock;
import io.reviewrnn.core.registry.VersionRecord;
import io.reviewrnn.core.registry.VersionStatus;
import io.reviewrnn.core.retrain.RetrainOutcome;
import io.reviewrnn.core.retrain.RetrainStages;
import io.reviewrnn.core.retrain.Retrainer;
import io.reviewrnn.jobs.testing.MiniHdfs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry and the retrain lock on a real HDFS (MiniDFSCluster), where publication goes through the
 * NameNode's non-overwriting rename ({@code FileContext.rename(..., Rename.NONE)}) rather than the local
 * file system's hard links.
 */
class ModelRegistryHdfsIT {
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    @TempDir
    static java.nio.file.Path base;

    static MiniHdfs hdfs;
    static FileSystem fs;

    FileSystem local;
    MutableClock clock;
    Path root;
    ModelRegistry reg;

    @BeforeAll
    static void startHdfs() throws IOException {
        hdfs = new MiniHdfs(base.resolve("dfs"));
        fs = hdfs.fs();
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @BeforeEach
    void setUp(TestInfo info) throws IOException {
        local = FileSystem.getLocal(fs.getConf());
        clock = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
        root = new Path(hdfs.uri() + "/registries/" + info.getTestMethod().orElseThrow().getName());
        reg = ModelRegistry.open(fs, root, true, clock);
    }

    Path checkpointOnHdfs(int seed) throws IOException {
        return RegistryFixtures.checkpoint(fs, new Path(hdfs.uri() + "/runs/" + UUID.randomUUID() + "/best"), seed);
    }

    @Test
    void registerPromoteAndRollbackOnHdfs() throws IOException {
        Path a = checkpointOnHdfs(1);
        // A checkpoint on another file system (local) is copied in as well.
        Path b = RegistryFixtures.checkpoint(local, new Path(base.resolve("local-ckpt").toUri()), 2);
        VersionRecord v1 = reg.register(RegisterRequest.of(a.toString(), Map.of("accuracy", 0.80)));
        VersionRecord v2 = reg.register(RegisterRequest.of(b.toString(), Map.of("accuracy", 0.82)));
        assertEquals(List.of(1, 2), reg.versionNumbers());
        assertEquals(ContentHash.of(fs, a).sha256(), v1.checkpointSha256());
        assertEquals(ContentHash.of(local, b).sha256(), v2.checkpointSha256());
        assertEquals(v2.checkpointSha256(), ContentHash.of(fs, new Path(reg.versionPath(2), "checkpoint")).sha256());
        assertTrue(Arrays.stream(fs.listStatus(new Path(root, "versions")))
                .allMatch(s -> s.getPath().getName().matches("v[0-9]+")), "no temporary left behind");

        reg.promote(1, "first");
        reg.promote(2, "better");
        assertEquals(VersionStatus.PREVIOUS_CHAMPION, reg.show(1).status());
        String champion = reg.resolve("champion").checkpoint();
        assertTrue(champion.startsWith("hdfs://") && champion.endsWith("/versions/v2/checkpoint"), champion);
        assertEquals(1, reg.rollback("v2 misbehaves").version());
        assertEquals(1, reg.resolve("champion").version());
        assertEquals(VersionStatus.RETIRED, reg.show(2).status());
        // A reader opening the registry afresh sees the same state.
        assertEquals(1, ModelRegistry.open(root.toString(), fs.getConf()).champion().orElseThrow().version());
    }

    @Test
    void concurrentRegistersClaimDistinctVersions() throws Exception {
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sources.add(checkpointOnHdfs(10 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<VersionRecord>> futures = new ArrayList<>();
        for (Path src : sources) {
            futures.add(pool.submit(() -> {
                go.await();
                return reg.register(RegisterRequest.of(src.toString(), Map.of()));
            }));
        }
        go.countDown();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            VersionRecord r = futures.get(i).get(120, TimeUnit.SECONDS);
            numbers.add(r.version());
            assertEquals(ContentHash.of(fs, sources.get(i)).sha256(), reg.record(r.version()).checkpointSha256(),
                    "each version holds its own checkpoint");
        }
        pool.shutdown();
        numbers.sort(null);
        assertEquals(List.of(1, 2, 3, 4), numbers);
        assertEquals(List.of(1, 2, 3, 4), reg.versionNumbers());
    }

    @Test
    void retentionNeverDeletesTheChampionOrTheRollbackTarget() throws IOException {
        for (int i = 1; i <= 5; i++) {
            reg.register(RegisterRequest.of(checkpointOnHdfs(i).toString(), Map.of("accuracy", 0.8)));
        }
        reg.promote(1, "a");
        reg.promote(2, "b");
        assertEquals(List.of(3, 4), reg.prune(1).deleted());
        assertEquals(List.of(1, 2, 5), reg.versionNumbers());
        assertTrue(fs.exists(new Path(reg.resolve("champion").checkpoint(), "network.zip")));
        assertEquals(1, reg.rollback("r").version());
    }

    @Test
    void aConcurrentLockIsRefusedNamingTheHolderAndExactlyOneRacerWins() throws Exception {
        RetrainLock lock = reg.lock();
        try (RetrainLock.Lease held = lock.acquire("nightly-2026-03-01", TEN_MINUTES)) {
            LockHeldException e = assertThrows(LockHeldException.class, () -> lock.acquire("manual", TEN_MINUTES));
            assertTrue(e.getMessage().contains("run nightly-2026-03-01 on host"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains("started 2026-03-01T02:00:00Z"), e.getMessage());
        }
        assertEquals(1, race(lock, 6));
    }

    @Test
    void aStaleLockIsBrokenAfterItsTimeoutByExactlyOneRacer() throws Exception {
        RetrainLock lock = reg.lock();
        RetrainLock.Lease crashed = lock.acquire("crashed", TEN_MINUTES);
        clock.advance(Duration.ofMinutes(9));
        assertThrows(LockHeldException.class, () -> lock.acquire("too-early", TEN_MINUTES));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, race(lock, 6));
        assertFalse(lock.holder().orElseThrow().runId().equals("crashed"));
        assertThrows(LockLostException.class, crashed::renew, "the crashed holder cannot reclaim it");
    }

    @Test
    void retrainWorkflowOnHdfsWithFakeStages() throws Exception {
        String yaml = """
                work_dir: %s/work
                prepare:
                  input: {path: /data/reviews.csv}
                model: conf/models/lstm.yaml
                compare: {metric: accuracy, min_delta: 0.01}
                registry: {path: %s}
                """.formatted(hdfs.uri(), root);
        RetrainConfig config = Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                RetrainConfig.class, "it");
        assertEquals(RetrainOutcome.PROMOTED, new Retrainer(config, stages(0.80), fs.getConf(), clock)
                .run("run-1").outcome());
        assertEquals(RetrainOutcome.NOT_PROMOTED, new Retrainer(config, stages(0.805), fs.getConf(), clock)
                .run("run-2").outcome());
        assertEquals(1, reg.champion().orElseThrow().version());
        assertEquals(VersionStatus.REJECTED, reg.show(2).status());
        try (RetrainLock.Lease other = reg.lock().acquire("other-host-run", TEN_MINUTES)) {
            assertThrows(LockHeldException.class,
                    () -> new Retrainer(config, stages(0.9), fs.getConf(), clock).run("run-3"));
        }
        assertEquals(List.of(1, 2), reg.versionNumbers());
        assertTrue(fs.exists(new Path(hdfs.uri() + "/work/run-2/result.json")));
    }

    /** Stages that "train" a checkpoint scoring {@code accuracy}, stored in the checkpoint for evaluation. */
    RetrainStages stages(double accuracy) {
        return new RetrainStages() {
            @Override
            public PreparedSnapshot prepare(RetrainConfig c, String runDir) throws IOException {
                Path m = new Path(runDir + "/prepared/manifest.json");
                RegistryFixtures.write(fs, m, "{}");
                return new PreparedSnapshot(runDir + "/prepared", m.toString(), "0".repeat(64));
            }

            @Override
            public TrainedChallenger train(RetrainConfig c, PreparedSnapshot data, String runDir)
                    throws IOException {
                Path ckpt = RegistryFixtures.checkpoint(fs, new Path(runDir + "/train/best"), (int) (accuracy * 1e3));
                RegistryFixtures.write(fs, new Path(ckpt, "accuracy.txt"), Double.toString(accuracy));
                return new TrainedChallenger(ckpt.toString(), null);
            }

            @Override
            public Map<String, Double> evaluate(String checkpoint, PreparedSnapshot data, String out)
                    throws IOException {
                try (InputStream in = fs.open(new Path(checkpoint, "accuracy.txt"))) {
                    return Map.of("accuracy", Double.parseDouble(new String(in.readAllBytes(),
                            StandardCharsets.UTF_8)));
                }
            }
        };
    }

    static int race(RetrainLock lock, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String run = "racer-" + i;
            results.add(pool.submit(() -> {
                go.await();
                try {
                    lock.acquire(run, TEN_MINUTES);
                    return true;
                } catch (LockHeldException e) {
                    return false;
                }
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : results) {
            won += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        return won;
    }
}
