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
    /** {@link #warnings()}: an OOV rate more than this factor times the training rate ... */
    public static final double OOV_FACTOR = 2.0;
    /** ... and at least this many points (as a fraction) above it. */
    public static final double OOV_POINTS = 0.05;
    /** {@link #warnings()}: a truncated share this many points (as a fraction) above training's. */
    public static final double TRUNCATED_POINTS = 0.20;
    /** {@link #warnings()}: a mean review length more than this factor longer or shorter than training's. */
    public static final double LENGTH_FACTOR = 2.0;

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

    /**
     * The shifts past the documented thresholds (docs/SCORING.md), each as one phrase; empty when there are none or
     * no training figures.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public java.util.List<String> warnings() {
        java.util.List<String> w = new java.util.ArrayList<>();
        if (trainOovRate != null && oovRate > OOV_FACTOR * trainOovRate && oovRate - trainOovRate >= OOV_POINTS) {
            w.add(String.format(java.util.Locale.ROOT, "OOV rate %.1f%% vs %.1f%% in training", 100 * oovRate,
                    100 * trainOovRate));
        }
        if (trainTruncatedRate != null && truncatedRate - trainTruncatedRate >= TRUNCATED_POINTS) {
            w.add(String.format(java.util.Locale.ROOT, "%.1f%% of reviews truncated vs %.1f%% in training",
                    100 * truncatedRate, 100 * trainTruncatedRate));
        }
        if (trainMeanTokens != null && trainMeanTokens > 0 && meanTokens > 0
                && Math.max(meanTokens / trainMeanTokens, trainMeanTokens / meanTokens) > LENGTH_FACTOR) {
            w.add(String.format(java.util.Locale.ROOT, "mean length %.1f tokens vs %.1f in training (%.1fx)",
                    meanTokens, trainMeanTokens, meanTokens / trainMeanTokens));
        }
        return w;
    }

    /** Logs the drift figures of {@code d} (if any): as a WARN naming each shift past the thresholds. */
    public static void log(Drift d) {
        if (d == null) {
            return;
        }
        String figures = String.format(java.util.Locale.ROOT, "OOV rate %s (training %s), truncated %s (training %s),"
                + " mean tokens %.1f (training %s)", pct(d.oovRate()), pct(d.trainOovRate()), pct(d.truncatedRate()),
                pct(d.trainTruncatedRate()), d.meanTokens(), d.trainMeanTokens() == null ? "n/a"
                : String.format(java.util.Locale.ROOT, "%.1f", d.trainMeanTokens()));
        java.util.List<String> warnings = d.warnings();
        if (warnings.isEmpty()) {
            LOG.info("drift: {}", figures);
        } else {
            LOG.warn("drift: the input differs from the model's training data: {}; predictions may be unreliable"
                    + " ({})", String.join("; ", warnings), figures);
        }
    }

    static String pct(Double v) {
        return v == null ? "n/a" : String.format("%.2f%%", 100 * v);
    }
}
