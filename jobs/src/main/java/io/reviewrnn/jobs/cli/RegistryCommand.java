package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.registry.ChampionPointer;
import io.reviewrnn.core.registry.Lineage;
import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.registry.PruneResult;
import io.reviewrnn.core.registry.RegisterRequest;
import io.reviewrnn.core.registry.RetrainLock;
import io.reviewrnn.core.registry.VersionInfo;
import io.reviewrnn.core.registry.VersionRecord;
import io.reviewrnn.core.store.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code review-rnn registry}: inspect and manage the model registry (no Spark needed). Changes (register,
 * promote, rollback, prune) take the retrain lock, so they never interleave with a running retrain.
 */
@Command(name = "registry",
        header = "Lists and manages the versions of the model registry.",
        mixinStandardHelpOptions = true,
        description = {"Lists and manages the versions of the model registry and its champion pointer.",
            "register, promote, rollback and prune take the retrain lock: they fail fast while a retrain runs."},
        subcommands = {
            RegistryCommand.ListVersions.class,
            RegistryCommand.Show.class,
            RegistryCommand.Register.class,
            RegistryCommand.Promote.class,
            RegistryCommand.Rollback.class,
            RegistryCommand.Prune.class,
        },
        commandListHeading = "%nCommands:%n",
        footer = {"", "Example:", "  review-rnn registry list --registry hdfs:///models/review-rnn",
            "  review-rnn registry rollback --registry hdfs:///models/review-rnn --reason \"v7 misbehaves\""})
public final class RegistryCommand implements Runnable {
    /** How long a CLI change may hold the retrain lock before a retrain may take it over. */
    static final Duration CLI_LOCK_TIMEOUT = Duration.ofMinutes(10);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The {@code --registry} option shared by the subcommands. */
    public static final class RegistryOption {
        @Option(names = {"-r", "--registry"}, paramLabel = "PATH", required = true,
                defaultValue = "${env:REVIEW_RNN_REGISTRY}",
                description = "Registry root (local, file:// or hdfs://); default $REVIEW_RNN_REGISTRY.")
        String registry;

        ModelRegistry open() throws IOException {
            if (registry == null || registry.isBlank()) {
                throw new ConfigException("--registry is required (or set REVIEW_RNN_REGISTRY)");
            }
            return ModelRegistry.open(registry, new Configuration());
        }
    }

