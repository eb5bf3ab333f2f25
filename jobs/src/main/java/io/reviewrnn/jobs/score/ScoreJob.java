package io.reviewrnn.jobs.score;

import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.config.ScoreConfig;
import io.reviewrnn.core.score.PackagedModel;
import io.reviewrnn.core.store.AtomicDirectory;
import io.reviewrnn.jobs.Rdds;
import io.reviewrnn.jobs.io.CatalogTable;
import io.reviewrnn.jobs.io.OutputFormat;
import io.reviewrnn.jobs.io.RawInput;
import io.reviewrnn.jobs.io.Rejects;
import io.reviewrnn.jobs.io.RowDestination;
import io.reviewrnn.jobs.io.TaskOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code score} stage: raw reviews in (labelled or not, any format {@code prepare} reads, or one review per
 * line), one probability per review out, with the model's name and content hash. The checkpoint is verified on
 * the driver and broadcast once; executors rebuild the network once per task slot and score in minibatches.
 *
 * <p>The input is read once: one Spark job reads, tokenizes, encodes, infers and writes, each task writing its
 * own predictions and rejects files ({@link TaskOutput}) and returning what it read and wrote. Every input record
 * ends up either in {@code predictions/} or, with its reason, in {@code rejects/}; each task checks that its counts
 * add up, and the totals come from the results of the attempts whose files were committed, so a retried task is
 * never counted twice (Parquet predictions are also counted again from the committed files' footers). Memory is
 * bounded by one minibatch per task whatever the input size; nothing is collected to the driver but one small
 * result per partition. Output layout, committed atomically:
 *
 * <pre>
 * out/predictions/   Parquet or CSV: id, label (input's, may be null), probability, predicted_label, model,
 *                    model_sha256, token_count, oov_count, truncated, then the input's keep_columns (strings)
 * out/rejects/       JSON Lines: id, source, reason, snippet (first 200 characters)
 * out/summary.json   {@link ScoreResult}
 * </pre>
 *
 * <p>With {@code output_table} the predictions go to that table of the session catalog instead
 * ({@link CatalogTable}: the committed Parquet files are written to it with {@code saveAsTable}, optionally
 * partitioned, and the table's rows are counted against the tasks' predictions); rejects and the summary stay in
 * the output directory.
 */
public final class ScoreJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    public static final String PREDICTIONS = "predictions";
    public static final String REJECTS = "rejects";
    public static final String SUMMARY = "summary.json";

    private final ScoreConfig config;

    public ScoreJob(ScoreConfig config) {
        this.config = config;
    }

    public ScoreResult run(SparkSession spark) throws IOException {
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path outPath = new Path(config.output());
        PackagedModel model = PackagedModel.load(config.model(), config.expectedHash(), hadoop, config.engine());
        LOG.info("scoring {} with model {} ({}), sha256 {}, engine {}, batch {}", config.input().path(),
                model.modelName(), config.model(), model.contentHash(), config.engine().key(), config.batchSize());
        FileSystem fs = outPath.getFileSystem(hadoop);
        StructType schema = ScoringTask.predictions(config.keptColumns());
        RowDestination destination = destination(spark, schema);
        try (AtomicDirectory out = AtomicDirectory.begin(fs, outPath, config.overwrite(), SUMMARY)) {
            JavaRDD<Row> raw = RawInput.read(spark, config.input(), config.maxReviewChars(), partitions(spark), false,
                    config.keptColumns());
            List<ScoredPartition> written = scoreAndWrite(spark, raw, model, out.temp(), schema,
                    destination.taskFormat());
            ScoredPartition total = commit(spark, fs, out.temp(), written, schema, destination);
            ScoreResult result = result(hadoop, out.target(), destination, model, total,
                    (System.nanoTime() - t0) / 1e9);
            HadoopFiles.write(fs, new Path(out.temp(), SUMMARY), Yaml.json().writeValueAsBytes(result));
            out.commit();
            logSummary(result);
            return result;
        }
    }

    /**
     * The destination of predictions with columns {@code schema}, checked before any work: the output directory's
     * files, or a table.
     */
    private RowDestination destination(SparkSession spark, StructType schema) throws IOException {
        OutputFormat format = OutputFormat.parse("output_format", config.outputFormat());
        if (config.outputTable() == null) {
            return RowDestination.files(format);
        }
        CatalogTable table = CatalogTable.of("output_table", config.outputTable(), "partition_by",
                config.partitionBy(), format, schema, config.overwrite());
        table.checkWritable(spark, "output_table");
        return table;
    }

    private int partitions(SparkSession spark) {
        return config.partitions() > 0 ? config.partitions() : 2 * spark.sparkContext().defaultParallelism();
    }

    /** The single pass: one job whose tasks score their partition and write it; one result per partition. */
    private List<ScoredPartition> scoreAndWrite(SparkSession spark, JavaRDD<Row> raw, PackagedModel model,
                                                Path temp, StructType schema, OutputFormat format) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ModelBroadcast> bc = ModelBroadcast.of(spark, model);
        LongAccumulator done = spark.sparkContext().longAccumulator("scored records (progress only)");
        ScoringTask task = new ScoringTask(bc, schema, config.batchSize(), new TaskOutput(jsc, temp), format, done);
        try (ScoreProgress progress = new ScoreProgress(LOG, spark.sparkContext(), "score", done, -1,
                config.progressSeconds())) {
            List<ScoredPartition> written = Rdds.eachPartition(raw, task);
            LOG.info("score: {} partitions scored and written in {} s", written.size(),
                    String.format("%.1f", progress.seconds()));
            return written;
        }
    }

    /**
     * Moves the committed attempts' files into place, totals their counts and publishes the predictions to their
     * destination; checks the destination's row count (Parquet footers, the table) against the tasks' counts.
     */
    private ScoredPartition commit(SparkSession spark, FileSystem fs, Path temp, List<ScoredPartition> written,
                                   StructType schema, RowDestination destination) throws IOException {
        List<Map<String, String>> files = new ArrayList<>();
        ScoredPartition total = new ScoredPartition();
        for (ScoredPartition p : written) {
            files.add(p.files);
            total.merge(p);
        }
        TaskOutput.commit(fs, temp, files);
        TaskOutput.ensureExists(fs, temp, PREDICTIONS, destination.taskFormat(), schema);
        TaskOutput.ensureExists(fs, temp, REJECTS, OutputFormat.JSON, Rejects.SCHEMA);
        long rows = destination.publish(spark, fs, new Path(temp, PREDICTIONS));
        if (rows >= 0 && rows != total.scored) {
            throw new IllegalStateException("record count mismatch: the tasks wrote " + total.scored
                    + " predictions but " + destination.describe(new Path(temp, PREDICTIONS)) + " holds " + rows);
        }
        if (total.read != total.scored + total.rejected) {
            throw new IllegalStateException("record count mismatch: read " + total.read + " but wrote " + total.scored
                    + " predictions and " + total.rejected + " rejects");
        }
        return total;
    }

    private ScoreResult result(Configuration hadoop, Path target, RowDestination destination, PackagedModel model,
                               ScoredPartition t, double seconds) {
        Drift drift = Drift.of(hadoop, model.checkpoint(), t.scored, t.tokens, t.oov, t.truncated);
        return new ScoreResult(target.toString(), destination.describe(new Path(target, PREDICTIONS)),
                new Path(target, REJECTS).toString(), config.model(), model.modelName(), model.contentHash(), t.read,
                t.scored, t.rejected, t.byReason(), t.positive, drift, seconds, t.read / seconds,
                keptWithoutValues(t));
    }

    /** Kept columns null in every prediction, or null when there are none (or no predictions). */
    private static List<String> keptWithoutValues(ScoredPartition t) {
        List<String> empty = new ArrayList<>();
        t.keptWithValue.forEach((column, values) -> {
            if (values == 0) {
                empty.add(column);
            }
        });
        return t.scored == 0 || empty.isEmpty() ? null : empty;
    }

    private static void logSummary(ScoreResult r) {
        LOG.info("scored {} of {} records ({} rejected {}) in {} s ({} records/s) -> {}", r.scored(), r.recordsIn(),
                r.rejected(), r.rejectsByReason(), String.format("%.1f", r.seconds()),
                String.format("%.0f", r.recordsPerSecond()), r.output());
        Drift.log(r.drift());
        if (r.keptColumnsWithoutValues() != null) {
            LOG.warn("keep_columns {}: null in all {} predictions; no scored record has a value there (a key missing"
                    + " from every JSON Lines record?)", r.keptColumnsWithoutValues(), r.scored());
        }
        if (r.rejected() > 0) {
            LOG.warn("{} records rejected {}; see {}", r.rejected(), r.rejectsByReason(), r.rejects());
        }
    }
}
