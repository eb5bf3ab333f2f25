package io.reviewrnn.core.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.registry.LockHeldException;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.registry.MutableClock;
import io.reviewrnn.core.registry.RegistryFixtures;
import io.reviewrnn.core.registry.RetrainLock;
import io.reviewrnn.core.registry.VersionStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrain workflow against a registry on the local file system, with fake stages: "training" writes a small
 * checkpoint that carries the accuracy the fake evaluation will report, so champion and challenger are each
 * evaluated from their own checkpoint files, as the real evaluate job will do.
 */
class RetrainerTest {
    @TempDir
    java.nio.file.Path tmp;

    FileSystem fs;
    MutableClock clock;
    RetrainConfig config;
    String registryPath;

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        clock = new MutableClock(Instant.parse("2026-02-01T03:00:00Z"));
        registryPath = tmp.resolve("registry").toUri().toString();
        String yaml = """
                work_dir: %s
                prepare:
                  input: {path: /data/reviews.csv}
                model: conf/models/lstm.yaml
                compare: {metric: accuracy, min_delta: 0.01}
                registry: {path: %s, keep_last: 2}
                lock: {timeout_minutes: 30}
                """.formatted(tmp.resolve("work").toUri(), registryPath);
        config = Yaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), RetrainConfig.class,
                "test");
    }

    /** Fake stages; {@code accuracy} is what the trained challenger will score, {@code failIn} a stage to crash. */
    final class FakeStages implements RetrainStages {
        final double accuracy;
        final String failIn;
        final List<String> calls = new ArrayList<>();

        FakeStages(double accuracy, String failIn) {
            this.accuracy = accuracy;
            this.failIn = failIn;
        }

        @Override
        public PreparedSnapshot prepare(RetrainConfig c, String runDir) throws IOException {
            calls.add("prepare");
            crash("prepare");
            Path manifest = new Path(runDir + "/prepared/manifest.json");
            RegistryFixtures.write(fs, manifest, "{\"splits\":{}}");
            return new PreparedSnapshot(runDir + "/prepared", manifest.toString(), "sha-of-" + runDir);
        }

        @Override
        public TrainedChallenger train(RetrainConfig c, PreparedSnapshot data, String runDir) throws IOException {
            calls.add("train");
            Path ckpt = RegistryFixtures.checkpoint(fs, new Path(runDir + "/train/best"), (int) (accuracy * 1000));
            crash("train");
            RegistryFixtures.write(fs, new Path(ckpt, "accuracy.txt"), Double.toString(accuracy));
            return new TrainedChallenger(ckpt.toString(), Yaml.json().createObjectNode().put("epochs", 3));
        }

        @Override
        public Map<String, Double> evaluate(String checkpoint, PreparedSnapshot data, String outputDir)
                throws IOException {
            calls.add("evaluate " + (checkpoint.contains("/versions/") ? "champion" : "challenger"));
            crash("evaluate");
            try (InputStream in = fs.open(new Path(checkpoint, "accuracy.txt"))) {
                double acc = Double.parseDouble(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                return Map.of("accuracy", acc, "loss", 1 - acc);
            }
        }

        private void crash(String stage) {
            if (stage.equals(failIn)) {
                throw new IllegalStateException("simulated crash in " + stage);
            }
        }
    }

    RetrainResult run(String runId, double accuracy) throws Exception {
        return new Retrainer(config, new FakeStages(accuracy, null), fs.getConf(), clock).run(runId);
    }

    ModelRegistry registry() throws IOException {
        return ModelRegistry.open(registryPath, new Configuration());
    }

    @Test
    void theFirstRunPromotesV1() throws Exception {
        RetrainResult r = run("run-1", 0.80);
        assertEquals(RetrainOutcome.PROMOTED, r.outcome());
        assertEquals(0, r.outcome().exitCode());
        assertEquals(1, r.version());
        assertNull(r.championBefore());
        assertEquals(1, r.championAfter());
        ModelRegistry reg = registry();
        assertEquals(1, reg.champion().orElseThrow().version());
        var rec = reg.record(1);
        assertEquals(0.80, rec.metrics().get("accuracy"));
        assertTrue(rec.lineage().dataManifest().endsWith("run-1/prepared/manifest.json"));
        assertEquals("run-1", rec.lineage().runId());
        assertEquals(3, rec.config().get("train_effective").get("epochs").asInt());
        assertEquals("accuracy", rec.config().get("retrain").get("compare").get("metric").asText());
        assertTrue(fs.exists(new Path(config.workDir() + "/run-1/result.json")));
        assertTrue(reg.lock().holder().isEmpty(), "lock released");
    }

    @Test
    void aWorseChallengerIsRejectedAndTheChampionIsUnchanged() throws Exception {
        run("run-1", 0.80);
        FakeStages stages = new FakeStages(0.805, null);
        RetrainResult r = new Retrainer(config, stages, fs.getConf(), clock).run("run-2");
        assertEquals(RetrainOutcome.NOT_PROMOTED, r.outcome());
        assertEquals(3, r.outcome().exitCode());
        assertEquals(List.of("prepare", "train", "evaluate challenger", "evaluate champion"), stages.calls,
                "both models are evaluated on the run's test set");
        assertEquals(0.80, r.championMetrics().get("accuracy"));
        ModelRegistry reg = registry();
        assertEquals(1, reg.champion().orElseThrow().version());
        var v2 = reg.show(2);
        assertEquals(VersionStatus.REJECTED, v2.status());
        assertTrue(v2.reason().contains("< min_delta 0.01"), v2.reason());
        assertEquals(1, v2.record().lineage().parentVersion());
        // A better one is promoted, and rollback restores the previous champion.
        assertEquals(RetrainOutcome.PROMOTED, run("run-3", 0.85).outcome());
        assertEquals(3, reg.champion().orElseThrow().version());
        reg.rollback("operator: v3 misbehaves");
        assertEquals(1, reg.resolve("champion").version());
    }

    /** The probe's {@code retrain --run-id ../escaped-run}: refused before the registry, the lock or any file. */
    @Test
    void aRunIdThatIsNotOneDirectoryNameIsRefusedBeforeAnything() throws Exception {
        for (String id : List.of("../escaped-run", "..", "a/b", "/abs", ".hidden", "", "x".repeat(129),
                "hdfs://nn/x", "run 1")) {
            FakeStages stages = new FakeStages(0.9, null);
            io.reviewrnn.core.base.ConfigException e = assertThrows(io.reviewrnn.core.base.ConfigException.class,
                    () -> new Retrainer(config, stages, fs.getConf(), clock).run(id), id);
            assertTrue(e.getMessage().startsWith("run id must be a simple name"), e.getMessage());
            assertTrue(stages.calls.isEmpty());
        }
        assertFalse(fs.exists(new Path(registryPath)), "no registry was created");
        assertFalse(fs.exists(new Path(tmp.resolve("escaped-run").toUri())));
        assertFalse(fs.exists(new Path(tmp.resolve("work").toUri())));
        assertEquals(RetrainOutcome.PROMOTED, run("2026-02-01T03.00_nightly-1", 0.8).outcome());
    }

    @Test
    void aConcurrentRunIsRefusedBeforeDoingAnyWork() throws Exception {
        run("run-1", 0.80);
        ModelRegistry reg = registry();
        try (RetrainLock.Lease other = reg.lock().acquire("nightly-on-host-b", Duration.ofMinutes(30))) {
            FakeStages stages = new FakeStages(0.9, null);
            LockHeldException e = assertThrows(LockHeldException.class,
                    () -> new Retrainer(config, stages, fs.getConf(), clock).run("run-2"));
            assertTrue(e.getMessage().contains("nightly-on-host-b"), e.getMessage());
            assertEquals(List.of(), stages.calls);
        }
        assertEquals(List.of(1), reg.versionNumbers());
    }

    @Test
    void aCrashAtAnyStageLeavesTheRegistryUntouchedAndTheNextRunSucceeds() throws Exception {
        run("run-1", 0.80);
        for (String stage : List.of("prepare", "train", "evaluate")) {
            Retrainer crashing = new Retrainer(config, new FakeStages(0.95, stage), fs.getConf(), clock);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> crashing.run("crash-" + stage));
            assertTrue(e.getMessage().contains(stage));
            ModelRegistry reg = registry();
            assertEquals(List.of(1), reg.versionNumbers(), "nothing registered after a crash in " + stage);
            assertEquals(1, reg.champion().orElseThrow().version());
            assertTrue(reg.lock().holder().isEmpty(), "lock released after a crash in " + stage);
        }
        assertEquals(RetrainOutcome.PROMOTED, run("run-2", 0.95).outcome());
        assertEquals(2, registry().champion().orElseThrow().version());
    }

    @Test
    void theLockOfAKilledRunIsTakenOverAfterItsTimeout() throws Exception {
        run("run-1", 0.80);
        // A killed JVM releases nothing: its lease stays until it expires.
        ModelRegistry.open(fs, new Path(registryPath), false, clock).lock().acquire("killed-run",
                config.lock().timeout());
        assertThrows(LockHeldException.class, () -> run("run-2", 0.9));
        clock.advance(config.lock().timeout().plusMinutes(1));
        RetrainResult r = run("run-3", 0.9);
        assertEquals(RetrainOutcome.PROMOTED, r.outcome());
        assertEquals(2, r.version());
    }

    @Test
    void retentionAfterARunKeepsTheChampionAndTheRollbackTarget() throws Exception {
        run("run-1", 0.70);
        run("run-2", 0.80);
        run("run-3", 0.75);
        RetrainResult r = run("run-4", 0.76);
        assertEquals(RetrainOutcome.NOT_PROMOTED, r.outcome());
        // keep_last 2 keeps v3, v4; v2 is champion and v1 the rollback target: nothing may go yet.
        assertEquals(List.of(), r.pruned());
        RetrainResult r5 = run("run-5", 0.74);
        assertEquals(List.of(3), r5.pruned());
        assertEquals(List.of(1, 2, 4, 5), registry().versionNumbers());
        assertFalse(registry().versionNumbers().contains(3));
    }
}
