package io.reviewrnn.core.store;

import io.reviewrnn.core.base.HadoopFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --overwrite} replaces only our own output; stale temporary directories of killed writers are swept. */
class AtomicDirectoryTest {
    @TempDir
    java.nio.file.Path tmp;

    FileSystem fs;

    @BeforeEach
    void setUp() throws Exception {
        fs = FileSystem.getLocal(new Configuration());
    }

    private Path path(String name) {
        return new Path(tmp.resolve(name).toString());
    }

    private void publish(String name, String marker) throws Exception {
        try (AtomicDirectory d = AtomicDirectory.begin(fs, path(name), true, marker)) {
            HadoopFiles.write(fs, new Path(d.temp(), marker), "{}".getBytes());
            d.commit();
        }
    }

    @Test
    void overwriteReplacesOnlyADirectoryHoldingTheMarker() throws Exception {
        // An unrelated directory: refused, naming what it holds, and left untouched.
        Files.createDirectories(tmp.resolve("out/sub"));
        Files.writeString(tmp.resolve("out/notes.txt"), "mine");
        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> AtomicDirectory.begin(fs, path("out"), true, "summary.json"));
        assertTrue(e.getMessage().contains("summary.json") && e.getMessage().contains("notes.txt")
                && e.getMessage().contains("sub/"), e.getMessage());
        assertEquals("mine", Files.readString(tmp.resolve("out/notes.txt")));
        // A file is never replaced by a directory output.
        Files.writeString(tmp.resolve("file"), "data");
        assertThrows(OutputExistsException.class, () -> AtomicDirectory.begin(fs, path("file"), true, "summary.json"));
        assertTrue(Files.exists(tmp.resolve("file")));
        // Our own earlier output (it holds the marker) and an empty directory are replaced.
        publish("ours", "summary.json");
        Files.writeString(tmp.resolve("ours/extra"), "x");
        publish("ours", "summary.json");
        assertFalse(Files.exists(tmp.resolve("ours/extra")));
        Files.createDirectories(tmp.resolve("empty"));
        publish("empty", "summary.json");
        assertTrue(Files.exists(tmp.resolve("empty/summary.json")));
        // Without --overwrite nothing existing is replaced.
        assertThrows(OutputExistsException.class, () -> AtomicDirectory.begin(fs, path("ours"), false, "summary.json"));
    }

    @Test
    void staleTemporaryDirectoriesOfTheTargetAreSweptOnTheNextRun() throws Exception {
        Path stale = path(".out.tmp-" + UUID.randomUUID());
        Path young = path(".out.tmp-" + UUID.randomUUID());
        Path otherTarget = path(".other.tmp-" + UUID.randomUUID());
        Path notOurs = path(".out.tmp-handmade");
        for (Path p : new Path[] {stale, young, otherTarget, notOurs}) {
            HadoopFiles.write(fs, new Path(p, "part-0"), "x".getBytes());
            HadoopFiles.write(fs, new Path(p, AtomicDirectory.SUCCESS), new byte[0]); // a kill mid-commit
        }
        long old = System.currentTimeMillis() - Duration.ofHours(25).toMillis();
        for (Path p : new Path[] {stale, otherTarget, notOurs}) {
            for (var st : fs.listStatus(p)) {
                fs.setTimes(st.getPath(), old, -1);
            }
            fs.setTimes(p, old, -1);
        }
        // young: an old directory, but a file written a moment ago: a live writer
        fs.setTimes(young, old, -1);

        publish("out", "summary.json");

        assertFalse(fs.exists(stale), "stale temporary of this target removed");
        assertTrue(fs.exists(young), "a temporary written to recently may be a live writer");
        assertTrue(fs.exists(otherTarget), "another target's temporary is not ours to judge");
        assertTrue(fs.exists(notOurs), "only our own uuid-named temporaries");
        assertTrue(fs.exists(new Path(path("out"), "summary.json")));
    }
}
