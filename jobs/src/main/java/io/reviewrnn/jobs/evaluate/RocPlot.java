package io.reviewrnn.jobs.evaluate;

import java.io.IOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The ROC curve (false positive rate against true positive rate) with the chance diagonal, as a PNG. */
final class RocPlot {
    private RocPlot() {
    }

    /** @param points (fpr, tpr) pairs in curve order, from (0,0) to (1,1) */
    static byte[] png(List<double[]> points, double auc, String title) throws IOException {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        XYChart chart = new XYChartBuilder().width(600).height(600).title(title)
                .xAxisTitle("False positive rate").yAxisTitle("True positive rate").build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        // Eleven ticks per axis, 0.0 to 1.0: with XChart's defaults a real (step-shaped) curve got about 40 y-axis
        // labels printed to 16 digits.
        chart.getStyler().setXAxisTickMarkSpacingHint(60).setYAxisTickMarkSpacingHint(60).setDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        XYSeries roc = chart.addSeries(String.format("ROC (AUC = %.4f)", auc), x, y);
        roc.setMarker(SeriesMarkers.NONE);
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 6f}, 0f));
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
