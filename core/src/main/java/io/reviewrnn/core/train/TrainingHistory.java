package io.reviewrnn.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.reviewrnn.core.base.Yaml;
import io.reviewrnn.core.base.HadoopFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The per-epoch metrics of a run, in epoch order, and their on-disk form: {@code history.json} (a Keras-like
 * {@code history.history} plus the full records) and two PNG charts drawn with XChart, {@code loss.png} and
 * {@code accuracy.png}, each with the training and the validation curve per epoch, as in the reference exercise.
 * Not thread-safe.
 */
public final class TrainingHistory {
    public static final String JSON = "history.json";
    public static final String LOSS_PNG = "loss.png";
    public static final String ACCURACY_PNG = "accuracy.png";

    private final List<EpochMetrics> epochs = new ArrayList<>();

    public TrainingHistory() {
    }

    public TrainingHistory(List<EpochMetrics> epochs) {
        epochs.forEach(this::add);
    }

    /** Appends the next epoch; epochs must come in order 1, 2, 3, ... */
    public void add(EpochMetrics m) {
        if (m.epoch() != epochs.size() + 1) {
            throw new IllegalArgumentException("expected epoch " + (epochs.size() + 1) + ", got " + m.epoch());
        }
        epochs.add(m);
    }

    public List<EpochMetrics> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public int size() {
        return epochs.size();
    }

    /** The first {@code n} epochs (used when resuming from a checkpoint older than the last written history). */
    public TrainingHistory truncate(int n) {
        return new TrainingHistory(epochs.subList(0, Math.min(n, epochs.size())));
    }

    /** Writes {@code history.json}, {@code loss.png} and {@code accuracy.png} into {@code dir}, each atomically. */
    public void write(FileSystem fs, Path dir) throws IOException {
        HadoopFiles.writeAtomically(fs, new Path(dir, JSON), Yaml.json().writeValueAsBytes(new Document(
                series(EpochMetrics::trainLoss), series(EpochMetrics::trainAccuracy), series(EpochMetrics::valLoss),
                series(EpochMetrics::valAccuracy), epochs)));
        HadoopFiles.writeAtomically(fs, new Path(dir, LOSS_PNG), png(chart("Training and validation loss", "Loss",
                "Training loss", EpochMetrics::trainLoss, "Validation loss", EpochMetrics::valLoss)));
        HadoopFiles.writeAtomically(fs, new Path(dir, ACCURACY_PNG), png(chart("Training and validation accuracy",
                "Accuracy", "Training acc", EpochMetrics::trainAccuracy, "Validation acc", EpochMetrics::valAccuracy)));
    }

    /** Reads what {@link #write} wrote. */
    public static TrainingHistory read(FileSystem fs, Path dir) throws IOException {
        try (var in = fs.open(new Path(dir, JSON))) {
            Document d = Yaml.json().readValue(in, new TypeReference<Document>() { });
            return new TrainingHistory(d.epochs());
        }
    }

    private List<Double> series(java.util.function.ToDoubleFunction<EpochMetrics> f) {
        return epochs.stream().map(m -> f.applyAsDouble(m)).toList();
    }

    /** The loss plot ({@code loss.png}) at the given size, e.g. smaller for a report. */
    public byte[] lossPng(int width, int height, String title) throws IOException {
        return png(chart(title, "Loss", "Training loss", EpochMetrics::trainLoss, "Validation loss",
                EpochMetrics::valLoss, width, height));
    }

    /** The accuracy plot ({@code accuracy.png}) at the given size. */
    public byte[] accuracyPng(int width, int height, String title) throws IOException {
        return png(chart(title, "Accuracy", "Training acc", EpochMetrics::trainAccuracy, "Validation acc",
                EpochMetrics::valAccuracy, width, height));
    }

    private XYChart chart(String title, String yTitle, String trainName,
            java.util.function.ToDoubleFunction<EpochMetrics> train, String valName,
            java.util.function.ToDoubleFunction<EpochMetrics> val) {
        return chart(title, yTitle, trainName, train, valName, val, 800, 500);
    }

    private XYChart chart(String title, String yTitle, String trainName,
            java.util.function.ToDoubleFunction<EpochMetrics> train, String valName,
            java.util.function.ToDoubleFunction<EpochMetrics> val, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("Epochs")
                .yAxisTitle(yTitle).build();
        // Below the plot, side by side: inside it, the legend covered the last epochs' points (rising accuracy).
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setDecimalPattern("#0.###");
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        if (x.length == 0) {
            x = new double[] {0};
        }
        double[] yt = epochs.isEmpty() ? new double[] {Double.NaN} : epochs.stream().mapToDouble(train).toArray();
        double[] yv = epochs.isEmpty() ? new double[] {Double.NaN} : epochs.stream().mapToDouble(val).toArray();
        // As in the reference notebook: training as dots ("bo"), validation as a line ("b").
        XYSeries t = chart.addSeries(trainName, x, yt);
        t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        t.setMarker(SeriesMarkers.CIRCLE);
        XYSeries v = chart.addSeries(valName, x, yv);
        v.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        v.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static byte[] png(XYChart chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** {@code history.json}: Keras-style series plus the full per-epoch records. */
    record Document(
            @JsonProperty("loss") List<Double> loss,
            @JsonProperty("accuracy") List<Double> accuracy,
            @JsonProperty("val_loss") List<Double> valLoss,
            @JsonProperty("val_accuracy") List<Double> valAccuracy,
            @JsonProperty("epochs") List<EpochMetrics> epochs) {
    }
}
