package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data-sharing archives: a command's first run leaves a dump named after its process, the next
 * launch adopts it as the command's archive, and later runs load our classes from it; {@code REVIEW_RNN_CDS=0} and
 * {@code --help} runs neither write nor use one.
 */
class LauncherCdsIT {

    @Test
    void firstRunWritesTheArchiveTheNextAdoptsItAndLaterRunsMapIt(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("project.root", ".."));
        Assumptions.assumeTrue(Files.isRegularFile(root.resolve("jobs/target/review-rnn-jobs.jar"))
                && Files.isRegularFile(root.resolve("jobs/target/provided-classpath.txt")),
                "the launcher's job jar is not built (mvn package builds it before the ITs)");
        Path cache = tmp.resolve("cache");

        run(root, tmp, Map.of("XDG_CACHE_HOME", cache.toString()), "--help");
        assertFalse(Files.exists(cache.resolve("review-rnn")), "--help writes no archive");

        run(root, tmp, Map.of("XDG_CACHE_HOME", cache.toString()), "prepare", "--help");
        List<String> afterFirst = names(cache.resolve("review-rnn"));
        assertEquals(1, afterFirst.size(), afterFirst.toString());
        assertTrue(afterFirst.get(0).matches("\\.prepare-[0-9a-f]{16}\\.[0-9]+\\.jsa"), afterFirst.toString());

        run(root, tmp, Map.of("XDG_CACHE_HOME", cache.toString()), "prepare", "--help");
        List<String> afterSecond = names(cache.resolve("review-rnn"));
        assertEquals(List.of(afterFirst.get(0).replaceFirst("^\\.", "").replaceFirst("\\.[0-9]+\\.jsa$", ".jsa")),
                afterSecond, "the dump became the command's archive");

        Path used = tmp.resolve("with.txt");
        run(root, tmp, Map.of("XDG_CACHE_HOME", cache.toString(),
                "REVIEW_RNN_JAVA_OPTS", "-Xlog:class+load=info:file=" + used), "prepare", "--help");
        assertTrue(Files.readString(used, StandardCharsets.UTF_8)
                .contains("io.reviewrnn.jobs.cli.Main source: shared objects file (top)"),
                "the launcher's main class came from the archive");

        Path without = tmp.resolve("without.txt");
        run(root, tmp, Map.of("XDG_CACHE_HOME", cache.toString(), "REVIEW_RNN_CDS", "0",
                "REVIEW_RNN_JAVA_OPTS", "-Xlog:class+load=info:file=" + without), "prepare", "--help");
        assertFalse(Files.readString(without, StandardCharsets.UTF_8).contains("shared objects file (top)"),
                "REVIEW_RNN_CDS=0 maps no archive of ours");
        assertEquals(afterSecond, names(cache.resolve("review-rnn")));

        // JDK 17 crashes (SIGSEGV) loading archived classes while JFR's class-file load hook is on: no archive then.
        Path jfr = tmp.resolve("with-jfr.txt");
        run(root, tmp, Map.of("XDG_CACHE_HOME", cache.toString(), "REVIEW_RNN_JAVA_OPTS",
                "-XX:StartFlightRecording=filename=" + tmp.resolve("r.jfr") + ",settings=profile"
                        + " -Xlog:class+load=info:file=" + jfr), "prepare", "--help");
        assertFalse(Files.readString(jfr, StandardCharsets.UTF_8).contains("shared objects file (top)"),
                "with JFR no archive of ours is mapped");
    }

    private static void run(Path root, Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("review-rnn").toString()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("launcher.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("REVIEW_RNN_SKIP_BUILD", "1");
        pb.environment().remove("REVIEW_RNN_JAVA_OPTS");
        pb.environment().remove("REVIEW_RNN_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "launcher did not finish");
        assertEquals(0, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
