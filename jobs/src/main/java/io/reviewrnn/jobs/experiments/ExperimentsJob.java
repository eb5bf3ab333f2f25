package io.reviewrnn.jobs.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.reviewrnn.core.base.ConfigException;
import io.reviewrnn.core.config.CorpusSource;
import io.reviewrnn.core.config.EvaluateConfig;
import io.reviewrnn.core.config.ExperimentsConfig;
import io.reviewrnn.core.config.PrepareConfig;
import io.reviewrnn.core.config.TrainConfig;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.corpus.PrepareManifest;
import io.reviewrnn.core.corpus.PreparedLayout;
import io.reviewrnn.core.experiments.ExperimentReport;
import io.reviewrnn.core.experiments.ExperimentRow;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.registry.RetrainLock;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.TrainingHistory;
import io.reviewrnn.jobs.evaluate.EvaluateJob;
import io.reviewrnn.jobs.evaluate.EvaluateResult;
import io.reviewrnn.jobs.SparkEnvironment;
import io.reviewrnn.jobs.prepare.PrepareJob;
import io.reviewrnn.jobs.train.TrainJob;
import io.reviewrnn.jobs.train.TrainResult;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code experiments}: prepares the corpus once, trains every listed model spec (each with best/last checkpoints and
 * early stopping, as {@code train}), evaluates each final model (the best epoch's unless {@code restore_best_weights:
 * false}) on the test split and writes the comparison report.
 *
 * <p>Layout under {@code output}: {@code <name>/prepared/}, {@code <name>/environment.json},
 * {@code <name>/runs/<model>/} (a normal train run directory plus {@code experiment-row.json} once the model is
 * done), {@code <name>/evaluation/<model>/}, and {@code report/} covering every experiment under {@code output}.
 *
 * <p>Rerunning is safe and resumes: a prepared corpus with the same text settings is reused, finished models are
 * skipped, a model whose training was interrupted continues from its last checkpoint ({@code train --resume}), and
 * a model trained but not yet evaluated is only evaluated.
 */
