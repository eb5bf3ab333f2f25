package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticCorpusWriter;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.store.OutputExistsException;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn generate-corpus}: writes a seeded, labelled synthetic review corpus (no Spark needed). */
@Command(name = "generate-corpus",
        header = "Writes a labelled synthetic review corpus.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes a labelled synthetic review corpus for demos and tests: learnable (sentiment words) but not trivial (negations, mixed opinions, long reviews, 3%% label noise). Same seed, same corpus.")
public final class GenerateCorpusCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "Directory (aclimdb) or file (.tar.gz, .csv, .jsonl) to write.")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "aclimdb",
            description = "aclimdb (default), csv (review,sentiment,split) or jsonl (id,text,label,split).")
    String format;

    @Option(names = "--tar-gz", description = "With aclimdb: write one .tar.gz archive instead of a directory.")
    boolean tarGz;

    @Option(names = "--train-size", defaultValue = "2000", paramLabel = "N",
            description = "Training reviews, half of each label (default ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--test-size", defaultValue = "1000", paramLabel = "N",
            description = "Test reviews (default ${DEFAULT-VALUE}).")
    int testSize;

    @Option(names = "--seed", defaultValue = "7", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an existing output file, or a directory holding an earlier"
            + " generated aclImdb corpus (train/); any other directory is refused.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (trainSize < 0 || testSize < 0) {
            throw new ConfigException("--train-size and --test-size must be >= 0, were " + trainSize + " and "
                    + testSize);
        }
        CorpusFormat f;
        try {
            f = CorpusFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--format " + e.getMessage());
        }
        Path target = new Path(output);
        FileSystem fs = target.getFileSystem(new Configuration());
        if (fs.exists(target)) {
            if (!overwrite) {
                throw new OutputExistsException(fs.makeQualified(target).toString());
            }
            if (fs.getFileStatus(target).isDirectory()) {
                // only a generated aclImdb directory (it has train/) is replaced, never any directory named
                AtomicDirectory.requireReplaceable(fs, target, "train");
            }
            fs.delete(target, true);
        }
        long t0 = System.nanoTime();
        long n = SyntheticCorpusWriter.write(new SyntheticCorpusGenerator(seed).corpus(trainSize, testSize), fs,
                target, f, tarGz);
        spec.commandLine().getOut().printf("wrote %d reviews (%d train, %d test) as %s%s to %s in %.1f s%n", n,
                trainSize, testSize, f.key(), tarGz ? " .tar.gz" : "", fs.makeQualified(target),
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
