package io.reviewrnn.bench;

import io.reviewrnn.core.model.fast.FastEmbedding;
import io.reviewrnn.core.model.fast.FastGru;
import io.reviewrnn.core.model.fast.FastLstm;
import io.reviewrnn.core.model.fast.FastSimpleRnn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Micro-benchmark of the six reference models (issues 3 and 9): training samples/s (forward + backward + RMSprop
 * step, batch 64 x 100 steps, random token ids of a 500-word vocabulary) and inference samples/s (batch 1024),
 * for DL4J's stock recurrent layers and for the fast layers. No Spark. Prints a table and writes JSON.
 *
 * <p>Implementations: {@code stock} (DL4J's layers), {@code fast} (fast layers, 1 thread), {@code fast2} (fast
 * layers splitting each minibatch over 2 threads). Usage: {@code RnnSpeedBench [--seconds S] [--impls stock,fast,fast2]
 * [--models a,b] [--workspaces ENABLED|NONE] [--profile] [--out file.json]}.
 */
public final class RnnSpeedBench {
    static final int VOCAB = 500;
    static final int EMBED = 16;
    static final int UNITS = 8;
    static final int STEPS = 100;
    static final int BATCH = 64;
    static final int INFER_BATCH = 1024;
    static final List<String> MODELS = List.of("simplernn_onehot", "simplernn_embed", "lstm", "lstm_dropout", "lstm2",
            "gru");

    private static boolean firstMeasurement = true;

    private RnnSpeedBench() {
    }

