package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What schedulers and users rely on, for every command, without Spark: exit code 2 for a usage or config error found
 * before any work (no Spark session is started), messages that name the file, the key and the accepted values
 * (never a Java class), one exit-code table in every --help, deprecated spellings that warn, and a top-level help
 * that does not cut descriptions.
 */
class CliConventionsTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @AfterEach
    void noSparkWasStarted() {
        assertTrue(SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty(),
                "a config error must be found before any work (a Spark session was started)");
    }

    private Path yaml(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Exit 2, the message prefixed with the full command name, naming each of {@code mentions}. */
    private static Run usageError(Run r, String command, String... mentions) {
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertTrue(r.err().startsWith("review-rnn " + command + " failed: ")
                || r.err().contains("review-rnn " + command), r.err());
        for (String m : mentions) {
            assertTrue(r.err().contains(m), "'" + m + "' missing in: " + r.err());
        }
        assertFalse(r.err().contains("io.reviewrnn.") || r.err().contains("com.fasterxml")
                || r.err().contains("Exception"), "Java internals in: " + r.err());
        return r;
    }

    @Test
    void trainConfigErrors() throws Exception {
        Path bad = yaml("train.yaml", "corpus: c\nmodel: lstm\nrun_dir: r\nbatch_size: 3\n");
        usageError(cli("train", "--config", bad.toString()), "train", bad.toString(), "unknown key 'batch_size'",
                "did you mean 'batch_size_per_worker'");
        usageError(cli("train", "--corpus", "c", "--model-spec", "lstm", "--run-dir", "r", "--monitor", "val_acc"),
                "train", "monitor must be 'val_loss' or 'val_accuracy', was 'val_acc'");
        usageError(cli("train", "--resume", tmp.resolve("no-run").toString()), "train", "config file not found");
        usageError(cli("train", "--resume", "r", "--corpus", "c"), "train", "--resume");
    }

    @Test
    void prepareEvaluateAndScoreConfigErrors() throws Exception {
        Path bad = yaml("prepare.yaml", "input: {path: x}\noutput: o\ntext: {max_len: 5}\n");
        usageError(cli("prepare", "--config", bad.toString()), "prepare", bad.toString(), "unknown key 'text.max_len'",
                "did you mean 'maxlen'");
        usageError(cli("prepare", "--input", "x", "--output", "o", "--format", "xml"), "prepare",
                "input.format must be one of", "csv", "was 'xml'");
        usageError(cli("prepare", "--input", "x", "--output", "o", "--padding", "middle"), "prepare",
                "--padding", "middle");
        Path eval = yaml("evaluate.yaml", "model: m\ninput: {path: x}\nbatch_size: zero\n");
        usageError(cli("evaluate", "--config", eval.toString()), "evaluate", eval.toString(),
                "batch_size must be an integer, was 'zero'");
        usageError(cli("score", "--model", "m", "--input", "x", "--output", "o", "--output-format", "xlsx"),
                "score", "output_format must be parquet or csv, was 'xlsx'");
    }

    @Test
    void experimentsAndRetrainConfigErrors() throws Exception {
        Path exp = yaml("exp.yaml", "name: e\ncorpus: c\noutput: o\nmodels: [lstm]\ntrain: {monitor: acc}\n");
        usageError(cli("experiments", "--config", exp.toString()), "experiments", exp.toString(), "train.monitor",
                "'val_loss' or 'val_accuracy'");
        Path retrain = yaml("retrain.yaml", "work_dir: /tmp/w\nmodel: lstm\n");
        usageError(cli("retrain", "--config", retrain.toString()), "retrain", retrain.toString(),
                "prepare must be set");
    }

    @Test
    void commandsWithoutConfigFilesRefuseBadOptions() {
        usageError(cli("demo", "--max-epochs", "0"), "demo", "--max-epochs must be > 0");
        usageError(cli("generate-corpus", "--output", tmp.resolve("c").toString(), "--format", "xml"),
                "generate-corpus", "--format must be one of", "aclimdb");
        usageError(cli("model-summary", "nope"), "model-summary", "'nope' is not a bundled model spec", "lstm",
                "driver's local disk");
        usageError(cli("predict", "--model", "champion", "good"), "predict", "--registry");
        usageError(cli("registry", "show", "latest", "--registry", tmp.toString()), "registry show",
                "must be vN, champion, previous or a model sha256 (8 to 64 hex digits), was 'latest'");
        usageError(cli("registry", "promote", "seven", "--registry", tmp.toString()), "registry promote",
                "must be vN");
        usageError(cli("train", "--no-such-option"), "train", "--no-such-option");
    }

    @Test
    void runtimeFailuresExitOneWithTheSubcommandNamed() {
        Run r = cli("registry", "list", "--registry", tmp.resolve("none").toString());
        assertEquals(ExitCodes.FAILED, r.exit(), r.err());
        assertTrue(r.err().startsWith("review-rnn registry list failed: "), r.err());
    }

    @Test
    void everyHelpListsTheExitCodes() {
        for (String cmd : Main.commandLine().getSubcommands().keySet()) {
            Run r = cli(cmd, "--help");
            assertEquals(0, r.exit(), cmd);
            for (Map.Entry<String, String> e : ExitCodes.HELP.entrySet()) {
                assertTrue(r.out().replaceAll("\\s+", " ").contains(e.getKey() + " " + e.getValue()),
                        cmd + " --help lacks exit code " + e.getKey() + ":\n" + r.out());
            }
        }
        assertEquals(3, ExitCodes.NOT_PROMOTED);
        assertEquals(2, ExitCodes.USAGE);
        assertEquals(1, ExitCodes.FAILED);
    }

    @Test
    void topLevelHelpShowsEachCommandsSummaryWhole() {
        Run r = cli("--help");
        String help = r.out().replaceAll("\\s+", " ");
        CommandLine root = Main.commandLine();
        root.getSubcommands().forEach((name, sub) -> {
            String[] header = sub.getCommandSpec().usageMessage().header();
            assertEquals(1, header.length, name + " needs a one-line summary");
            assertTrue(header[0].endsWith("."), name + ": '" + header[0] + "' is not a whole sentence");
            assertTrue(help.contains(name + " " + header[0]), name + "'s summary is cut in:\n" + r.out());
        });
    }

    @Test
    void deprecatedSpellingsStillWorkAndWarnOnce() {
        TrainCommand train = new TrainCommand();
        CommandLine cl = new CommandLine(train);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.parseArgs("--corpus", "c", "--model", "gru", "--run-dir", "r", "--batch-size", "32");
        var c = train.job().config();
        assertEquals("gru", c.model());
        assertEquals(32, c.batchSizePerWorker());
        String[] lines = err.toString().strip().split("\n");
        assertEquals(2, lines.length, err.toString());
        assertTrue(lines[0].contains("--model is deprecated, use --model-spec"), lines[0]);
        assertTrue(lines[1].contains("--batch-size is deprecated, use --batch-size-per-worker"), lines[1]);

        ScoreCommand score = new ScoreCommand();
        StringWriter scoreErr = new StringWriter();
        new CommandLine(score).setErr(new PrintWriter(scoreErr, true)).parseArgs("--model", "m", "--input", "i",
                "--output", "o", "--expect-hash", "ab".repeat(32));
        assertEquals("ab".repeat(32), score.config().expectedHash());
        assertTrue(scoreErr.toString().contains("--expect-hash is deprecated, use --expected-hash"), scoreErr.toString());

        ExperimentsCommand exp = new ExperimentsCommand();
        StringWriter expErr = new StringWriter();
        new CommandLine(exp).setErr(new PrintWriter(expErr, true)).parseArgs("--config", "x.yaml", "--corpus", "raw");
        assertEquals("raw", exp.corpus);
        assertTrue(expErr.toString().contains("--corpus is deprecated, use --input"), expErr.toString());
    }

    @Test
    void oneOptionNameMeansOneThing() {
        CommandLine root = Main.commandLine();
        // --model is a checkpoint wherever it is shown; train's spec is --model-spec.
        for (String cmd : new String[] {"evaluate", "score", "predict"}) {
            var opt = root.getSubcommands().get(cmd).getCommandSpec().findOption("--model");
            assertEquals("CHECKPOINT", opt.paramLabel(), cmd);
        }
        var trainSpec = root.getSubcommands().get("train").getCommandSpec();
        assertTrue(trainSpec.findOption("--model").hidden());
        assertTrue(trainSpec.findOption("--model-spec") != null);
        // --corpus is a prepared corpus in train; experiments takes raw corpora with --input.
        assertTrue(root.getSubcommands().get("experiments").getCommandSpec().findOption("--corpus").hidden());
        assertTrue(!root.getSubcommands().get("experiments").getCommandSpec().findOption("--input").hidden());
    }
}
