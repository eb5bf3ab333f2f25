package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.corpus.CorpusFormat;
import io.reviewrnn.core.corpus.SyntheticCorpusGenerator;
import io.reviewrnn.core.corpus.SyntheticCorpusWriter;
import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.prepare.PrepareResult;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn demo}: the pipeline end to end on a generated corpus, offline, on the embedded default. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the pipeline on a generated corpus with no data to download: generate-corpus, then prepare. Everything lands under --dir.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--dir", defaultValue = "runs/demo", paramLabel = "DIR",
            description = "Working directory (default ${DEFAULT-VALUE}); its previous demo output is replaced.")
    String dir;

    @Option(names = "--train-size", defaultValue = "2000", paramLabel = "N",
            description = "Generated training reviews (default ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--test-size", defaultValue = "1000", paramLabel = "N",
            description = "Generated test reviews (default ${DEFAULT-VALUE}).")
    int testSize;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Path corpus = new Path(dir, "corpus");
        FileSystem fs = corpus.getFileSystem(new Configuration());
        if (fs.exists(corpus)) {
            fs.delete(corpus, true);
        }
        long n = SyntheticCorpusWriter.write(new SyntheticCorpusGenerator(7).corpus(trainSize, testSize), fs, corpus,
                CorpusFormat.ACLIMDB, false);
        out.printf("1/2 generated %d reviews in %s%n", n, fs.makeQualified(corpus));

        SparkSession session = spark.session("demo");
        PrepareConfig pc = new PrepareConfig(CorpusSource.of(corpus.toString()), null, new Path(dir, "prepared")
                .toString(), TextSpec.defaults(), 0.2, 42L, null, null, true, null);
        PrepareResult prepared = new PrepareJob(pc).run(session);
        out.printf("2/2 prepared %s: %d train, %d validation, %d test, vocabulary %d (%.1f s)%n", prepared.output(),
                prepared.count("train"), prepared.count("validation"), prepared.count("test"),
                prepared.manifest().vocabularySize(), prepared.seconds());
        return 0;
    }
}
