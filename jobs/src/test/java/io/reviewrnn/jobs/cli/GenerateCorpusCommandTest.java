package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code review-rnn generate-corpus} run as a command line (it needs no Spark). */
class GenerateCorpusCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".txt")).count();
        }
    }

    @Test
    void writesTheSameSeededCorpusInEveryFormat() throws Exception {
        Path csv = tmp.resolve("c.csv");
        Run r = run("generate-corpus", "-o", csv.toString(), "--format", "csv", "--train-size", "40",
                "--test-size", "10", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 50 reviews (40 train, 10 test) as csv"), r.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("review,sentiment,split", lines.get(0));
        String first = Files.readString(csv);

        Path dir = tmp.resolve("acl");
        assertEquals(0, run("generate-corpus", "-o", dir.toString(), "--train-size", "40", "--test-size", "10",
                "--seed", "3").code());
        assertEquals(50, files(dir));
        assertTrue(Files.isDirectory(dir.resolve("train/pos")) && Files.isDirectory(dir.resolve("test/neg")));

        // the same seed, the same corpus; an existing output needs --overwrite
        Run again = run("generate-corpus", "-o", csv.toString(), "--format", "csv", "--train-size", "40",
                "--test-size", "10", "--seed", "3");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("exists"), again.err());
        assertEquals(0, run("generate-corpus", "-o", csv.toString(), "--format", "csv", "--train-size", "40",
                "--test-size", "10", "--seed", "3", "--overwrite").code());
        assertEquals(first, Files.readString(csv));
        assertEquals(0, run("generate-corpus", "-o", dir.toString(), "--train-size", "20", "--test-size", "4",
                "--overwrite").code());
        assertEquals(24, files(dir), "the earlier corpus was replaced");
    }

    @Test
    void overwriteRefusesADirectoryThatIsNoGeneratedCorpus() throws Exception {
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("notes.txt"), "mine");
        Run r = run("generate-corpus", "-o", notes.toString(), "--train-size", "4", "--test-size", "2",
                "--overwrite");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("notes.txt"), r.err());
        assertEquals("mine", Files.readString(notes.resolve("notes.txt")));
        Run bad = run("generate-corpus", "-o", tmp.resolve("x").toString(), "--format", "yaml");
        assertEquals(ExitCodes.USAGE, bad.code(), "a bad option value is a usage error, found before any work");
        assertTrue(bad.err().contains("yaml"), bad.err());
        assertTrue(Files.notExists(tmp.resolve("x")));
    }
}
