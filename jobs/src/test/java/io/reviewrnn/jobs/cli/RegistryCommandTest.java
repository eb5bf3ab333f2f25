package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.registry.ModelRegistry;
import io.reviewrnn.core.registry.RegisterRequest;
import io.reviewrnn.core.registry.RegistryFixtures;
import io.reviewrnn.core.registry.RetrainLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The registry subcommands end to end on a local registry, through the real command line (no Spark). */
class RegistryCommandTest {
    @TempDir
    java.nio.file.Path tmp;

    ModelRegistry reg;
    String root;

    record Run(int exit, String out, String err) {
    }

    Run cli(String... args) {
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
        FileSystem fs = FileSystem.getLocal(new Configuration());
        root = tmp.resolve("registry").toString();
        reg = ModelRegistry.openOrCreate(root, new Configuration());
        for (int i = 1; i <= 3; i++) {
            Path ckpt = RegistryFixtures.checkpoint(fs, new Path(tmp.resolve("ckpt-" + i).toUri()), i);
            reg.register(RegisterRequest.of(ckpt.toString(), Map.of("accuracy", 0.8 + i / 100.0)));
        }
        reg.promote(1, "first");
    }

    @Test
    void scoreEvaluateAndPredictResolveChampionThroughTheRegistry() {
        ScoreCommand score = new ScoreCommand();
        new CommandLine(score).parseArgs("--model", "champion", "--registry", root, "--input", "in.csv", "--output", "o");
        assertTrue(score.config().model().endsWith("/versions/v1/checkpoint"), score.config().model());
        EvaluateCommand evaluate = new EvaluateCommand();
        new CommandLine(evaluate).parseArgs("--model", "v2", "--registry", root, "--input", "in.csv");
        assertTrue(evaluate.config().model().endsWith("/versions/v2/checkpoint"), evaluate.config().model());
        ScoreCommand noRegistry = new ScoreCommand();
        new CommandLine(noRegistry).parseArgs("--model", "champion", "--registry", "", "--input", "x", "--output", "o");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                noRegistry::config);
        assertTrue(e.getMessage().contains("--registry"), e.getMessage());
    }

    @Test
    void listShowsEveryVersionWithItsStatus() {
        Run r = cli("registry", "list", "--registry", root);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("champion v1"), r.out());
        assertTrue(r.out().matches("(?s).*v1\\s+champion .*accuracy=0\\.8100.*"), r.out());
        assertTrue(r.out().matches("(?s).*v3\\s+candidate .*accuracy=0\\.8300.*"), r.out());
    }

    @Test
    void promoteShowAndRollback() throws IOException {
        Run p = cli("registry", "promote", "v3", "--registry", root, "--reason", "better on last week's data");
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.out().contains("v3 is the champion; v1 is the rollback target"), p.out());
        assertEquals(3, reg.champion().orElseThrow().version());

        Run s = cli("registry", "show", "champion", "--registry", root);
        assertEquals(0, s.exit(), s.err());
        assertTrue(s.out().startsWith("v3  champion: better on last week's data"), s.out());
        assertTrue(s.out().contains("sha256 " + reg.record(3).checkpointSha256()), s.out());
        assertTrue(s.out().contains("promote v3 replacing v1"), s.out());

        Run j = cli("registry", "show", "v1", "--json", "--registry", root);
        assertEquals(0, j.exit(), j.err());
        assertTrue(j.out().contains("\"status\" : \"previous_champion\""), j.out());

        Run rb = cli("registry", "rollback", "--registry", root);
        assertEquals(0, rb.exit(), rb.err());
        assertTrue(rb.out().contains("v1 is the champion again, v3 is retired"), rb.out());
        assertEquals(1, reg.champion().orElseThrow().version());
        assertTrue(reg.lock().holder().isEmpty(), "the CLI released the lock");
    }

    @Test
    void changesAreRefusedWhileARetrainHoldsTheLock() throws IOException {
        try (RetrainLock.Lease lease = reg.lock().acquire("nightly-42", Duration.ofMinutes(30))) {
            Run p = cli("registry", "promote", "v2", "--registry", root);
            assertEquals(1, p.exit());
            assertTrue(p.err().contains("run nightly-42 on host"), p.err());
            assertEquals(1, reg.champion().orElseThrow().version());
            // Reading needs no lock.
            assertEquals(0, cli("registry", "list", "--registry", root).exit());
        }
    }

    @Test
    void errorsAreClear() {
        Run missing = cli("registry", "list", "--registry", tmp.resolve("nope").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no model registry at"), missing.err());
        Run unknown = cli("registry", "promote", "v9", "--registry", root);
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("no version v9") && unknown.err().contains("v1, v2, v3"), unknown.err());
        Run bad = cli("registry", "show", "latest", "--registry", root);
        assertEquals(2, bad.exit(), "a malformed version is a usage error");
        Run noRoll = cli("registry", "rollback", "--registry", root);
        assertEquals(1, noRoll.exit());
        assertTrue(noRoll.err().contains("cannot roll back"), noRoll.err());
    }

    /**
     * One hash per model: show, list, register and --json report the checkpoint's own content hash, the one
     * --expected-hash, model_sha256 and the scored rows carry, and show finds the version by it.
     */
    @Test
    void theRegistryReportsAndFindsTheModelsContentHash() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        io.reviewrnn.core.model.ModelSpec spec = io.reviewrnn.core.model.ModelSpec.builder().setName("tiny-rnn")
                .setKind(io.reviewrnn.core.model.ModelSpec.Kind.SIMPLE_RNN)
                .setInput(io.reviewrnn.core.model.ModelSpec.Input.embedding(2)).setUnits(2)
                .optOptimizer(io.reviewrnn.core.model.ModelSpec.Optimizer.rmsprop(1e-3)).optSeed(7L)
                .optImpl(io.reviewrnn.core.model.ModelSpec.Impl.FAST).build();
        io.reviewrnn.core.text.TextSpec text = new io.reviewrnn.core.text.TextSpec(8, 5,
                io.reviewrnn.core.text.PaddingMode.PRE, io.reviewrnn.core.text.PaddingMode.PRE, true);
        Path ckpt = new Path(tmp.resolve("real-checkpoint").toUri());
        String contentHash = io.reviewrnn.core.store.Checkpoint.write(fs, ckpt,
                io.reviewrnn.core.model.ModelFactory.network(spec, text.numWords()),
                io.reviewrnn.core.text.Vocabulary.ofRanked(java.util.List.of(
                        new io.reviewrnn.core.text.WordCount("good", 5), new io.reviewrnn.core.text.WordCount("bad", 4))),
                spec, new io.reviewrnn.core.store.Checkpoint.Metadata(io.reviewrnn.core.store.Checkpoint.FORMAT_VERSION,
                        "best", 1, "2026-12-07T00:00:00Z", spec.name(), 0, text, "corpus", null, null, null,
                        java.util.List.of()));

        Run r = cli("registry", "register", ckpt.toString(), "--registry", root);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("model sha256 " + contentHash), r.out());
        String directoryHash = reg.record(4).checkpointSha256();
        assertTrue(!directoryHash.equals(contentHash), "two different hashes exist; the model's is the one shown");

        Run show = cli("registry", "show", "v4", "--registry", root);
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("  model       sha256 " + contentHash), show.out());
        Run byHash = cli("registry", "show", contentHash.substring(0, 10), "--registry", root);
        assertEquals(0, byHash.exit(), byHash.err());
        assertTrue(byHash.out().startsWith("v4  candidate"), byHash.out());
        Run json = cli("registry", "show", contentHash, "--json", "--registry", root);
        assertTrue(json.out().contains("\"content_sha256\" : \"" + contentHash + "\""), json.out());
        Run list = cli("registry", "list", "--registry", root);
        assertTrue(list.out().matches("(?s).*v4\\s+candidate\\s+\\S+\\s+" + contentHash.substring(0, 12) + ".*"),
                list.out());
        Run unknown = cli("registry", "show", "0123456789abcdef", "--registry", root);
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("is no model sha256 of a version"), unknown.err());
    }

    @Test
    void registerCopiesACheckpointIntoTheNextVersion() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path ckpt = RegistryFixtures.checkpoint(fs, new Path(tmp.resolve("external").toUri()), 42);
        Run r = cli("registry", "register", ckpt.toString(), "--metrics", "accuracy=0.86,loss=0.33", "--note",
                "trained by hand", "--registry", root);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("registered v4 (7 files"), r.out());
        assertEquals(Map.of("accuracy", 0.86, "loss", 0.33), reg.record(4).metrics());
        assertEquals("trained by hand", reg.record(4).note());
        // A new registry is created on first use.
        Run fresh = cli("registry", "register", ckpt.toString(), "--registry", tmp.resolve("new-reg").toString());
        assertEquals(0, fresh.exit(), fresh.err());
        assertTrue(fresh.out().startsWith("registered v1"), fresh.out());
    }

    @Test
    void pruneKeepsTheChampion() throws IOException {
        Run p = cli("registry", "prune", "--keep", "1", "--registry", root);
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.out().contains("deleted [2]"), p.out());
        assertEquals(java.util.List.of(1, 3), reg.versionNumbers());
    }
}
