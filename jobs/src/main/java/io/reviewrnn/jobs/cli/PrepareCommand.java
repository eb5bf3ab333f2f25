package io.reviewrnn.jobs.cli;

import io.reviewrnn.core.config.BadRecordPolicy;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.text.PaddingMode;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.prepare.PrepareResult;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code review-rnn prepare}: tokenize, build the vocabulary and pad a corpus, in parallel on Spark. */
@Command(name = "prepare",
        header = "Tokenizes, splits and pads a raw review corpus into a prepared corpus.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reads a raw review corpus, tokenizes it (Keras semantics), holds out a validation split, builds the vocabulary from the training split, pads every review and writes Parquet, the vocabulary and manifest.json. The output is committed atomically.",
        footer = {"", "Options override the keys of --config (see conf/README.md). Example:",
            "  review-rnn prepare --input data/aclImdb.tar.gz --output runs/prepared"})
public final class PrepareCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--config", paramLabel = "YAML", description = "Prepare config file (local, file:// or hdfs://).")
    String configFile;

    @Option(names = {"-i", "--input"}, paramLabel = "PATH",
            description = "Corpus: aclImdb directory or .tar.gz, .csv, .tsv, .jsonl, or Parquet (key input.path).")
    String input;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "auto, aclimdb, csv, tsv, jsonl, parquet (default: guessed from the path).")
    String format;

    @Option(names = "--test-input", paramLabel = "PATH",
            description = "Separate test corpus, for formats without a split of their own.")
    String testInput;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output directory of the prepared corpus.")
    String output;

    @Option(names = "--text-column", paramLabel = "NAME", description = "Text column (default: review, else text).")
    String textColumn;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "Label column (default: sentiment, else label).")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "NAME", description = "Id column (default: id if present).")
    String idColumn;

    @Option(names = "--split-column", paramLabel = "NAME",
            description = "Column saying train/test per row (default: split if present).")
    String splitColumn;

    @Option(names = "--labels", paramLabel = "VALUE=CLASS", split = ",",
            description = "Label mapping, e.g. --labels good=1,bad=0 (default: positive/pos/1/true=1, "
                    + "negative/neg/0/false=0).")
    Map<String, Integer> labels;

    @Option(names = "--num-words", paramLabel = "N", description = "Vocabulary size incl. ids 0-2 (default 500).")
    Integer numWords;

    @Option(names = "--maxlen", paramLabel = "N", description = "Sequence length (default 100).")
    Integer maxlen;

    @Option(names = "--padding", paramLabel = "pre|post", description = "Where to pad (default pre).")
    PaddingMode padding;

    @Option(names = "--truncating", paramLabel = "pre|post",
            description = "Where to cut long reviews (default pre: keep the last tokens).")
    PaddingMode truncating;

    @Option(names = "--no-start-marker", negatable = false,
            description = "Do not begin sequences with the start marker (id 1).")
    Boolean noStartMarker;

    @Option(names = "--validation-split", paramLabel = "FRACTION",
            description = "Share of each label's training reviews held out for validation (default 0.2).")
    Double validationSplit;

    @Option(names = "--test-split", paramLabel = "FRACTION",
            description = "For input without a test part and without --test-input: share of each label's training"
                    + " reviews held out as the test split (default 0: an empty test split, with a warning).")
    Double testSplit;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the validation split (default 42).")
    Long seed;

    @Option(names = "--on-bad-record", paramLabel = "fail|skip",
            description = "fail (default) stops on the first unusable record; skip writes it to rejects/ with "
                    + "the reason.")
    BadRecordPolicy onBadRecord;

    @Option(names = "--max-review-chars", paramLabel = "N",
            description = "Longer reviews are bad records (default 1000000).")
    Integer maxReviewChars;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions after reading (default 2 per core).")
    Integer partitions;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    Boolean overwrite;

    PrepareConfig config() {
        return ConfigOverrides.from(configFile)
                .set("input.path", input)
                .set("input.format", format)
                .set("input.text_column", textColumn)
                .set("input.label_column", labelColumn)
                .set("input.id_column", idColumn)
                .set("input.split_column", splitColumn)
                .set("input.labels", labels)
                .set("test_input.path", testInput)
                .set("output", output)
                .set("text.num_words", numWords)
                .set("text.maxlen", maxlen)
                .set("text.padding", padding)
                .set("text.truncating", truncating)
                .set("text.start_marker", noStartMarker == null ? null : !noStartMarker)
                .set("validation_split", validationSplit)
                .set("test_split", testSplit)
                .set("seed", seed)
                .set("on_bad_record", onBadRecord)
                .set("max_review_chars", maxReviewChars)
                .set("partitions", partitions)
                .set("overwrite", overwrite)
                .bind(PrepareConfig.class, configFile == null ? "command line" : configFile);
    }

    @Override
    public Integer call() throws Exception {
        PrepareConfig config = config();
        PrepareResult result = new PrepareJob(config).run(spark.session("prepare"));
        var out = spec.commandLine().getOut();
        PrepareManifest m = result.manifest();
        out.printf("prepared %s in %.1f s%n", result.output(), result.seconds());
        m.splits().forEach((split, s) -> out.printf("  %-10s %7d reviews  labels %s  truncated %.1f%%  OOV %.1f%%%n",
                split, s.count(), s.labels(), 100 * s.truncatedShare(), 100 * s.oovRate()));
        out.printf("  vocabulary %d words (of %d distinct training tokens)%n", m.vocabularySize(),
                m.distinctTrainTokens());
        if (m.rejects() != null) {
            out.printf("  rejected %d records %s -> %s%n", m.rejects().count(), m.rejects().byReason(),
                    m.rejects().path());
        }
        return 0;
    }
}
