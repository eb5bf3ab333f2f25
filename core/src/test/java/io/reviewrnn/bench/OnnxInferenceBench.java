package io.reviewrnn.bench;

import io.reviewrnn.core.export.InferenceGraph;
import io.reviewrnn.core.export.OnnxModelBuilder;
import io.reviewrnn.core.inference.Dl4jSequenceModel;
import io.reviewrnn.core.inference.OnnxSequenceModel;
import io.reviewrnn.core.inference.SequenceModel;
import io.reviewrnn.core.model.ModelFactory;
import io.reviewrnn.core.model.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Inference throughput of an exported model in ONNX Runtime against the same network in our fast DL4J layers
 * (issue 18). For each model of {@code conf/models} named: the network as {@code ModelFactory} builds it (fast
 * layers, as {@code score} runs it), and its export ({@link InferenceGraph} to {@link OnnxModelBuilder}, the bytes
 * {@code review-rnn export} writes as {@code model.onnx}) in ONNX Runtime with 1 and 2 intra-op threads. Input:
 * {@code --reviews} random id sequences of maxlen 100 over a 500-word vocabulary (what PyTorch's
 * {@code torch_imdb.py} times: the 25,000 IMDB test reviews, batch 1024); weights are the spec's initialisation, which
 * does not change the arithmetic. Each engine makes a warm-up pass and {@code --repeats} timed passes over all reviews
 * in batches of {@code --batch}; the median pass counts. Besides wall-clock reviews/s it reports reviews per CPU-second
 * of this process, which stays meaningful on a loaded machine. Prints one line per engine and writes JSON.
 *
 * <p>Usage: {@code OnnxInferenceBench [--models lstm,gru] [--reviews 25000] [--batch 1024] [--repeats 3]
 * [--onnx-threads 1,2] [--out file.json]}; run from the repository root (bench/onnx-inference.sh does).
 */
public final class OnnxInferenceBench {
    static final int VOCAB = 500;
    static final int MAXLEN = 100;

    private OnnxInferenceBench() {
    }

    public static void main(String[] args) throws IOException {
        List<String> models = List.of("lstm", "gru");
        int reviews = 25_000;
        int batch = 1024;
        int repeats = 3;
        List<Integer> onnxThreads = List.of(1, 2);
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = List.of(args[++i].split(","));
                case "--reviews" -> reviews = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--onnx-threads" -> onnxThreads = Arrays.stream(args[++i].split(",")).map(Integer::parseInt)
                        .toList();
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<List<int[]>> batches = batches(new Random(7), reviews, batch);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String m : models) {
            ModelSpec spec = ModelSpec.load(Path.of("conf", "models", m + ".yaml"));
            MultiLayerNetwork net = ModelFactory.network(spec, VOCAB);
            byte[] onnx = OnnxModelBuilder.build(InferenceGraph.of(net), MAXLEN, m, "bench", Map.of()).toByteArray();
            Dl4jSequenceModel fast = new Dl4jSequenceModel(net);
            double[] reference = pass(fast, batches);
            rows.add(measure(m, "fast", 1, fast, batches, repeats, reference, reviews));
            for (int threads : onnxThreads) {
                try (OnnxSequenceModel session = new OnnxSequenceModel(onnx, threads)) {
                    rows.add(measure(m, "onnxruntime", threads, session, batches, repeats, reference, reviews));
                }
            }
        }
        if (out != null) {
            Files.writeString(out, toJson(rows), StandardCharsets.UTF_8);
        }
    }

    /** {@code n} random id rows of {@link #MAXLEN} (some pre-padded, as short reviews are), in batches. */
    static List<List<int[]>> batches(Random r, int n, int batch) {
        List<List<int[]>> out = new ArrayList<>();
        List<int[]> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] row = new int[MAXLEN];
            int pad = r.nextInt(4) == 0 ? r.nextInt(MAXLEN) : 0;
            row[pad] = 1;
            for (int t = pad + 1; t < MAXLEN; t++) {
                row[t] = 2 + r.nextInt(VOCAB - 2);
            }
            current.add(row);
            if (current.size() == batch) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private static double[] pass(SequenceModel model, List<List<int[]>> batches) {
        double[] p = new double[batches.stream().mapToInt(List::size).sum()];
        int at = 0;
        for (List<int[]> b : batches) {
            double[] q = model.predict(b, MAXLEN);
            System.arraycopy(q, 0, p, at, q.length);
            at += q.length;
        }
        return p;
    }

    private static Map<String, Object> measure(String model, String engine, int threads, SequenceModel m,
            List<List<int[]>> batches, int repeats, double[] reference, int reviews) {
        double[] warm = pass(m, batches);
        double maxDiff = 0;
        for (int i = 0; i < warm.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(warm[i] - reference[i]));
        }
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            long c0 = RnnSpeedBench.processCpuNanos();
            long t0 = System.nanoTime();
            pass(m, batches);
            wall[k] = (System.nanoTime() - t0) / 1e9;
            cpu[k] = (RnnSpeedBench.processCpuNanos() - c0) / 1e9;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        double passSeconds = wall[repeats / 2];
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", model);
        row.put("engine", engine);
        row.put("threads", threads);
        row.put("reviews", reviews);
        row.put("pass_s", passSeconds);
        row.put("reviews_per_s", reviews / passSeconds);
        row.put("reviews_per_cpu_s", reviews / cpu[repeats / 2]);
        row.put("max_abs_diff_vs_fast", maxDiff);
        row.put("loadavg1", loadAverage());
        System.out.printf(Locale.ROOT, "%-5s %-12s threads %d  %8.0f reviews/s  %8.0f reviews/CPU-s  pass %.2f s"
                + "  max|p - p_fast| %.1e  load %.2f%n", model, engine, threads, reviews / passSeconds,
                reviews / cpu[repeats / 2], passSeconds, maxDiff, loadAverage());
        return row;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String toJson(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + (e.getValue() instanceof String s ? "\"" + s + "\""
                        : String.valueOf(e.getValue())))
                .collect(Collectors.joining(", ", "  {", "}")))
                .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
    }
}
