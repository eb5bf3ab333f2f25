package io.reviewrnn.jobs.score;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.core.store.Checkpoint;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OOV and truncation of a scored or evaluated set of reviews next to the training split the model was trained on
 * (the train fields are null when the training corpus manifest is not readable). Rates: OOV tokens / tokens,
 * truncated reviews / reviews. Used by {@code score} and {@code evaluate}.
 */
public record Drift(
        @JsonProperty("oov_rate") double oovRate,
        @JsonProperty("truncated_rate") double truncatedRate,
        @JsonProperty("mean_tokens") double meanTokens,
        @JsonProperty("train_oov_rate") Double trainOovRate,
        @JsonProperty("train_truncated_rate") Double trainTruncatedRate,
        @JsonProperty("train_mean_tokens") Double trainMeanTokens) {
    private static final Logger LOG = LoggerFactory.getLogger(Drift.class);

    /** The drift of {@code reviews} reviews with these sums against the training corpus of {@code checkpoint}. */
    public static Drift of(Configuration hadoop, String checkpoint, long reviews, long tokens, long oov,
                           long truncated) {
        Double trainOov = null;
        Double trainTrunc = null;
        Double trainMean = null;
        try {
            Path cp = new Path(checkpoint);
            FileSystem fs = cp.getFileSystem(hadoop);
            Path dir = AtomicDirectory.readable(fs, cp);
            Checkpoint.Metadata meta = Yaml.json().readValue(HadoopFiles.read(fs, new Path(dir, Checkpoint.METADATA)),
                    Checkpoint.Metadata.class);
            Path manifest = new Path(meta.corpus(), PreparedLayout.MANIFEST);
            PrepareManifest m = Yaml.json().readValue(HadoopFiles.read(manifest.getFileSystem(hadoop), manifest),
                    PrepareManifest.class);
            PrepareManifest.SplitStats train = m.splits().get(PreparedLayout.TRAIN);
            if (train != null) {
                trainOov = train.oovRate();
                trainTrunc = train.truncatedShare();
                trainMean = train.tokenCountMean();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("training corpus statistics of checkpoint {} not readable ({}); drift is reported without them",
                    checkpoint, e.getMessage());
        }
        return new Drift(tokens == 0 ? 0 : (double) oov / tokens, reviews == 0 ? 0 : (double) truncated / reviews,
                reviews == 0 ? 0 : (double) tokens / reviews, trainOov, trainTrunc, trainMean);
    }

    static String pct(Double v) {
        return v == null ? "n/a" : String.format("%.2f%%", 100 * v);
    }
}
