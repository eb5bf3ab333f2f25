package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.config.BadRecordPolicy;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.text.PaddingMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Parse-only tests of the prepare command line: no Spark is started. */
class PrepareCommandTest {
    @TempDir
    Path dir;

    private static PrepareConfig parse(String... args) {
        PrepareCommand cmd = new PrepareCommand();
        new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return cmd.config();
    }

    @Test
    void defaultsAreTheReferenceExercise() {
        PrepareConfig c = parse("--input", "in.tar.gz", "--output", "out");
        assertEquals("in.tar.gz", c.input().path());
        assertEquals(CorpusFormat.AUTO, c.input().format());
        assertEquals(500, c.text().numWords());
        assertEquals(100, c.text().maxlen());
        assertEquals(PaddingMode.PRE, c.text().padding());
        assertEquals(PaddingMode.PRE, c.text().truncating());
        assertTrue(c.text().startMarker());
        assertEquals(0.2, c.validationSplit());
        assertEquals(42L, c.seed());
        assertEquals(BadRecordPolicy.FAIL, c.onBadRecord());
        assertEquals(false, c.overwrite());
    }

    @Test
    void optionsOverrideTheConfigFile() throws Exception {
        Path yaml = dir.resolve("prepare.yaml");
        Files.writeString(yaml, String.join("\n",
                "input:", "  path: from-file.csv", "  text_column: body", "  labels: {good: 1, bad: 0}",
                "output: out-from-file", "text:", "  num_words: 1000", "  maxlen: 200", "seed: 7", ""));
        PrepareConfig c = parse("--config", yaml.toString(), "--maxlen", "150", "--padding", "post",
                "--on-bad-record", "skip", "--no-start-marker", "--overwrite");
        assertEquals("from-file.csv", c.input().path());
        assertEquals("body", c.input().textColumn());
        assertEquals(Map.of("good", 1, "bad", 0), c.input().labels());
        assertEquals(1000, c.text().numWords());
        assertEquals(150, c.text().maxlen());
        assertEquals(PaddingMode.POST, c.text().padding());
        assertEquals(false, c.text().startMarker());
        assertEquals(7L, c.seed());
        assertEquals(BadRecordPolicy.SKIP, c.onBadRecord());
        assertEquals(true, c.overwrite());
    }

    @Test
    void badValuesNameTheKey() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("--input", "x", "--output", "y", "--validation-split", "1.5"));
        assertTrue(e.getMessage().contains("validation_split") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> parse("--input", "x", "--output", "y", "--test-split", "0.8"));
        assertTrue(e.getMessage().contains("test_split") && e.getMessage().contains("0.8"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> parse("--input", "x", "--test-input", "t", "--output", "y", "--test-split", "0.2"));
        assertTrue(e.getMessage().contains("must not be set with test_input"), e.getMessage());
        assertEquals(0.25, parse("--input", "x", "--output", "y", "--test-split", "0.25").testSplit());
        e = assertThrows(ConfigException.class, () -> parse("--input", "x", "--output", "y", "--num-words", "2"));
        assertTrue(e.getMessage().contains("text.num_words") && e.getMessage().contains("was 2"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("--output", "y"));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
        Path yaml = dir.resolve("typo.yaml");
        Files.writeString(yaml, "input: {path: x}\noutput: y\nmax_len: 3\n");
        e = assertThrows(ConfigException.class, () -> parse("--config", yaml.toString()));
        assertTrue(e.getMessage().contains("unknown key 'max_len'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("--config", dir.resolve("missing.yaml").toString()));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void helpDocumentsEveryOption() {
        StringWriter sw = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(sw));
        assertEquals(0, cl.execute("prepare", "--help"));
        String help = sw.toString();
        for (var opt : cl.getSubcommands().get("prepare").getCommandSpec().options()) {
            assertTrue(help.contains(opt.longestName()), "help lacks " + opt.longestName());
            assertTrue(opt.description().length > 0 && !opt.description()[0].isBlank(),
                    opt.longestName() + " has no description");
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute("prepare", "--no-such-option"));
    }
}
