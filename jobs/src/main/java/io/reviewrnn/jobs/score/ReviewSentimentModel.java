package io.reviewrnn.jobs.score;

import io.reviewrnn.core.score.PackagedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained review-rnn checkpoint as a Spark ML stage: appends the probability that the text in {@code inputCol} is
 * positive ({@code probabilityCol}, double) and the predicted class ({@code predictionCol}, 0.0 or 1.0), so it goes
 * into a {@code Pipeline} like any MLlib model:
 *
 * <pre>
 * ReviewSentimentModel sentiment = new ReviewSentimentModel().setCheckpoint("hdfs:///models/gru/checkpoints/best")
 *         .setInputCol("body");
 * PipelineModel p = new Pipeline().setStages(new PipelineStage[] {sentiment}).fit(reviews);
 * p.transform(reviews); p.write().save("hdfs:///pipelines/sentiment");
 * </pre>
 *
 * The checkpoint is verified on the driver (content hash, text spec and vocabulary, as {@code score} does) and
 * broadcast once; executors score in minibatches of {@code batchSize} with one pooled network per task slot. Rows
 * whose text is null or blank get null columns. {@code save} copies the checkpoint into the stage's directory and
 * records its content hash, so a saved pipeline is self-contained and {@code load} refuses a copy that changed.
 */
public final class ReviewSentimentModel extends Model<ReviewSentimentModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    static final String CHECKPOINT_DIR = "checkpoint";

    private final String uid;
    // Params are made in the constructor, after the uid they belong to is set.
    private final Param<String> inputCol;
    private final Param<String> probabilityCol;
    private final Param<String> predictionCol;
    private final IntParam batchSize;
    private final Param<String> checkpoint;
    private final Param<String> expectedHash;
    private transient Broadcast<ModelBroadcast> broadcast;
    private transient String broadcastKey;

    public ReviewSentimentModel() {
        this(Identifiable.randomUID("reviewSentiment"));
    }

    public ReviewSentimentModel(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "column of review text (string)");
        probabilityCol = new Param<>(this, "probabilityCol",
                "output column: probability that the review is positive (double)");
        predictionCol = new Param<>(this, "predictionCol",
                "output column: predicted class, 1.0 positive or 0.0 negative (double)");
        batchSize = new IntParam(this, "batchSize", "reviews per network call (> 0)", ParamValidators.gt(0));
        checkpoint = new Param<>(this, "checkpoint", "checkpoint directory (any Hadoop file system URI)");
        expectedHash = new Param<>(this, "expectedHash",
                "content hash the checkpoint must have; empty accepts any intact checkpoint");
        setDefault(inputCol, "text");
        setDefault(probabilityCol, "probability");
        setDefault(predictionCol, "prediction");
        setDefault(batchSize, (Object) 256);
        setDefault(expectedHash, "");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> checkpoint() {
        return checkpoint;
    }

    public Param<String> expectedHash() {
        return expectedHash;
    }

    public ReviewSentimentModel setInputCol(String v) {
        return (ReviewSentimentModel) set(inputCol, v);
    }

    public ReviewSentimentModel setProbabilityCol(String v) {
        return (ReviewSentimentModel) set(probabilityCol, v);
    }

    public ReviewSentimentModel setPredictionCol(String v) {
        return (ReviewSentimentModel) set(predictionCol, v);
    }

    public ReviewSentimentModel setBatchSize(int v) {
        return (ReviewSentimentModel) set(batchSize, (Object) v);
    }

    public ReviewSentimentModel setCheckpoint(String v) {
        return (ReviewSentimentModel) set(checkpoint, v);
    }

    public ReviewSentimentModel setExpectedHash(String v) {
        return (ReviewSentimentModel) set(expectedHash, v == null ? "" : v);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String in = $(inputCol);
        StructField f;
        try {
            f = schema.apply(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("inputCol " + in + " is not a column of " + schema.simpleString());
        }
        if (!f.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("inputCol " + in + " is " + f.dataType().simpleString()
                    + ", expected string");
        }
        for (String out : new String[] {$(probabilityCol), $(predictionCol)}) {
            if (schema.getFieldIndex(out).isDefined()) {
                throw new IllegalArgumentException("output column " + out + " already exists");
            }
        }
        return schema.add($(probabilityCol), DataTypes.DoubleType, true).add($(predictionCol), DataTypes.DoubleType,
                true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> df = dataset.toDF();
        AppendSentiment f = new AppendSentiment(model(df.sparkSession()), (Integer) getOrDefault(batchSize),
                df.schema().fieldIndex($(inputCol)), true);
        return df.mapPartitions(f, Encoders.row(out));
    }

    /** The checkpoint, loaded, verified and broadcast once per checkpoint and hash. */
    synchronized Broadcast<ModelBroadcast> model(SparkSession spark) {
        if (!isDefined(checkpoint)) {
            throw new IllegalArgumentException("checkpoint is not set on " + uid);
        }
        String hash = $(expectedHash).isEmpty() ? null : $(expectedHash);
        String key = $(checkpoint) + "#" + hash;
        if (broadcast == null || !key.equals(broadcastKey)) {
            try {
                broadcast = ModelBroadcast.of(spark, PackagedModel.load($(checkpoint), hash,
                        spark.sparkContext().hadoopConfiguration()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load checkpoint " + $(checkpoint) + ": " + e.getMessage(), e);
            }
            broadcastKey = key;
        }
        return broadcast;
    }

    @Override
    public ReviewSentimentModel copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<ReviewSentimentModel> read() {
        return new Reader();
    }

    public static ReviewSentimentModel load(String path) {
        return read().load(path);
    }

    /** Saves the params and a copy of the checkpoint; the copy's content hash becomes {@code expectedHash}. */
    private static final class Writer extends MLWriter {
        private final ReviewSentimentModel stage;

        Writer(ReviewSentimentModel stage) {
            this.stage = stage;
        }

        @Override
        public void saveImpl(String path) {
            String hash = stage.model(sparkSession()).value().get().contentHash();
            ReviewSentimentModel saved = stage.copy(ParamMap.empty()).setExpectedHash(hash);
            DefaultParamsWriter.saveMetadata(saved, path, sc(), Option.empty(), Option.empty());
            try {
                Path from = new Path(stage.$(stage.checkpoint));
                Path to = new Path(path, CHECKPOINT_DIR);
                FileSystem src = from.getFileSystem(sc().hadoopConfiguration());
                FileSystem dst = to.getFileSystem(sc().hadoopConfiguration());
                if (!FileUtil.copy(src, io.reviewrnn.core.store.AtomicDirectory.readable(src, from), dst, to, false,
                        sc().hadoopConfiguration())) {
                    throw new IOException("cannot copy " + from + " to " + to);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Loads the params and points the stage at the saved checkpoint copy, verified against the saved hash. */
    private static final class Reader extends MLReader<ReviewSentimentModel> {
        @Override
        public ReviewSentimentModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(),
                    ReviewSentimentModel.class.getName());
            ReviewSentimentModel stage = new ReviewSentimentModel(metadata.uid());
            metadata.getAndSetParams(stage, Option.empty());
            return stage.setCheckpoint(new Path(path, CHECKPOINT_DIR).toString());
        }
    }
}
