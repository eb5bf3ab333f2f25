import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The pictures of bench/scaling.sh, from the JSON Lines curves of bench/Scaling.java (and the converted PyTorch
 * history): epochs to val_acc 0.78 / 0.79 against the number of workers (one line per model, seed and target),
 * val_loss per epoch with one line per N (one figure per model and seed), and val_acc against training seconds for
 * the wall-time runs. {@code REVIEW_RNN_MAIN=bench/ScalingPlot.java ./review-rnn OUT_DIR CURVE.jsonl ...}
 */
public class ScalingPlot {
    /** {@code <model>-w<N>[-<rule>]-s<seed>}: the algorithmic-scaling runs. */
    private static final Pattern RUN = Pattern.compile("(.+)-w(\\d+)(?:-([a-z_]+))?-s(\\d+)");

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        ObjectMapper json = new ObjectMapper();
        Map<String, List<JsonNode>> curves = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            Path p = Path.of(args[i]);
            List<JsonNode> c = new ArrayList<>();
            for (String line : Files.readAllLines(p)) {
                c.add(json.readTree(line));
            }
            if (!c.isEmpty()) {
                curves.put(p.getFileName().toString().replace(".jsonl", ""), c);
            }
        }
        epochsAgainstWorkers(curves, out.resolve("epochs-vs-workers.png"));
        valLossPerN(curves, out);
        timeToAccuracy(curves, out.resolve("time-to-accuracy.png"));
    }

    private static Integer epochsTo(List<JsonNode> c, double target) {
        for (JsonNode e : c) {
            if (e.get("val_acc").asDouble() >= target) {
                return e.get("epoch").asInt();
            }
        }
        return null;
    }

    private static void epochsAgainstWorkers(Map<String, List<JsonNode>> curves, Path file) throws Exception {
        // series key "<model> s<seed> to <target>" -> N -> epochs (the default rule: 1 worker or bmuf)
        Map<String, TreeMap<Integer, Integer>> series = new TreeMap<>();
        for (var e : curves.entrySet()) {
            Matcher m = RUN.matcher(e.getKey());
            if (!m.matches() || e.getKey().startsWith("wall-")) {
                continue;
            }
            int n = Integer.parseInt(m.group(2));
            if (!(n == 1 || "bmuf".equals(m.group(3)))) {
                continue;
            }
            for (double t : new double[] {0.78, 0.79}) {
                Integer epochs = epochsTo(e.getValue(), t);
                if (epochs != null) {
                    series.computeIfAbsent(m.group(1) + " seed " + m.group(4) + ", val_acc " + t,
                            k -> new TreeMap<>()).put(n, epochs);
                }
            }
        }
        if (series.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(1000).height(600)
                .title("Epochs to target accuracy against workers (bmuf; real IMDB)")
                .xAxisTitle("workers N").yAxisTitle("epochs to target").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("0");
        for (var s : series.entrySet()) {
            chart.addSeries(s.getKey(), new ArrayList<>(s.getValue().keySet()), new ArrayList<>(s.getValue().values()))
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void valLossPerN(Map<String, List<JsonNode>> curves, Path out) throws Exception {
        Map<String, XYChart> charts = new TreeMap<>();
        for (var e : curves.entrySet()) {
            Matcher m = RUN.matcher(e.getKey());
            if (!m.matches() || e.getKey().startsWith("wall-")) {
                continue;
            }
            String key = m.group(1) + "-s" + m.group(4);
            XYChart chart = charts.computeIfAbsent(key, k -> {
                XYChart c = new XYChartBuilder().width(1000).height(600)
                        .title("Validation loss per epoch, " + m.group(1) + " spec, seed " + m.group(4))
                        .xAxisTitle("epoch").yAxisTitle("val_loss").build();
                c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
                c.getStyler().setXAxisDecimalPattern("0");
                return c;
            });
            List<Integer> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (JsonNode p : e.getValue()) {
                x.add(p.get("epoch").asInt());
                y.add(p.get("val_loss").asDouble());
            }
            String rule = m.group(3) == null ? "" : " " + m.group(3);
            chart.addSeries("N=" + m.group(2) + rule, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        for (var c : charts.entrySet()) {
            BitmapEncoder.saveBitmap(c.getValue(), out.resolve("val-loss-" + c.getKey() + ".png").toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static void timeToAccuracy(Map<String, List<JsonNode>> curves, Path file) throws Exception {
        XYChart chart = new XYChartBuilder().width(1000).height(600)
                .title("Validation accuracy against training seconds (lstm spec, local[2], one run)")
                .xAxisTitle("training seconds").yAxisTitle("val_acc").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.6);
        double maxSeconds = 0;
        for (var e : curves.entrySet()) {
            if (!e.getKey().startsWith("wall-")) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (JsonNode p : e.getValue()) {
                x.add(p.get("train_s").asDouble());
                y.add(p.get("val_acc").asDouble());
            }
            maxSeconds = Math.max(maxSeconds, x.get(x.size() - 1));
            chart.addSeries(e.getKey().substring("wall-".length()), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        if (maxSeconds == 0) {
            return;
        }
        for (double target : new double[] {0.78, 0.79}) {
            chart.addSeries("val_acc " + target, List.of(0.0, maxSeconds), List.of(target, target))
                    .setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
