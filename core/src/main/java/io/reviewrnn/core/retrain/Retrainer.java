package io.reviewrnn.core.retrain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reviewrnn.core.config.RetrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.config.SimpleName;
import io.reviewrnn.core.registry.ChampionPointer;
import io.reviewrnn.core.registry.Lineage;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.registry.PruneResult;
import io.reviewrnn.core.registry.RegisterRequest;
import io.reviewrnn.core.registry.RegistryException;
import io.reviewrnn.core.registry.RetrainLock;
import io.reviewrnn.core.registry.VersionRecord;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retrain run: lock, prepare, train, evaluate challenger and champion on the same test set, register the
 * challenger, promote or reject it, apply retention, unlock. The Spark work is delegated to {@link RetrainStages};
 * everything that touches the registry happens here, after the lock is re-checked, so that:
 * <ul>
 *   <li>a second concurrent run fails at once, naming the holder ({@code LockHeldException});</li>
 *   <li>a crash or kill before registration leaves the registry untouched; between registration and promotion it
 *       leaves a candidate version and the old champion; the champion pointer itself changes in one atomic step;
 *   </li>
 *   <li>a run whose lease was taken over (it stalled longer than the lock timeout) stops before changing
 *       anything ({@code LockLostException});</li>
 *   <li>a champion changed behind the run's back (impossible while the lock is respected) voids the decision.</li>
 * </ul>
 * Failures are thrown; the CLI maps them to {@link RetrainOutcome#FAILED}. Not thread-safe; one run per instance.
 */
public final class Retrainer {
    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);

    private final RetrainConfig config;
    private final RetrainStages stages;
    private final Configuration hadoopConf;
    private final Clock clock;
    private final PromotionPolicy policy;

    public Retrainer(RetrainConfig config, RetrainStages stages, Configuration hadoopConf) {
        this(config, stages, hadoopConf, Clock.systemUTC());
    }

    /** With a clock for the registry records and lock leases (tests). */
    public Retrainer(RetrainConfig config, RetrainStages stages, Configuration hadoopConf, Clock clock) {
        this.config = config;
        this.stages = stages;
        this.hadoopConf = hadoopConf;
        this.clock = clock;
        this.policy = new PromotionPolicy(config.compare());
    }

    /** Runs once as {@code runId} (unique per run, e.g. {@code retrain-20260101T020000Z}). */
    public RetrainResult run(String runId) throws Exception {
        long t0 = System.nanoTime();
        SimpleName.require("run id", runId); // <work_dir>/<run-id>, never outside work_dir
        Path registryPath = new Path(config.registry().path());
        ModelRegistry registry = ModelRegistry.open(registryPath.getFileSystem(hadoopConf), registryPath, true,
                clock);
        try (RetrainLock.Lease lease = registry.lock().acquire(runId, config.lock().timeout())) {
            lease.keepAlive(config.lock().heartbeat());
            String runDir = config.workDir() + "/" + runId;
            LOG.info("retrain {}: registry {}, compare {} ({}, min_delta {}), run directory {}", runId,
                    registry.root(), config.compare().metric(), config.compare().direction(),
                    config.compare().minDelta(), runDir);

            Integer championAtStart = registry.champion().map(ChampionPointer::version).orElse(null);
            if (championAtStart != null) {
                verifyChampion(registry, championAtStart);
            }

            RetrainStages.PreparedSnapshot data = stages.prepare(config, runDir);
            lease.assertHeld();
            RetrainStages.TrainedChallenger challenger = stages.train(config, data, runDir);
            lease.assertHeld();

            Integer championVersion = registry.champion().map(ChampionPointer::version).orElse(null);
            Map<String, Double> challengerMetrics = stages.evaluate(challenger.checkpoint(), data,
                    runDir + "/evaluate-challenger");
            Map<String, Double> championMetrics = null;
            if (championVersion != null) {
                String championCheckpoint = registry.resolve("v" + championVersion).checkpoint();
                championMetrics = stages.evaluate(championCheckpoint, data,
                        runDir + "/evaluate-champion-v" + championVersion);
            }
            PromotionDecision decision = policy.decide(challengerMetrics, championVersion, championMetrics);
            LOG.info("retrain {}: {}", runId, decision.reason());

            lease.assertHeld();
            Integer championNow = registry.champion().map(ChampionPointer::version).orElse(null);
            if (!Objects.equals(championNow, championVersion)) {
                throw new IllegalStateException("the champion changed from " + name(championVersion) + " to "
                        + name(championNow) + " during the run; the decision is void, nothing was registered");
            }
            ObjectNode stored = Yaml.json().createObjectNode();
            stored.set("retrain", Yaml.json().valueToTree(config));
            if (challenger.effectiveConfig() != null) {
                stored.set("train_effective", challenger.effectiveConfig());
            }
            VersionRecord version = registry.register(new RegisterRequest(challenger.checkpoint(),
                    challengerMetrics, stored, new Lineage(data.manifest(), data.manifestSha256(), championVersion,
                    runId), decision.reason()));

            lease.assertHeld();
            if (decision.promote()) {
                registry.promote(version.version(), decision.reason());
            } else {
                registry.reject(version.version(), decision.reason());
            }
            PruneResult pruned = registry.prune(config.registry().keepLast());
            int championAfter = registry.champion().orElseThrow().version();
            RetrainResult result = new RetrainResult(runId,
                    decision.promote() ? RetrainOutcome.PROMOTED : RetrainOutcome.NOT_PROMOTED, version.version(),
                    championVersion, championAfter, decision, challengerMetrics, championMetrics, pruned.deleted(),
                    (System.nanoTime() - t0) / 1e9);
            writeResult(runDir, result);
            LOG.info("retrain {}: {} v{}; champion is v{}", runId, result.outcome(), version.version(),
                    championAfter);
            return result;
        }
    }

    /**
     * A champion that fails verification (changed after registration, not data only, not its spec) would be loaded
     * for the comparison hours later, or hang it: the run stops now, before any work, and releases the lock.
     */
    private static void verifyChampion(ModelRegistry registry, int version) throws java.io.IOException {
        try {
            registry.verify(version);
        } catch (java.io.IOException e) {
            throw new RegistryException("the champion v" + version + " of " + registry.root() + " fails verification,"
                    + " so it cannot be compared with a challenger; nothing was trained or registered. Restore a sound"
                    + " champion first ('registry rollback' or 'registry promote vN'). " + e.getMessage(), e);
        }
    }

    private void writeResult(String runDir, RetrainResult result) throws java.io.IOException {
        Path p = new Path(runDir, "result.json");
        FileSystem fs = p.getFileSystem(hadoopConf);
        try (OutputStream out = fs.create(p, true)) {
            out.write(Yaml.json().writeValueAsBytes(result));
        }
    }

    private static String name(Integer v) {
        return v == null ? "none" : "v" + v;
    }
}
