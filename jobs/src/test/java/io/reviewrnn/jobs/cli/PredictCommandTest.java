package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parse-only tests of predict, score and evaluate: no checkpoint, no Spark. */
class PredictCommandTest {

    private static PredictCommand parse(String... args) {
        PredictCommand c = new PredictCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void textsAsArgumentsOrStdin() {
        PredictCommand two = parse("--model", "ckpt", "great film", "awful, boring");
        assertEquals("ckpt", two.model);
        assertEquals(List.of("great film", "awful, boring"), two.texts);
        assertFalse(two.readsStdin());
        assertTrue(parse("--model", "ckpt").readsStdin());
        assertTrue(parse("-m", "ckpt", "-").readsStdin());
    }

    @Test
    void modelIsRequired() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PredictCommand()).setErr(new PrintWriter(err));
        assertNotEquals(0, cl.execute("some text"));
        assertTrue(err.toString().contains("--model"), err.toString());
    }

    @Test
    void outputLineHasProbabilityLabelAndShortenedText() {
        assertEquals("0.912345\tpositive\tA fine film", PredictCommand.line(0.912345, "A fine\n film"));
        assertEquals("0.100000\tnegative\tx", PredictCommand.line(0.1, "x"));
        String longLine = PredictCommand.line(0.5, "y".repeat(100));
        assertTrue(longLine.startsWith("0.500000\tpositive\t" + "y".repeat(57) + "..."), longLine);
    }

    @Test
    void scoreAndEvaluateOptionsBindToValidatedConfigs() {
        ScoreCommand s = new ScoreCommand();
        new CommandLine(s).parseArgs("--model", "m", "--input", "in.csv", "--output", "out", "--output-format", "CSV",
                "--batch-size", "64", "--labels", "good=1,bad=0");
        var c = s.config();
        assertEquals("csv", c.outputFormat());
        assertEquals(64, c.batchSize());
        assertEquals(1, c.input().mapLabel("GOOD"));
        ScoreCommand bad = new ScoreCommand();
        new CommandLine(bad).parseArgs("--model", "m", "--input", "in", "--output", "o", "--output-format", "xml");
        var e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, bad::config);
        assertTrue(e.getMessage().contains("output_format"), e.getMessage());

        EvaluateCommand ev = new EvaluateCommand();
        new CommandLine(ev).parseArgs("-m", "m", "-i", "prepared/test");
        assertEquals("prepared/test", ev.config().input().path());
        assertEquals(null, ev.config().output());
    }
}