public final class ExperimentsJob {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentsJob.class);
    public static final String PREPARED = "prepared";
    public static final String RUNS = "runs";
    public static final String EVALUATION = "evaluation";
    public static final String REPORT = "report";
    public static final String ENVIRONMENT = "environment.json";
    private static final List<String> REFERENCE_ORDER = List.of("simplernn-onehot", "simplernn-embedding", "lstm",
            "lstm-dropout", "lstm-2layer", "gru");

    private final ExperimentsConfig config;
    private final Set<String> only;

    /**
     * @param only model keys to run (others are skipped but stay in the report if finished); empty = all
     */
    public ExperimentsJob(ExperimentsConfig config, Collection<String> only) {
        this.config = config;
        this.only = new LinkedHashSet<>(only);
        List<String> keys = config.modelKeys();
        for (String k : this.only) {
            if (!keys.contains(k)) {
                throw new ConfigException("--only", k, "is not a model of experiment " + config.name() + " " + keys);
            }
        }
    }

    public ExperimentsConfig config() {
        return config;
    }

    public ExperimentsResult run(SparkSession spark) throws Exception {
        long t0 = System.nanoTime();
        var hadoop = spark.sparkContext().hadoopConfiguration();
        Path root = new Path(config.output());
        FileSystem fs = root.getFileSystem(hadoop);
        root = fs.makeQualified(root);
        Path home = new Path(root, config.name());
        // One run per experiment directory: a second one fails here, naming the holder, having written nothing.
        try (RetrainLock.Lease lock = RetrainLock.ofRunDirectory(fs, home).acquireForRun("experiments "
                + config.name() + " (Spark application " + spark.sparkContext().applicationId() + ")")) {
            return run(spark, fs, root, home, t0);
        }
    }

    private ExperimentsResult run(SparkSession spark, FileSystem fs, Path root, Path home, long t0) throws Exception {
        Path prepared = new Path(home, PREPARED);
        int numWords = prepare(spark, fs, prepared).text().numWords();
        boolean environmentWritten = false;

        List<String> ran = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> keys = config.modelKeys();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (!only.isEmpty() && !only.contains(key)) {
                continue;
            }
            Path runDir = new Path(new Path(home, RUNS), key);
            if (fs.exists(new Path(runDir, ExperimentRow.FILE))) {
                LOG.info("experiments {}: model {}/{} {} already done, skipped", config.name(), i + 1, keys.size(),
                        key);
                skipped.add(key);
                continue;
            }
            if (!environmentWritten) {   // the environment the models are trained in (not that of a rerun)
                writeEnvironment(spark, fs, home);
                environmentWritten = true;
            }
            LOG.info("experiments {}: model {}/{} {} ({})", config.name(), i + 1, keys.size(), key,
                    config.models().get(i));
            runModel(spark, fs, prepared, numWords, key, config.models().get(i), runDir,
                    new Path(new Path(home, EVALUATION), key));
            ran.add(key);
        }
        Path reportDir = new Path(root, REPORT);
        ExperimentReport report = writeReport(fs, root, reportDir);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("experiments {}: {} models trained, {} already done; report {} ({} rows) in {} s", config.name(),
                ran.size(), skipped.size(), reportDir, report.rows().size(), String.format(Locale.ROOT, "%.0f", seconds));
        return new ExperimentsResult(config.name(), prepared.toString(), ran, skipped, report.rows(),
                reportDir.toString(), seconds);
    }

    /** Prepares the corpus unless a prepared corpus with the same text settings is already there. */
    private PrepareManifest prepare(SparkSession spark, FileSystem fs, Path dir) throws Exception {
        PrepareConfig pc = config.prepareConfig(dir.toString());
        if (fs.exists(new Path(dir, PreparedLayout.SUCCESS))) {
            PrepareManifest m = PrepareManifest.read(fs, dir);
            if (!m.text().equals(pc.text())) {
                throw new ConfigException("prepare.text", Yaml.json().writeValueAsString(pc.text()),
                        "differs from the corpus already prepared in " + dir + " (" + Yaml.json().writeValueAsString(
                                m.text()) + "); use another output or experiment name");
            }
            String was = m.config() == null ? null : m.config().at("/input/path").asText(null);
            if (was != null && !was.equals(pc.input().path())) {
                throw new ConfigException("corpus", pc.input().path(), "differs from the corpus already prepared in "
                        + dir + " (" + was + "); use another output or experiment name");
            }
            LOG.info("experiments {}: reusing the prepared corpus {}", config.name(), dir);
            return m;
        }
        return new PrepareJob(pc).run(spark).manifest();
    }

    private void runModel(SparkSession spark, FileSystem fs, Path prepared, int numWords, String key, String specPath,
            Path runDir, Path evalDir) throws Exception {
        TrainResult trained;
        Path resultFile = new Path(runDir, TrainJob.RESULT_FILE);
        if (fs.exists(resultFile)) {
            LOG.info("experiments {}: {} already trained, evaluating it", config.name(), key);
            trained = Yaml.json().readValue(HadoopFiles.read(fs, resultFile), TrainResult.class);
        } else if (fs.exists(new Path(runDir, TrainJob.CONFIG_FILE))) {
            LOG.info("experiments {}: {} was interrupted, resuming {}", config.name(), key, runDir);
            trained = TrainJob.resume(runDir.toString()).run(spark);
        } else {
            TrainConfig tc = config.trainConfig(prepared.toString(), specPath, runDir.toString());
            trained = new TrainJob(tc).run(spark);
        }
        EvaluateConfig ec = EvaluateConfig.builder().setModel(trained.finalCheckpoint())
                .setInput(CorpusSource.of(new Path(prepared, PreparedLayout.TEST).toString()))
                .optOutput(evalDir.toString()).optOverwrite(true).optRunDir(runDir.toString()).build();
        EvaluateResult eval = new EvaluateJob(ec).run(spark);

        ModelSpec spec;
        try (InputStream in = fs.open(new Path(runDir, TrainJob.MODEL_FILE))) {
            spec = ModelSpec.load(in, key);
        }
        TrainingHistory history = TrainingHistory.read(fs, runDir);
        double wall = trained.resumedFrom() == 0 ? trained.wallSeconds()
                : history.epochs().stream().mapToDouble(e -> e.trainSeconds() + e.evalSeconds()).sum();
        double fit = history.epochs().stream().mapToDouble(EpochMetrics::trainSeconds).sum();
        long examples = history.epochs().stream().mapToLong(EpochMetrics::trainExamples).sum();
        ExperimentRow row = new ExperimentRow(config.name(), key, spec.name(), describe(spec),
                ModelFactory.numParams(spec, numWords), trained.epochs(), trained.bestEpoch(),
                trained.best().valLoss(), trained.best().valAccuracy(), eval.metrics().accuracy(),
                eval.metrics().loss(), eval.metrics().rocAuc(), trained.stopReason().key(), wall,
                fit > 0 ? examples / fit : 0, runDir.toString());
        HadoopFiles.writeAtomically(fs, new Path(runDir, ExperimentRow.FILE),
                Yaml.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(row));
        LOG.info("experiments {}: {} done: {} epochs, best epoch {} val_loss {} val_accuracy {}, test accuracy {}",
                config.name(), key, row.epochs(), row.bestEpoch(), f4(row.bestValLoss()), f4(row.bestValAccuracy()),
                f4(row.testAccuracy()));
    }

    static String describe(ModelSpec s) {
        String input = s.input().type() == ModelSpec.Input.Type.ONE_HOT ? "one-hot input"
                : "embedding " + s.input().dim();
        StringBuilder b = new StringBuilder();
        String kind = s.kind().kerasName();
        b.append(s.layers() > 1 ? s.layers() + " x " : "").append(kind).append('(').append(s.units())
                .append("), ").append(input);
        if (s.dropout() > 0 || s.recurrentDropout() > 0) {
            b.append(", dropout ").append(s.dropout()).append(" / recurrent ").append(s.recurrentDropout());
        }
        b.append(", ").append(s.optimizer().type().name().toLowerCase(Locale.ROOT)).append(' ')
                .append(new java.math.BigDecimal(Double.toString(s.optimizer().learningRate())).stripTrailingZeros()
                        .toPlainString()).append(", impl ").append(s.impl().name().toLowerCase(Locale.ROOT));
        return b.toString();
    }

    /** Spark master, workers and versions of this run, for the report. */
    private void writeEnvironment(SparkSession spark, FileSystem fs, Path home) throws IOException {
        var sc = spark.sparkContext();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("recorded_at", Instant.now().toString());
        env.putAll(SparkEnvironment.of(spark));
        env.put("executors", Integer.toString(Math.max(1, sc.statusTracker().getExecutorInfos().length - 1))
                + (sc.isLocal() ? " (local: the driver JVM)" : ""));
        env.put("driver_cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("scala", scala.util.Properties.versionNumberString());
        env.put("deeplearning4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
        env.put("nd4j_backend", mavenVersion("org.nd4j", "nd4j-native") + " (" + System.getProperty("os.arch") + ")");
        env.put("java_vm", System.getProperty("java.vm.name"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("corpus", config.corpus().isTextual() ? config.corpus().asText() : config.corpus().toString());
        env.put("prepare", config.prepare().toString());
        env.put("train", config.train().toString());
        HadoopFiles.writeAtomically(fs, new Path(home, ENVIRONMENT),
                Yaml.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(env));
    }

    private static String mavenVersion(String group, String artifact) {
        try (InputStream in = ExperimentsJob.class.getResourceAsStream(
                "/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    /** The report over every finished model of every experiment under {@code root}. */
    static ExperimentReport writeReport(FileSystem fs, Path root, Path reportDir) throws IOException {
        List<ExperimentReport.Entry> entries = new ArrayList<>();
        Map<String, Map<String, String>> envs = new LinkedHashMap<>();
        FileStatus[] experiments = fs.listStatus(root, p -> !p.getName().equals(REPORT));
        java.util.Arrays.sort(experiments, Comparator.comparing(s -> s.getPath().getName()));
        for (FileStatus exp : experiments) {
            if (!exp.isDirectory()) {
                continue;
            }
            Path envFile = new Path(exp.getPath(), ENVIRONMENT);
            if (fs.exists(envFile)) {
                JsonNode n = Yaml.json().readTree(HadoopFiles.read(fs, envFile));
                Map<String, String> env = new LinkedHashMap<>();
                n.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
                envs.put(exp.getPath().getName(), env);
            }
            Path runs = new Path(exp.getPath(), RUNS);
            if (!fs.exists(runs)) {
                continue;
            }
            List<ExperimentReport.Entry> mine = new ArrayList<>();
            for (FileStatus run : fs.listStatus(runs)) {
                Path rowFile = new Path(run.getPath(), ExperimentRow.FILE);
                if (run.isDirectory() && fs.exists(rowFile)) {
                    ExperimentRow row = Yaml.json().readValue(HadoopFiles.read(fs, rowFile), ExperimentRow.class);
                    Path specFile = new Path(run.getPath(), TrainJob.MODEL_FILE);
                    if (fs.exists(specFile)) {   // the description in today's words, from the run's own spec
                        try (InputStream in = fs.open(specFile)) {
                            row = row.withDescription(describe(ModelSpec.load(in, specFile.toString())));
                        }
                    }
                    mine.add(new ExperimentReport.Entry(row, TrainingHistory.read(fs, run.getPath())));
                }
            }
            mine.sort(Comparator.comparing(e -> order(e.row().model())));
            entries.addAll(mine);
        }
        ExperimentReport report = new ExperimentReport("review-rnn experiments", entries, envs);
        report.write(fs, reportDir);
        return report;
    }

    /** The reference exercise's order first, then the rest by name. */
    private static String order(String model) {
        int i = REFERENCE_ORDER.indexOf(model);
        return i >= 0 ? "0" + i : "1" + model;
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