    public static void main(String[] args) throws IOException {
        double seconds = 4;
        List<String> impls = List.of("stock", "fast", "fast2");
        List<String> models = MODELS;
        WorkspaceMode ws = WorkspaceMode.ENABLED;
        boolean profile = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--impls" -> impls = List.of(args[++i].split(","));
                case "--models" -> models = List.of(args[++i].split(","));
                case "--workspaces" -> ws = WorkspaceMode.valueOf(args[++i]);
                case "--profile" -> profile = true;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-17s %-6s %10s %10s %10s %8s%n", "model", "impl", "train/s", "train/cpu-s",
                "infer/s", "params");
        for (String model : models) {
            for (String impl : impls) {
                MultiLayerNetwork net = build(model, impl, ws);
                if (net == null) {
                    continue;
                }
                Map<String, Object> r = measure(model, impl, net, seconds, profile);
                rows.add(r);
                System.out.printf(Locale.ROOT, "%-17s %-6s %10.0f %10.0f %10.0f %8d%s%n", model, impl,
                        (double) r.get("train_samples_per_s"), (double) r.get("train_samples_per_cpu_s"),
                        (double) r.get("infer_samples_per_s"),
                        (long) r.get("params"), profile ? "  " + r.get("profile") : "");
            }
        }
        if (out != null) {
            Files.writeString(out, toJson(rows), StandardCharsets.UTF_8);
        }
    }

    /** The network for one of the six models; {@code null} when the implementation has no such layer. */
    static MultiLayerNetwork build(String model, String impl, WorkspaceMode ws) {
        boolean fast = impl.startsWith("fast");
        int threads = impl.equals("fast2") ? 2 : 1;
        boolean oneHot = model.equals("simplernn_onehot");
        List<Layer> layers = new ArrayList<>();
        if (!oneHot) {
            layers.add(fast ? new FastEmbedding.Builder().nIn(VOCAB).nOut(EMBED).build()
                    : new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(EMBED).build());
        }
        long in = oneHot ? VOCAB : EMBED;
        switch (model) {
            case "simplernn_onehot", "simplernn_embed" -> layers.add(fast
                    ? (oneHot ? new FastSimpleRnn.Builder().oneHot(VOCAB) : new FastSimpleRnn.Builder().nIn(in))
                            .units(UNITS).threads(threads).build()
                    : new LastTimeStep(new SimpleRnn.Builder().nIn(in).nOut(UNITS).activation(Activation.TANH)
                            .build()));
            case "lstm" -> layers.add(fast ? new FastLstm.Builder().nIn(in).units(UNITS).threads(threads).build()
                    : new LastTimeStep(stockLstm(in, 0)));
            case "lstm_dropout" -> layers.add(fast
                    ? new FastLstm.Builder().nIn(in).units(UNITS).dropout(0.3).threads(threads).build()
                    : new LastTimeStep(stockLstm(in, 0.3)));
            case "lstm2" -> {
                layers.add(fast ? new FastLstm.Builder().nIn(in).units(UNITS).dropout(0.3).returnSequences(true)
                        .threads(threads).build() : stockLstm(in, 0.3));
                layers.add(fast ? new FastLstm.Builder().nIn(UNITS).units(UNITS).dropout(0.3).threads(threads).build()
                        : new LastTimeStep(stockLstm(UNITS, 0.3)));
            }
            case "gru" -> {
                if (!fast) {
                    return null; // DL4J has no stock GRU layer
                }
                layers.add(new FastGru.Builder().nIn(in).units(UNITS).threads(threads).build());
            }
            default -> throw new IllegalArgumentException("unknown model " + model);
        }
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .updater(new RmsProp(1e-4, 0.9, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .trainingWorkspaceMode(ws)
                .inferenceWorkspaceMode(ws)
                .list();
        layers.forEach(b::layer);
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(UNITS).nOut(1)
                .activation(Activation.SIGMOID).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    private static LSTM stockLstm(long nIn, double dropped) {
        LSTM.Builder b = new LSTM.Builder().nIn(nIn).nOut(UNITS).activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID);
        if (dropped > 0) {
            b.dropOut(1 - dropped); // DL4J takes the retain probability (per element and step: not Keras' mask)
        }
        return b.build();
    }

    /** Token ids [mb, 1, T], or explicit one-hot [mb, VOCAB, T] for the stock one-hot model. */
    static INDArray features(Random r, int mb, boolean explicitOneHot) {
        if (explicitOneHot) {
            INDArray x = Nd4j.zeros(DataType.FLOAT, mb, VOCAB, STEPS);
            for (int s = 0; s < mb; s++) {
                for (int t = 0; t < STEPS; t++) {
                    x.putScalar(new long[] {s, r.nextInt(VOCAB), t}, 1f);
                }
            }
            return x;
        }
        float[] ids = new float[mb * STEPS];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(VOCAB);
        }
        return Nd4j.create(ids, new long[] {mb, 1, STEPS}, 'c');
    }

    static Map<String, Object> measure(String model, String impl, MultiLayerNetwork net, double seconds,
            boolean profile) {
        Random r = new Random(7);
        boolean explicit = impl.equals("stock") && model.equals("simplernn_onehot");
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            INDArray y = Nd4j.create(DataType.FLOAT, BATCH, 1);
            for (int s = 0; s < BATCH; s++) {
                y.putScalar(s, 0, r.nextBoolean() ? 1f : 0f);
            }
            batches.add(new DataSet(features(r, BATCH, explicit), y));
        }
        // Warm-up: JIT and workspaces. The first network of a JVM also pays for JIT-compiling DL4J/ND4J themselves
        // (in a GRU-only run that made fast-1 look 2x worse per CPU-second than fast-2), so it warms up longer.
        double warm = firstMeasurement ? Math.max(6.0, seconds) : Math.max(2.0, seconds / 2);
        firstMeasurement = false;
        long warmEnd = System.nanoTime() + (long) (warm * 1e9);
        int it = 0;
        while (System.nanoTime() < warmEnd || it < 3) {
            net.fit(batches.get(it++ % batches.size()));
        }
        long t0 = System.nanoTime();
        long c0 = processCpuNanos();
        long end = t0 + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < end || n < 3) {
            net.fit(batches.get(n++ % batches.size()));
        }
        double train = n * (double) BATCH / ((System.nanoTime() - t0) / 1e9);
        double trainCpu = n * (double) BATCH / ((processCpuNanos() - c0) / 1e9);

        int inferBatch = explicit ? 256 : INFER_BATCH;
        INDArray xi = features(r, inferBatch, explicit);
        net.output(xi);
        t0 = System.nanoTime();
        end = t0 + (long) (seconds / 2 * 1e9);
        int m = 0;
        while (System.nanoTime() < end || m < 2) {
            net.output(xi);
            m++;
        }
        double infer = m * (double) inferBatch / ((System.nanoTime() - t0) / 1e9);

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("model", model);
        row.put("impl", impl);
        row.put("params", net.numParams());
        row.put("train_samples_per_s", train);
        row.put("train_samples_per_cpu_s", trainCpu);
        row.put("infer_samples_per_s", infer);
        row.put("infer_batch", inferBatch);
        if (profile) {
            row.put("profile", profile(net, batches, seconds));
        }
        return row;
    }

    /** CPU time of this process (all threads, ns): robust against other processes on a shared machine. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU ms per minibatch: fit (all), forward+backward (no update), forward only (training mode). */
    private static String profile(MultiLayerNetwork net, List<DataSet> batches, double seconds) {
        int reps = Math.max(5, (int) (seconds * 20));
        double fit = timeMs(reps, i -> net.fit(batches.get(i % batches.size())));
        double grad = timeMs(reps, i -> {
            DataSet d = batches.get(i % batches.size());
            net.setInput(d.getFeatures());
            net.setLabels(d.getLabels());
            net.computeGradientAndScore();
        });
        double fwd = timeMs(reps, i -> net.output(batches.get(i % batches.size()).getFeatures(), true));
        return String.format(Locale.ROOT, "fit %.2f ms = fwd %.2f + bwd %.2f + update/other %.2f", fit, fwd,
                grad - fwd, fit - grad);
    }

    /** Process CPU ms per call of {@code body}. */
    private static double timeMs(int reps, java.util.function.IntConsumer body) {
        for (int i = 0; i < 3; i++) {
            body.accept(i);
        }
        long t0 = processCpuNanos();
        for (int i = 0; i < reps; i++) {
            body.accept(i);
        }
        return (processCpuNanos() - t0) / 1e6 / reps;
    }

    private static String toJson(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            sb.append("  {");
            int j = 0;
            for (Map.Entry<String, Object> e : rows.get(i).entrySet()) {
                if (j++ > 0) {
                    sb.append(", ");
                }
                Object v = e.getValue();
                sb.append('"').append(e.getKey()).append("\": ");
                sb.append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v));
            }
            sb.append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        return sb.append("]\n").toString();
    }
}
