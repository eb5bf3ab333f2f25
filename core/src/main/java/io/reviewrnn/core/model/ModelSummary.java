package io.reviewrnn.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Keras-like {@code model.summary()} table for a {@link ModelSpec}: one row per Keras layer (name and type,
 * output shape such as {@code (None, 100, 16)}, parameter count) and the totals. Counts follow Keras' formulas
 * (SimpleRNN u(n+u+1), LSTM 4u(n+u+1), GRU reset_after 3u(n+u+2), Dense n+1); {@link #render} also builds the
 * DL4J configuration and fails if its parameter count differs, so the table is the network that trains. One-hot
 * input is shown as a parameter-free {@code OneHot} row (Keras would take one-hot data directly). Thread-safe.
 */
public final class ModelSummary {

    /** One row of the table. */
    public record Row(String name, String type, String outputShape, long params) {
    }

    private ModelSummary() {
    }

    /** The rows for {@code spec} with {@code numWords} ids and sequences of {@code maxlen} steps. */
    public static List<Row> rows(ModelSpec spec, int numWords, int maxlen) {
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int width;
        if (spec.input().type() == ModelSpec.Input.Type.EMBEDDING) {
            width = spec.input().dim();
            rows.add(new Row(name("embedding", seen), "Embedding", shape(maxlen, width), (long) numWords * width));
        } else {
            width = numWords;
            rows.add(new Row(name("one_hot", seen), "OneHot", shape(maxlen, width), 0));
        }
        for (int i = 0; i < spec.layers(); i++) {
            long u = spec.units();
            long params = spec.kind().parameters(width, spec.units());
            boolean last = i == spec.layers() - 1;
            String type = spec.kind().kerasName();
            rows.add(new Row(name(spec.kind().key(), seen), type,
                    last ? shape(spec.units()) : shape(maxlen, spec.units()), params));
            width = spec.units();
        }
        rows.add(new Row(name("dense", seen), "Dense", shape(1), width + 1L));
        return rows;
    }

    /** Total parameters, as Keras reports them. */
    public static long totalParams(ModelSpec spec, int numWords, int maxlen) {
        return rows(spec, numWords, maxlen).stream().mapToLong(Row::params).sum();
    }

    /** The table, e.g. for {@code ./review-rnn model-summary conf/models/lstm.yaml}. */
    public static String render(ModelSpec spec, int numWords, int maxlen) {
        if (maxlen <= 0) {
            throw new IllegalArgumentException("maxlen must be > 0, was " + maxlen);
        }
        List<Row> rows = rows(spec, numWords, maxlen);
        long total = rows.stream().mapToLong(Row::params).sum();
        long dl4j = ModelFactory.numParams(spec, numWords);
        if (dl4j != total) {
            throw new IllegalStateException("model '" + spec.name() + "': DL4J network has " + dl4j
                    + " parameters but the Keras formulas give " + total);
        }
        String rule = "=".repeat(65) + "\n";
        String thin = "_".repeat(65) + "\n";
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(spec.name()).append("\"  (kind ").append(spec.kind().key())
                .append(", impl ").append(spec.impl().key()).append(", num_words ").append(numWords)
                .append(", maxlen ").append(maxlen).append(")\n");
        sb.append(thin);
        sb.append(String.format(Locale.ROOT, "%-28s %-25s %10s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append(rule);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(String.format(Locale.ROOT, "%-28s %-25s %10s%n", r.name() + " (" + r.type() + ")",
                    r.outputShape(), String.format(Locale.ROOT, "%,d", r.params())));
            sb.append(i == rows.size() - 1 ? rule : "\n");
        }
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", total));
        sb.append("Non-trainable params: 0\n");
        sb.append(thin);
        return sb.toString();
    }

    private static String name(String base, Map<String, Integer> seen) {
        int n = seen.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + (n - 1);
    }

    private static String shape(long... dims) {
        StringBuilder sb = new StringBuilder("(None");
        for (long d : dims) {
            sb.append(", ").append(d);
        }
        return sb.append(')').toString();
    }
}
