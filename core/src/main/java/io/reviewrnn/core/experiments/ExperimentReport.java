package io.reviewrnn.core.experiments;

import io.reviewrnn.core.base.HadoopFiles;
import io.reviewrnn.core.report.HtmlPage;
import io.reviewrnn.core.train.EpochMetrics;
import io.reviewrnn.core.train.TrainingHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The comparison report of {@code experiments}: {@code report.md} (with PNGs beside it) and a self-contained
 * {@code report.html} (PNGs embedded), holding one table row per finished model, an overlay of every model's
 * validation loss, per-model loss and accuracy curves, and the environment of each experiment.
 */
public final class ExperimentReport {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String OVERLAY_PNG = "val_loss-all-models.png";

    /** A finished model with its per-epoch history. */
    public record Entry(ExperimentRow row, TrainingHistory history) {
    }

    /** Ten well-separated colours (matplotlib's tab10), so eight models stay distinguishable in the overlay. */
    private static final java.awt.Color[] PALETTE = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
        new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd),
        new java.awt.Color(0x8c564b), new java.awt.Color(0xe377c2), new java.awt.Color(0x7f7f7f),
        new java.awt.Color(0xbcbd22), new java.awt.Color(0x17becf)};

    private static final int W = 560;
    private static final int H = 350;

    private final String title;
    private final List<Entry> entries;
    private final Map<String, Map<String, String>> environments;

    /**
     * @param title report heading
     * @param entries finished models, in report order
     * @param environments per experiment name: Spark master, workers, versions, ...
     */
    public ExperimentReport(String title, List<Entry> entries, Map<String, Map<String, String>> environments) {
        this.title = title;
        this.entries = List.copyOf(entries);
        this.environments = new LinkedHashMap<>(environments);
    }

    /** Writes report.md, report.html and the PNGs into {@code dir}, each file atomically. */
    public void write(FileSystem fs, Path dir) throws IOException {
        if (fs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
            fs = local.getRawFileSystem();   // no .crc files beside the report's files
        }
        fs.mkdirs(dir);
        Map<String, byte[]> images = new LinkedHashMap<>();
        images.put(OVERLAY_PNG, overlayPng());
        for (Entry e : entries) {
            String label = label(e.row());
            images.put(imageName(e.row(), "loss"), e.history().lossPng(W, H, label + ": loss"));
            images.put(imageName(e.row(), "accuracy"), e.history().accuracyPng(W, H, label + ": accuracy"));
        }
        for (Map.Entry<String, byte[]> img : images.entrySet()) {
            HadoopFiles.writeAtomically(fs, new Path(dir, img.getKey()), img.getValue());
        }
        HadoopFiles.writeAtomically(fs, new Path(dir, MARKDOWN), markdown().getBytes(StandardCharsets.UTF_8));
        HadoopFiles.writeAtomically(fs, new Path(dir, HTML), html(images).getBytes(StandardCharsets.UTF_8));
    }

    /** The Markdown report; images are referenced by file name, relative to the report folder. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(title).append("\n\n");
        b.append("| ").append(String.join(" | ", header())).append(" |\n");
        b.append("|---".repeat(header().size())).append("|\n");
        for (Entry e : entries) {
            b.append("| ").append(String.join(" | ", cells(e.row()))).append(" |\n");
        }
        b.append("\nBest = the epoch with the lowest validation loss (Keras `EarlyStopping(restore_best_weights=True)`); "
                + "test accuracy is that model's on the test split. Wall time covers training (all epochs, "
                + "validation and checkpoints); samples/s is training samples per second of fit time.\n\n");
        b.append("## Validation loss, all models\n\n![validation loss of all models](").append(OVERLAY_PNG)
                .append(")\n\n");
        b.append("## Learning curves\n\n");
        for (Entry e : entries) {
            ExperimentRow r = e.row();
            b.append("### ").append(label(r)).append("\n\n").append(r.description()).append(", stopped: ")
                    .append(r.stopReason()).append("\n\n");
            b.append("![loss](").append(imageName(r, "loss")).append(") ![accuracy](")
                    .append(imageName(r, "accuracy")).append(")\n\n");
        }
        b.append("## Environment\n\n");
        for (Map.Entry<String, Map<String, String>> env : environments.entrySet()) {
            b.append("### ").append(env.getKey()).append("\n\n| | |\n|---|---|\n");
            env.getValue().forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            b.append("\n");
        }
        return b.toString();
    }

    private String html(Map<String, byte[]> images) {
        List<List<String>> rows = new ArrayList<>();
        entries.forEach(e -> rows.add(cells(e.row())));
        HtmlPage page = new HtmlPage(title).table(header(), rows, 2)
                .heading(2, "Validation loss, all models").image(images.get(OVERLAY_PNG), "overlay")
                .heading(2, "Learning curves");
        for (Entry e : entries) {
            ExperimentRow r = e.row();
            page.heading(3, label(r)).paragraph(r.description() + ", stopped: " + r.stopReason())
                    .image(images.get(imageName(r, "loss")), "loss")
                    .image(images.get(imageName(r, "accuracy")), "accuracy");
        }
        page.heading(2, "Environment");
        environments.forEach((name, env) -> page.heading(3, name).keyValues(env));
        return page.html();
    }

    private static List<String> header() {
        return List.of("experiment", "model", "parameters", "epochs run", "best epoch", "best val loss",
                "best val accuracy", "test accuracy", "wall time", "train samples/s");
    }

    private static List<String> cells(ExperimentRow r) {
        return List.of(r.experiment(), r.model(), String.format(Locale.ROOT, "%,d", r.parameters()),
                Integer.toString(r.epochs()), Integer.toString(r.bestEpoch()), f4(r.bestValLoss()),
                f4(r.bestValAccuracy()), f4(r.testAccuracy()), duration(r.trainWallSeconds()),
                String.format(Locale.ROOT, "%,.0f", r.samplesPerSecond()));
    }

    private byte[] overlayPng() throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520).title("Validation loss").xAxisTitle("Epochs")
                .yAxisTitle("Validation loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setDecimalPattern("#0.###");
        chart.getStyler().setSeriesColors(PALETTE);
        if (entries.isEmpty()) {
            chart.addSeries("no finished model", new double[] {0}, new double[] {Double.NaN});
        }
        for (Entry e : entries) {
            List<EpochMetrics> ep = e.history().epochs();
            if (ep.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(label(e.row()), ep.stream().mapToDouble(EpochMetrics::epoch).toArray(),
                    ep.stream().mapToDouble(EpochMetrics::valLoss).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private boolean severalExperiments() {
        return entries.stream().map(e -> e.row().experiment()).distinct().count() > 1;
    }

    private String label(ExperimentRow r) {
        return severalExperiments() ? r.experiment() + "/" + r.model() : r.model();
    }

    private static String imageName(ExperimentRow r, String what) {
        return r.experiment() + "--" + r.model() + "-" + what + ".png";
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + " s";
    }

    /** The entries' rows (for tests and callers that print a summary). */
    public List<ExperimentRow> rows() {
        List<ExperimentRow> rows = new ArrayList<>();
        entries.forEach(e -> rows.add(e.row()));
        return rows;
    }
}
