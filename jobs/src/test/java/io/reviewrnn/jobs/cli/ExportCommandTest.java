package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reviewrnn.core.inference.InferenceEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parse-only tests of export and of the --engine option of score and predict: no checkpoint, no Spark. */
class ExportCommandTest {

    private static int run(StringWriter err, Object command, String... args) {
        return new CommandLine(command).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void exportNeedsModelAndOutputAndDefaultsToOnnx() {
        ExportCommand c = new ExportCommand();
        new CommandLine(c).parseArgs("--model", "ckpt", "--output", "out");
        assertEquals("onnx", c.format);
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, new ExportCommand(), "--model", "ckpt"));
        assertTrue(err.toString().contains("--output"), err.toString());
    }

    @Test
    void otherFormatsAreRefusedBeforeAnythingIsRead() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().setErr(new PrintWriter(err));
        assertEquals(1, cl.execute("export", "--model", "no-such-checkpoint", "--format", "tflite", "--output", "x"));
        assertTrue(err.toString().contains("--format tflite is not supported; the only format is onnx"),
                err.toString());
    }

    @Test
    void scoreTakesTheEngineAsAValidatedKey() {
        ScoreCommand s = new ScoreCommand();
        new CommandLine(s).parseArgs("--model", "m", "--input", "in.csv", "--output", "o", "--engine", "ONNX");
        assertEquals(InferenceEngine.ONNX, s.config().engine());
        ScoreCommand d = new ScoreCommand();
        new CommandLine(d).parseArgs("--model", "m", "--input", "in.csv", "--output", "o");
        assertEquals(InferenceEngine.DL4J, d.config().engine());
        ScoreCommand bad = new ScoreCommand();
        new CommandLine(bad).parseArgs("--model", "m", "--input", "in.csv", "--output", "o", "--engine", "tensorflow");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, bad::config);
        assertTrue(e.getMessage().contains("engine") && e.getMessage().contains("must be dl4j or onnx, was "
                + "'tensorflow'"), e.getMessage());
    }

    @Test
    void predictRefusesAnUnknownEngine() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().setErr(new PrintWriter(err));
        assertEquals(ExitCodes.USAGE, cl.execute("predict", "--model", "m", "--engine", "tvm", "text"),
                "a bad option value is a usage error (exit 2), found before any work");
        assertTrue(err.toString().contains("--engine must be dl4j or onnx, was 'tvm'"), err.toString());
    }
}
