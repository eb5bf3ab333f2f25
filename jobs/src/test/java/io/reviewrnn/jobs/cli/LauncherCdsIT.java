package io.reviewrnn.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data-sharing archives: a command's first run lists the classes it loads, the next launch
 * turns a finished list into the command's archive in a background JVM, later runs map it. A run that loaded too few
 * classes (--help) is not archived; REVIEW_RNN_CDS=0, JFR, a directory on the class path and a missing HOME use
 * none, and every run exits 0 regardless.
 */
class LauncherCdsIT {
    private static final String MAIN_FROM_ARCHIVE = "io.reviewrnn.jobs.cli.Main source: shared objects file";

    @Test
    void firstRunListsTheNextArchivesInTheBackgroundLaterRunsMapIt(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("project.root", ".."));
        Assumptions.assumeTrue(Files.isRegularFile(root.resolve("jobs/target/review-rnn-jobs.jar"))
                && Files.isRegularFile(root.resolve("jobs/target/provided-classpath.txt")),
                "the launcher's job jar is not built (mvn package builds it before the ITs)");
        Path cacheHome = tmp.resolve("cache");
        Path cache = cacheHome.resolve("review-rnn");
        String xdg = cacheHome.toString();

        run(root, tmp, Map.of("HOME", "", "XDG_CACHE_HOME", ""), "prepare", "--help"); // a scheduler's bare env
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg), "--help");
        assertFalse(Files.exists(cache), "--help alone lists nothing");

        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg), "prepare", "--help");
        List<String> first = names(cache);
        assertEquals(1, first.size(), first.toString());
        assertTrue(first.get(0).matches("\\.prepare-[0-9a-f]{16}\\.[0-9]+\\.classlist"), first.toString());

        // Too few classes to be worth an archive (the default minimum): dropped, and this run lists again.
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg), "prepare", "--help");
        List<String> second = names(cache);
        assertEquals(1, second.size(), second.toString());
        assertTrue(second.get(0).endsWith(".classlist") && !second.equals(first), second.toString());

        // While an archive of the command is being built, a launch neither starts a second dump nor takes the list
        // of the one under way (each launch during a dump used to start another).
        Path list = cache.resolve(second.get(0));
        Path dumping = cache.resolve(second.get(0).replaceFirst("\\.[0-9]+\\.classlist$", ".dumping-1.classlist"));
        Files.move(list, dumping);
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg, "REVIEW_RNN_CDS_MIN_CLASSES", "1000"), "prepare", "--help");
        assertEquals(List.of(dumping.getFileName().toString()), names(cache), "a dump under way is left alone");
        // One abandoned (older than ten minutes) is removed, and this launch lists anew.
        Files.setLastModifiedTime(dumping, FileTime.fromMillis(
                System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(11)));
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg), "prepare", "--help");
        second = names(cache);
        assertEquals(1, second.size(), second.toString());
        assertTrue(second.get(0).matches("\\.prepare-[0-9a-f]{16}\\.[0-9]+\\.classlist"), second.toString());

        // With a lower minimum the next launch archives that list in the background.
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg, "REVIEW_RNN_CDS_MIN_CLASSES", "1000"), "prepare", "--help");
        String archive = second.get(0).replaceFirst("^\\.", "").replaceFirst("\\.[0-9]+\\.classlist$", ".jsa");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!names(cache).equals(List.of(archive)) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertEquals(List.of(archive), names(cache), "the list became the command's archive");

        Path used = tmp.resolve("with.txt");
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg, "REVIEW_RNN_JAVA_OPTS", "-Xlog:class+load=info:file=" + used),
                "prepare", "--help");
        assertTrue(Files.readString(used, StandardCharsets.UTF_8).contains(MAIN_FROM_ARCHIVE),
                "the launcher's main class came from the archive");

        Path off = tmp.resolve("off.txt");
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg, "REVIEW_RNN_CDS", "0",
                "REVIEW_RNN_JAVA_OPTS", "-Xlog:class+load=info:file=" + off), "prepare", "--help");
        assertFalse(Files.readString(off, StandardCharsets.UTF_8).contains(MAIN_FROM_ARCHIVE), "REVIEW_RNN_CDS=0");

        // JDK 17 crashed (SIGSEGV) loading archived classes under JFR's class-file load hook: no archive then.
        Path jfr = tmp.resolve("jfr.txt");
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg, "REVIEW_RNN_JAVA_OPTS",
                "-XX:StartFlightRecording=filename=" + tmp.resolve("r.jfr") + ",settings=profile"
                        + " -Xlog:class+load=info:file=" + jfr), "prepare", "--help");
        assertFalse(Files.readString(jfr, StandardCharsets.UTF_8).contains(MAIN_FROM_ARCHIVE), "with JFR");

        // A directory on the class path (as HADOOP_CONF_DIR puts there) cannot be archived: nothing listed.
        Path conf = Files.createDirectories(tmp.resolve("hadoop-conf"));
        Files.writeString(conf.resolve("core-site.xml"), "<configuration/>\n");
        run(root, tmp, Map.of("XDG_CACHE_HOME", xdg, "HADOOP_CONF_DIR", conf.toString()), "prepare", "--help");
        assertEquals(List.of(archive), names(cache), "nothing new with a directory on the class path");
    }

    /** Runs the launcher with {@code env} on top of this JVM's environment (an empty value removes the variable). */
    private static void run(Path root, Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("review-rnn").toString()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("launcher.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("REVIEW_RNN_SKIP_BUILD", "1");
        for (String k : List.of("REVIEW_RNN_JAVA_OPTS", "REVIEW_RNN_CDS", "REVIEW_RNN_CDS_MIN_CLASSES",
                "HADOOP_CONF_DIR", "YARN_CONF_DIR", "SPARK_CONF_DIR", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            pb.environment().remove(k);
        }
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "launcher did not finish");
        assertEquals(0, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