    /** {@code registry list}. */
    @Command(name = "list",
        header = "Lists every version with its status.",
        mixinStandardHelpOptions = true, description = "Lists every version with its status.")
    static final class ListVersions implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Override
        public Integer call() throws IOException {
            ModelRegistry reg = registry.open();
            PrintWriter out = spec.commandLine().getOut();
            Optional<ChampionPointer> champion = reg.champion();
            out.printf("registry %s: champion %s%n", reg.root(),
                    champion.map(c -> "v" + c.version() + " (since " + c.updatedAt() + ", " + c.action() + ")")
                            .orElse("none"));
            var versions = reg.list();
            if (versions.isEmpty()) {
                out.println("  no versions");
                return 0;
            }
            out.printf("  %-6s %-18s %-24s %-12s %s%n", "VER", "STATUS", "CREATED", "MODEL SHA256", "METRICS");
            for (VersionInfo v : versions) {
                String hash = modelHash(v);
                out.printf("  %-6s %-18s %-24s %-12s %s%n", v.record().name(), v.status().name().toLowerCase(
                        Locale.ROOT), v.record().createdAt(), hash == null ? "-" : hash.substring(0, 12),
                        metrics(v.record().metrics()));
            }
            return 0;
        }
    }

    /** {@code registry show <v>}. */
    @Command(name = "show",
        header = "Shows one version: status, metrics, lineage, content hash and history.",
        mixinStandardHelpOptions = true,
            description = "Shows one version: status, metrics, lineage, content hash and champion history.")
    static final class Show implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(paramLabel = "VERSION", description = "vN, champion, previous, or the model's sha256 (at least its"
                + " first 8 hex digits, as evaluate's and score's model_sha256 print it).")
        String version;

        @Option(names = "--json", description = "Print version.json with the derived status as JSON.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            String ref = version.trim().toLowerCase(Locale.ROOT);
            boolean byHash = ref.matches("[0-9a-f]{8,64}");
            if (!byHash && !ref.matches("champion|previous|v\\d+")) {
                throw new ConfigException("VERSION", version, "must be vN, champion, previous or a model sha256 (8 to 64"
                        + " hex digits)");
            }
            ModelRegistry reg = registry.open();
            int n = byHash ? versionOfModel(reg, ref) : reg.resolve(ref).version();
            VersionInfo v = reg.show(n);
            String modelHash = modelHash(v);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                var node = Yaml.json().createObjectNode();
                node.put("status", v.status().name().toLowerCase(Locale.ROOT));
                node.put("reason", v.reason());
                node.put("path", v.path());
                node.put("content_sha256", modelHash);
                node.set("version", Yaml.json().valueToTree(v.record()));
                out.println(Yaml.json().writeValueAsString(node));
                return 0;
            }
            VersionRecord r = v.record();
            out.printf("%s  %s%s%n", r.name(), v.status().name().toLowerCase(Locale.ROOT),
                    v.reason() == null ? "" : ": " + v.reason());
            out.printf("  path        %s%n", v.path());
            out.printf("  created     %s by %s%n", r.createdAt(), r.registeredBy());
            out.printf("  model       sha256 %s (the checkpoint's content hash: --expected-hash, model_sha256)%n",
                    orDash(modelHash));
            out.printf("  checkpoint  %d files, %d bytes, directory sha256 %s%n", r.checkpointFiles(),
                    r.checkpointBytes(), r.checkpointSha256());
            out.printf("  source      %s%n", r.source());
            out.printf("  metrics     %s%n", metrics(r.metrics()));
            out.printf("  lineage     data %s%s, parent %s, run %s%n", orDash(r.lineage().dataManifest()),
                    r.lineage().dataSha256() == null ? "" : " (sha256 " + r.lineage().dataSha256() + ")",
                    r.lineage().parentVersion() == null ? "none" : "v" + r.lineage().parentVersion(),
                    orDash(r.lineage().runId()));
            if (r.note() != null) {
                out.printf("  note        %s%n", r.note());
            }
            for (ChampionPointer p : reg.history()) {
                if (p.version() == n || (p.replaced() != null && p.replaced() == n)) {
                    out.printf("  history     %s  generation %d: %s v%d%s (%s)%n", p.updatedAt(), p.generation(),
                            p.action(), p.version(), p.replaced() == null ? "" : " replacing v" + p.replaced(),
                            p.reason());
                }
            }
            return 0;
        }
    }

    /** {@code registry register <checkpoint>}. */
    @Command(name = "register",
        header = "Copies a checkpoint into the next version of the registry.",
        mixinStandardHelpOptions = true,
            description = {"Copies a checkpoint directory into the next version vN (a candidate), e.g. a model",
                "trained outside retrain. Creates the registry if the directory is missing or empty."})
    static final class Register implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(paramLabel = "CHECKPOINT", description = "Checkpoint directory (local, file:// or hdfs://).")
        String checkpoint;

        @Option(names = "--metrics", paramLabel = "NAME=VALUE", split = ",",
                description = "Test metrics to record, e.g. --metrics accuracy=0.81,loss=0.43.")
        Map<String, Double> metrics = new LinkedHashMap<>();

        @Option(names = "--note", paramLabel = "TEXT", description = "Free text shown by 'registry show'.")
        String note;

        @Override
        public Integer call() throws IOException {
            if (registry.registry == null || registry.registry.isBlank()) {
                throw new ConfigException("--registry is required (or set REVIEW_RNN_REGISTRY)");
            }
            ModelRegistry reg = ModelRegistry.openOrCreate(registry.registry, new Configuration());
            try (RetrainLock.Lease lease = reg.lock().acquire(cliRunId("register"), CLI_LOCK_TIMEOUT)) {
                lease.assertHeld();
                VersionRecord r = reg.register(new RegisterRequest(checkpoint, metrics,
                        null, new Lineage(null, null, null, cliRunId("register")),
                        note));
                spec.commandLine().getOut().printf("registered %s (%d files, %d bytes, model sha256 %s)%n",
                        r.name(), r.checkpointFiles(), r.checkpointBytes(), orDash(modelHash(reg.show(r.version()))));
            }
            return 0;
        }
    }

    /** {@code registry promote <v>}. */
    @Command(name = "promote",
        header = "Makes a version the champion.",
        mixinStandardHelpOptions = true,
            description = "Makes a version the champion; the old champion becomes the rollback target.")
    static final class Promote implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Parameters(paramLabel = "VERSION", description = "vN.")
        String version;

        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "promoted by hand",
                description = "Recorded in the champion history (default: ${DEFAULT-VALUE}).")
        String reason;

        @Override
        public Integer call() throws IOException {
            int v = version(version);
            ModelRegistry reg = registry.open();
            try (RetrainLock.Lease lease = reg.lock().acquire(cliRunId("promote"), CLI_LOCK_TIMEOUT)) {
                lease.assertHeld();
                ChampionPointer p = reg.promote(v, reason);
                spec.commandLine().getOut().printf("v%d is the champion%s (generation %d)%n", p.version(),
                        p.replaced() == null ? "" : "; v" + p.replaced() + " is the rollback target",
                        p.generation());
            }
            return 0;
        }
    }

    /** {@code registry rollback}. */
    @Command(name = "rollback",
        header = "Restores the previous champion.",
        mixinStandardHelpOptions = true,
            description = "Restores the previous champion (the most recent former champion still kept).")
    static final class Rollback implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "rolled back by hand",
                description = "Recorded in the champion history (default: ${DEFAULT-VALUE}).")
        String reason;

        @Override
        public Integer call() throws IOException {
            ModelRegistry reg = registry.open();
            try (RetrainLock.Lease lease = reg.lock().acquire(cliRunId("rollback"), CLI_LOCK_TIMEOUT)) {
                lease.assertHeld();
                ChampionPointer p = reg.rollback(reason);
                spec.commandLine().getOut().printf("rolled back: v%d is the champion again, v%d is retired"
                        + " (generation %d)%n", p.version(), p.replaced(), p.generation());
            }
            return 0;
        }
    }

    /** {@code registry prune}. */
    @Command(name = "prune",
        header = "Deletes old versions, keeping the champion and the rollback target.",
        mixinStandardHelpOptions = true,
            description = {"Applies retention now: keeps the newest N versions, the champion and the rollback",
                "target, and removes temporary entries left by crashed writers (retrain does this after each run)."})
    static final class Prune implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        RegistryOption registry;

        @Option(names = "--keep", paramLabel = "N", required = true, description = "Versions to keep (>= 1).")
        int keep;

        @Override
        public Integer call() throws IOException {
            ModelRegistry reg = registry.open();
            try (RetrainLock.Lease lease = reg.lock().acquire(cliRunId("prune"), CLI_LOCK_TIMEOUT)) {
                lease.assertHeld();
                PruneResult r = reg.prune(keep);
                spec.commandLine().getOut().printf("deleted %s; kept %s (protected: %s); removed %d abandoned"
                        + " temporary entries%n", r.deleted(), r.kept(), r.protectedVersions(),
                        r.sweptTemporaries().size());
            }
            return 0;
        }
    }

    /** {@code vN} (or {@code N}) as N; anything else is a usage error. */
    static int version(String s) {
        try {
            return ModelRegistry.parseVersion(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("VERSION", s, "must be vN, e.g. v3");
        }
    }

    static String cliRunId(String action) {
        return "cli-" + action + "-" + System.getProperty("user.name", "unknown");
    }

    static String orDash(String s) {
        return s == null ? "-" : s;
    }

    static String metrics(Map<String, Double> m) {
        return m.isEmpty() ? "-" : m.entrySet().stream()
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4f", e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /**
     * The model's own content hash ({@code checkpoint/content.sha256}): what {@code --expected-hash}, evaluate's and
     * score's {@code model_sha256} and the scored rows carry, so a prediction joins to its registry version. Null for
     * a version whose checkpoint has no content hash.
     */
    static String modelHash(VersionInfo v) throws IOException {
        org.apache.hadoop.fs.Path f = new org.apache.hadoop.fs.Path(v.checkpoint(), Checkpoint.CONTENT_HASH);
        FileSystem fs = f.getFileSystem(new Configuration());
        return fs.exists(f) ? new String(HadoopFiles.read(fs, f), StandardCharsets.UTF_8).trim() : null;
    }

    /** The version whose model sha256 starts with {@code prefix}; exactly one must. */
    static int versionOfModel(ModelRegistry reg, String prefix) throws IOException {
        java.util.List<Integer> found = new java.util.ArrayList<>();
        for (VersionInfo v : reg.list()) {
            String h = modelHash(v);
            if (h != null && h.startsWith(prefix)) {
                found.add(v.version());
            }
        }
        if (found.size() != 1) {
            throw new ConfigException("VERSION", prefix, found.isEmpty() ? "is no model sha256 of a version in "
                    + reg.root() : "matches the models of several versions " + found + "; give more digits");
        }
        return found.get(0);
    }
}
