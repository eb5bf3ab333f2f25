package io.reviewrnn.core.corpus;

import io.reviewrnn.core.text.TextSpec;
import io.reviewrnn.core.text.Vocabulary;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A complete prepared corpus (the output of {@code prepare}, see {@link PreparedLayout}) as its readers need it:
 * the fully qualified directory, the manifest, the vocabulary and the split sizes. Immutable.
 *
 * @param path       the corpus directory, fully qualified
 * @param manifest   its {@code manifest.json}
 * @param vocabulary its {@code vocabulary.tsv}
 */
public record PreparedCorpus(Path path, PrepareManifest manifest, Vocabulary vocabulary) {

    /** Opens the prepared corpus at {@code dir} (any Hadoop file system); fails if it is absent or incomplete. */
    public static PreparedCorpus open(Configuration conf, String dir) throws IOException {
        Path p = new Path(dir);
        FileSystem fs = p.getFileSystem(conf);
        Path qualified = fs.makeQualified(p);
        if (!fs.exists(new Path(qualified, PreparedLayout.SUCCESS))) {
            throw new FileNotFoundException("no prepared corpus at " + qualified + " (expected "
                    + PreparedLayout.SUCCESS + "; run 'review-rnn prepare' first)");
        }
        PrepareManifest manifest = PrepareManifest.read(fs, qualified);
        Vocabulary vocabulary;
        try (InputStream in = fs.open(new Path(qualified, PreparedLayout.VOCABULARY))) {
            vocabulary = Vocabulary.read(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return new PreparedCorpus(qualified, manifest, vocabulary);
    }

    /** The tokenizer, vocabulary size and padding the corpus was prepared with. */
    public TextSpec text() {
        return manifest.text();
    }

    /** Reviews in {@code split} ({@link PreparedLayout#TRAIN}, ...), 0 when the split is absent. */
    public long count(String split) {
        var s = manifest.splits().get(split);
        return s == null ? 0 : s.count();
    }

    /** The Parquet directory of {@code split}. */
    public String split(String split) {
        return new Path(path, split).toString();
    }
}
