package io.reviewrnn.jobs.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.registry.LockHeldException;
import io.reviewrnn.core.registry.LockHolder;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.registry.RegistryFixtures;
import io.reviewrnn.core.retrain.RetrainOutcome;
import io.reviewrnn.core.retrain.RetrainResult;
import io.reviewrnn.core.retrain.Retrainer;
import io.reviewrnn.jobs.testing.MiniHdfs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retrain in a separate JVM is SIGKILLed mid-training, on a MiniDFSCluster: while it lives its heartbeat keeps
 * the lock past the lease timeout; once killed the registry is unchanged, the next run is refused until the dead
 * run's lease expires, and then succeeds.
 */
class RetrainKillIT {
    @TempDir
    java.nio.file.Path base;

    @Test
    void aRetrainKilledMidTrainingLeavesTheRegistryConsistentAndTheNextRunSucceeds() throws Exception {
        try (MiniHdfs hdfs = new MiniHdfs(base.resolve("dfs"))) {
            FileSystem fs = hdfs.fs();
            Configuration conf = fs.getConf();
            String registry = hdfs.uri() + "/models/rnn";
            // Lease 12 s, heartbeat every 1.2 s: short enough for a test, long enough for a loaded machine.
            String yaml = """
                    work_dir: %s/retrain
                    prepare:
                      input: {path: /data/reviews.csv}
                    model: conf/models/lstm.yaml
                    compare: {metric: accuracy, min_delta: 0.01}
                    registry: {path: %s}
                    lock: {timeout_minutes: 0.2, heartbeat_minutes: 0.02}
                    """.formatted(hdfs.uri(), registry);
            Path configPath = new Path(hdfs.uri() + "/conf/retrain.yaml");
            RegistryFixtures.write(fs, configPath, yaml);
            RetrainConfig config = Yaml.bind(Yaml.readTree(configPath.toString()), RetrainConfig.class, "it");

            RetrainResult first = new Retrainer(config, new ScriptedStages(0.80, false, conf), conf).run("run-1");
            assertEquals(RetrainOutcome.PROMOTED, first.outcome());

            Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), RetrainProbe.class.getName(),
                    configPath.toString(), "run-killed", "0.95", "true")
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.equals("TRAINING")) {
                    // skip the child's log lines until it is training
                }
                assertEquals("TRAINING", line, "the child retrain never reached training");

                ModelRegistry reg = ModelRegistry.open(registry, conf);
                LockHolder holder = reg.lock().holder().orElseThrow();
                assertEquals("run-killed", holder.runId());
                assertEquals(child.pid(), holder.pid());
                // Alive and renewing: still refused after more than one lease timeout.
                Thread.sleep(config.lock().timeout().toMillis() + 2_000);
                LockHeldException alive = assertThrows(LockHeldException.class,
                        () -> new Retrainer(config, new ScriptedStages(0.9, false, conf), conf).run("run-2"));
                assertTrue(alive.getMessage().contains("run run-killed") && alive.getMessage().contains(
                        "pid " + child.pid()), alive.getMessage());

                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertFalse(child.isAlive());

                // Killed mid-training: nothing registered, champion unchanged.
                assertEquals(List.of(1), reg.versionNumbers());
                assertEquals(1, reg.champion().orElseThrow().version());
                LockHolder dead = reg.lock().holder().orElseThrow();
                assertEquals("run-killed", dead.runId(), "a killed run releases nothing");

                // The dead run's lease runs out, then the next run takes over and completes.
                while (!dead.expired(Instant.now())) {
                    Thread.sleep(200);
                }
                RetrainResult next = new Retrainer(config, new ScriptedStages(0.9, false, conf), conf).run("run-3");
                assertEquals(RetrainOutcome.PROMOTED, next.outcome());
                assertEquals(2, next.version());
                assertEquals(List.of(1, 2), reg.versionNumbers());
                assertEquals(2, reg.champion().orElseThrow().version());
                assertTrue(reg.lock().holder().isEmpty());
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
