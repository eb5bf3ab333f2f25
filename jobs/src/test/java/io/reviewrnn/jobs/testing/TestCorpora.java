package io.reviewrnn.jobs.testing;

import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticCorpusWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Writes generated corpora for tests, and finds the real IMDB archive in ../shared when it is there. */
public final class TestCorpora {
    public static final long SEED = 11;

    private TestCorpora() {
    }

    public static Path write(Path dir, String name, CorpusFormat format, boolean tarGz, int train, int test)
            throws IOException {
        Path target = dir.resolve(name);
        FileSystem fs = FileSystem.getLocal(new Configuration());
        SyntheticCorpusWriter.write(new SyntheticCorpusGenerator(SEED).corpus(train, test), fs,
                new org.apache.hadoop.fs.Path(target.toUri()), format, tarGz);
        return target;
    }

    /** The real aclImdb archive, if ../shared/data holds it. */
    public static Optional<Path> realImdb() {
        String shared = System.getProperty("shared.dir", "../shared");
        Path p = Path.of(shared, "data", "aclImdb-labeled.tar.gz");
        if (!Files.exists(p)) {
            p = Path.of("/work/shared/data/aclImdb-labeled.tar.gz");
        }
        return Files.isReadable(p) ? Optional.of(p) : Optional.empty();
    }
}
