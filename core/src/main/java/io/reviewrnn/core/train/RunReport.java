package io.reviewrnn.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.report.HtmlPage;
import io.reviewrnn.core.base.HadoopFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code report.html} of a training run, next to its plots: one self-contained page (the plots embedded) with the
 * loss and accuracy curves, the per-epoch metrics, the best epoch and why training stopped, the effective config and
 * model spec, the environment and, once {@code evaluate --run-dir} has evaluated the run's model, its metrics,
 * confusion matrix and ROC curve. It is rendered from the files of the run directory alone, so {@code train} (after
 * every epoch and at the end) and {@code evaluate} rewrite the same page the same way.
 */
public final class RunReport {
    public static final String HTML = "report.html";
    /** Spark master, versions, host: written by {@code train} when it starts (or resumes). */
    public static final String ENVIRONMENT = "environment.json";
    /** What {@code evaluate --run-dir} found, and its ROC curve. */
    public static final String EVALUATION = "evaluation.json";
    public static final String EVALUATION_ROC = "evaluation-roc.png";
    static final String CONFIG = "config.yaml";
    static final String MODEL = "model.yaml";
    static final String RESULT = "result.json";

    private RunReport() {
    }

    /** Renders {@code <runDir>/report.html} from what the run directory holds now; returns its path. */
    public static Path write(FileSystem fs, Path runDir) throws IOException {
        Path target = new Path(runDir, HTML);
        HadoopFiles.writeAtomically(fs, target, html(fs, runDir).getBytes(StandardCharsets.UTF_8));
        return target;
    }

    static String html(FileSystem fs, Path runDir) throws IOException {
        JsonNode config = tree(fs, new Path(runDir, CONFIG), true);
        JsonNode spec = tree(fs, new Path(runDir, MODEL), false);
        spec = spec == null ? Yaml.json().createObjectNode() : spec;
        JsonNode result = tree(fs, new Path(runDir, RESULT), false);
        List<EpochMetrics> epochs = fs.exists(new Path(runDir, TrainingHistory.JSON))
                ? TrainingHistory.read(fs, runDir).epochs() : List.of();
        String name = new Path(runDir.toUri().getPath().replaceAll("(.)/+$", "$1")).getName();
        HtmlPage page = new HtmlPage("Training run " + name + ": " + spec.path("name").asText("?"));
        page.paragraph(runDir.toString());

        page.heading(2, "Summary").keyValues(summary(config, result, epochs));
        page.heading(2, "Curves");
        for (String png : List.of(TrainingHistory.LOSS_PNG, TrainingHistory.ACCURACY_PNG)) {
            Path p = new Path(runDir, png);
            if (fs.exists(p)) {
                page.image(HadoopFiles.read(fs, p), png);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (EpochMetrics m : epochs) {
            rows.add(List.of(Integer.toString(m.epoch()), f4(m.trainLoss()), f4(m.trainAccuracy()), f4(m.valLoss()),
                    f4(m.valAccuracy()), String.format(Locale.ROOT, "%.1f", m.trainSeconds()),
                    String.format(Locale.ROOT, "%,.0f", m.samplesPerSecond())));
        }
        page.table(List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "train s", "samples/s"), rows, 1);

        JsonNode evaluation = tree(fs, new Path(runDir, EVALUATION), false);
        if (evaluation != null) {
            evaluation(fs, runDir, evaluation, page);
        }
        page.heading(2, "Effective config").preformatted(text(fs, new Path(runDir, CONFIG)));
        if (fs.exists(new Path(runDir, MODEL))) {
            page.heading(2, "Model spec").preformatted(text(fs, new Path(runDir, MODEL)));
        }
        JsonNode env = tree(fs, new Path(runDir, ENVIRONMENT), false);
        if (env != null) {
            Map<String, String> m = new LinkedHashMap<>();
            env.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            page.heading(2, "Environment").keyValues(m);
        }
        return page.html();
    }

    private static Map<String, String> summary(JsonNode config, JsonNode result, List<EpochMetrics> epochs) {
        Map<String, String> s = new LinkedHashMap<>();
        Monitor monitor = Monitor.parse(config.path("monitor").asText(Monitor.VAL_LOSS.key()));
        s.put("corpus", config.path("corpus").asText());
        s.put("status", result == null ? "running or interrupted (" + epochs.size() + " epochs so far)"
                : "stopped after epoch " + result.path("epochs").asInt() + ": " + result.path("stop_reason").asText());
        EpochMetrics best = null;
        for (EpochMetrics m : epochs) {
            if (best == null || monitor.improves(monitor.valueOf(m), monitor.valueOf(best), 0)) {
                best = m;
            }
        }
        int bestEpoch = result == null ? 0 : result.path("best_epoch").asInt();
        if (bestEpoch > 0 && bestEpoch <= epochs.size()) {
            best = epochs.get(bestEpoch - 1);   // min_delta may have kept an earlier one
        }
        if (best != null) {
            s.put("best epoch (" + monitor.key() + ")", best.epoch() + ": val_loss " + f4(best.valLoss())
                    + ", val_accuracy " + f4(best.valAccuracy()));
        }
        if (result != null) {
            s.put("final model", result.path("final_model").asText() + " (" + result.path("best_checkpoint").asText()
                    + ")");
            s.put("best checkpoint content sha256", result.path("best_content_sha256").asText());
            s.put("wall time", String.format(Locale.ROOT, "%.0f s", result.path("wall_seconds").asDouble()));
            s.put("training samples/s", String.format(Locale.ROOT, "%,.0f", result.path("samples_per_second")
                    .asDouble()));
        }
        s.put("workers", config.path("workers").asText());
        s.put("averaging", config.path("averaging").asText());
        return s;
    }

    private static void evaluation(FileSystem fs, Path runDir, JsonNode e, HtmlPage page) throws IOException {
        JsonNode m = e.path("metrics");
        page.heading(2, "Evaluation").paragraph("Model " + e.path("model").asText() + " (content sha256 "
                + e.path("model_sha256").asText() + ") on " + e.path("input").asText() + ": "
                + m.path("examples").asLong() + " reviews, " + e.path("rejected").asLong() + " rejected.");
        Map<String, String> metrics = new LinkedHashMap<>();
        for (String k : List.of("accuracy", "loss", "precision", "recall", "f1", "roc_auc")) {
            metrics.put(k, f4(m.path(k).asDouble(Double.NaN)));
        }
        page.keyValues(metrics);
        JsonNode c = m.path("confusion_matrix");
        page.heading(3, "Confusion matrix (threshold 0.5)").table(List.of("", "predicted negative",
                "predicted positive"), List.of(
                        List.of("actual negative", c.path("tn").asText(), c.path("fp").asText()),
                        List.of("actual positive", c.path("fn").asText(), c.path("tp").asText())), 1);
        Path roc = new Path(runDir, EVALUATION_ROC);
        if (fs.exists(roc)) {
            page.image(HadoopFiles.read(fs, roc), "ROC curve");
        }
    }

    private static JsonNode tree(FileSystem fs, Path file, boolean required) throws IOException {
        if (!required && !fs.exists(file)) {
            return null;
        }
        try (var in = fs.open(file)) {
            return file.getName().endsWith(".json") ? Yaml.json().readTree(in) : Yaml.yaml().readTree(in);
        }
    }

    private static String text(FileSystem fs, Path file) throws IOException {
        return new String(HadoopFiles.read(fs, file), StandardCharsets.UTF_8);
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
