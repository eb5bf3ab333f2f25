package io.reviewrnn.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.corpus.PreparedCorpus;
import io.reviewrnn.core.corpus.PreparedLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The minibatches a run trains and validates on. Validation minibatches stay in memory for the whole run. The
 * training minibatches are, with the default {@code export} approach, written once as files ({@link MinibatchExport})
 * and fed to the workers epoch by epoch in averaging rounds ({@link #fitExported}); with {@code direct} they are an
 * in-memory RDD handed to DL4J's Direct approach.
 */
final class TrainingData {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);
    final JavaRDD<DataSet> validation;
    private final MinibatchExport.Export export;
    private final JavaRDD<DataSet> direct;
    private final DataSetLoader loader;
    private final FileSystem exportFs;
    private final Path exportDir;
    private final boolean keepExport;

    private TrainingData(JavaRDD<DataSet> validation, MinibatchExport.Export export, JavaRDD<DataSet> direct,
            DataSetLoader loader, FileSystem exportFs, Path exportDir, boolean keepExport) {
        this.validation = validation;
        this.export = export;
        this.direct = direct;
        this.loader = loader;
        this.exportFs = exportFs;
        this.exportDir = exportDir;
        this.keepExport = keepExport;
    }

    /** Builds the run's minibatches: validation in memory, training exported (or in memory for direct). */
    static TrainingData load(SparkSession spark, JavaSparkContext sc, TrainingRun run) throws IOException {
        TrainConfig c = run.config;
        PreparedCorpus corpus = run.corpus;
        int maxlen = corpus.text().maxlen();
        StorageLevel level = "NONE".equals(c.storageLevel()) ? null : StorageLevel.fromString(c.storageLevel());
        JavaRDD<DataSet> validation = rows(spark, corpus, PreparedLayout.VALIDATION, null)
                .mapPartitions(new Minibatches(c.evalBatchSize(), maxlen));
        persist(validation, level);
        Path exportDir = c.exportDir() != null ? new Path(c.exportDir())
                : run.dir.file(RunDirectory.EXPORT_DIR);
        FileSystem exportFs = exportDir.getFileSystem(sc.hadoopConfiguration());
        MinibatchExport.Export export = null;
        JavaRDD<DataSet> direct = null;
        if (!run.stopped()) {
            // One partition per worker: each writes its share of minibatches in parallel, and at most `workers`
            // minibatches (the last of each partition) are smaller than batch_size_per_worker.
            JavaRDD<Row> trainRows = rows(spark, corpus, PreparedLayout.TRAIN, c.seed()).coalesce(c.workers());
            if (c.trainingApproach() == TrainConfig.TrainingApproach.EXPORT) {
                export = MinibatchExport.exportOnce(sc, exportFs, exportDir, trainRows, corpus.path().toString(),
                        c.batchSizePerWorker(), maxlen, c.seed());
            } else {
                direct = trainRows.mapPartitions(new Minibatches(c.batchSizePerWorker(), maxlen));
                persist(direct, level);
            }
        }
        DataSetLoader loader = new CachedMinibatchLoader(export == null ? "" : export.id(),
                c.minibatchCacheMb() * 1024L * 1024L);
        return new TrainingData(validation, export, direct, loader, exportFs, exportDir, c.exportDir() != null);
    }

    /** One epoch of training on the workers, with progress reported to {@code progress}. */
    void fitEpoch(JavaSparkContext sc, SparkDl4jMultiLayer net, TrainConfig c, int epoch, EpochProgress progress) {
        if (export != null) {
            fitExported(sc, net, export.batches(), c.workers(), c.averagingFrequency(), c.seed(), epoch, loader,
                    progress, c.rounds());
        } else {
            net.fit(direct);
        }
    }

    /** How the training minibatches reach the workers (for the start-of-run log line). */
    String describe(TrainConfig c) {
        if (export == null) {
            return "DL4J Direct, rddDataSetNumExamples=" + c.batchSizePerWorker() + ", repartition=Always/Balanced";
        }
        int perRound = c.workers() * c.averagingFrequency();
        return export.batches().size() + " minibatch files in " + exportFs.makeQualified(exportDir) + ", "
                + (export.batches().size() + perRound - 1) / perRound + " averaging rounds/epoch, repartition=Never"
                + ", minibatch cache " + c.minibatchCacheMb() + " MB per JVM";
    }

    /** Frees the cached minibatches; the export is removed unless its directory was set explicitly. */
    void release() throws IOException {
        validation.unpersist(false);
        if (direct != null) {
            direct.unpersist(false);
        }
        if (!keepExport && exportFs.exists(exportDir)) {
            exportFs.delete(exportDir, true); // the run is finished; nothing will read the export again
        }
    }

    /**
     * One epoch on exported minibatch files: a shuffled order, one averaging round per group of
     * {@code workers * averagingFrequency} files, laid out so that each worker gets at most
     * {@code averagingFrequency} of them. The rounds run as one Spark job each, or as one job for the epoch whose
     * tasks exchange their results with the driver ({@link RoundExchange}); both give the same parameters.
     */
    static void fitExported(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet, List<MinibatchExport.Batch> batches,
            int workers, int averagingFrequency, long seed, int epoch, DataSetLoader loader, EpochProgress progress,
            TrainConfig.Rounds rounds) {
        List<MinibatchExport.Batch> order = epochOrder(batches, seed, epoch);
        boolean exchanged = exchange(sc, sparkNet, workers, rounds, epoch) && RoundExchange.fitEpoch(sc, sparkNet,
                (KnownCountTrainingMaster) sparkNet.getTrainingMaster(), order, workers, averagingFrequency, loader,
                progress);
        if (!exchanged) {
            fitRoundJobs(sc, sparkNet, order, workers, averagingFrequency, loader, progress);
        }
        sparkNet.getNetwork().getLayerWiseConfigurations().setEpochCount(epoch);
    }

    /**
     * Whether this epoch's rounds run exchanged: {@code exchange} requires it, {@code auto} takes it where the
     * cluster can run all workers at once (logged in the first epoch when it cannot), {@code jobs} never does.
     */
    private static boolean exchange(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet, int workers,
            TrainConfig.Rounds rounds, int epoch) {
        if (rounds == TrainConfig.Rounds.JOBS) {
            return false;
        }
        String why = !(sparkNet.getTrainingMaster() instanceof KnownCountTrainingMaster known) || !known.ownRounds()
                ? "DL4J's own rounds run (training listeners or stats)"
                : RoundExchange.unavailable(sc.sc(), workers, sparkNet.getNetwork());
        if (why == null) {
            if (epoch == 1) {
                LOG.info("rounds: one Spark job per epoch, whose {} tasks exchange every round's results with the"
                        + " driver", workers);
            }
            return true;
        }
        if (rounds == TrainConfig.Rounds.EXCHANGE) {
            throw new ConfigException("rounds", rounds.key(), "cannot run here: " + why
                    + " (use rounds: auto or jobs)");
        }
        if (epoch == 1) {
            LOG.info("rounds: one Spark job per averaging round, because {}", why);
        }
        return false;
    }

    /** The rounds as one Spark job each ({@code rounds: jobs}). */
    private static void fitRoundJobs(JavaSparkContext sc, SparkDl4jMultiLayer sparkNet,
            List<MinibatchExport.Batch> order, int workers, int averagingFrequency, DataSetLoader loader,
            EpochProgress progress) {
        MultiLayerConfiguration conf = sparkNet.getNetwork().getLayerWiseConfigurations();
        RoundPlan plan = new RoundPlan(order.size(), workers, averagingFrequency);
        for (int r = 0; r < plan.rounds(); r++) {
            List<MinibatchExport.Batch> round = order.subList(plan.from(r), plan.to(r));
            List<String> paths = new ArrayList<>(round.size());
            long examples = 0;
            for (MinibatchExport.Batch b : round) {
                paths.add(b.path());
                examples += b.examples();
            }
            int iterations = conf.getIterationCount();
            if (sparkNet.getTrainingMaster() instanceof KnownCountTrainingMaster known) {
                known.nextCount(round.size());
            }
            sparkNet.fitPaths(sc.parallelize(paths, plan.partitions(r)), loader);
            // DL4J counts averagingFrequency iterations per round and every fitPaths call as an epoch: keep both
            // counters true (RoundPlan.iterations; the epoch count is set after the epoch).
            conf.setIterationCount(iterations + plan.iterations(r));
            progress.round(round.size(), examples);
        }
    }

    /** The order of the minibatch files in {@code epoch}: a shuffle that depends only on seed and epoch. */
    static List<MinibatchExport.Batch> epochOrder(List<MinibatchExport.Batch> batches, long seed, int epoch) {
        List<MinibatchExport.Batch> order = new ArrayList<>(batches);
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    /** Rows (ids, label) of a split; with a seed, in a pseudo-random order fixed by the seed. */
    private static JavaRDD<Row> rows(SparkSession spark, PreparedCorpus corpus, String split, Long seed) {
        Dataset<Row> df = spark.read().parquet(corpus.split(split));
        if (seed != null) {
            df = df.orderBy(xxhash64(col(PreparedLayout.COL_ID), lit(seed)), col(PreparedLayout.COL_ID));
        }
        return df.select(Minibatches.COLUMNS[0], Minibatches.COLUMNS[1]).javaRDD();
    }

    private static void persist(JavaRDD<?> rdd, StorageLevel level) {
        if (level != null) {
            rdd.persist(level);
        }
    }
}
