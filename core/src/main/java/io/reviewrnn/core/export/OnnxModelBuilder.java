package io.reviewrnn.core.export;

import com.google.protobuf.ByteString;
import io.reviewrnn.core.export.onnx.AttributeProto;
import io.reviewrnn.core.export.onnx.GraphProto;
import io.reviewrnn.core.export.onnx.ModelProto;
import io.reviewrnn.core.export.onnx.NodeProto;
import io.reviewrnn.core.export.onnx.OperatorSetIdProto;
import io.reviewrnn.core.export.onnx.StringStringEntryProto;
import io.reviewrnn.core.export.onnx.TensorProto;
import io.reviewrnn.core.export.onnx.TensorShapeProto;
import io.reviewrnn.core.export.onnx.TypeProto;
import io.reviewrnn.core.export.onnx.ValueInfoProto;
import io.reviewrnn.core.inference.OnnxSequenceModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an {@link InferenceGraph} as an ONNX model (operator set {@value #OPSET}, IR version {@value #IR_VERSION})
 * with the generated protobuf messages:
 *
 * <pre>
 * token_ids int64 [batch, maxlen]
 *   Transpose(perm 1,0)                      ids [maxlen, batch]      (ONNX's recurrent operators are time-major)
 *   Gather(embedding) | OneHot(num_words)    x   [maxlen, batch, width]
 *   per recurrent layer: RNN | LSTM | GRU    Y   [maxlen, 1, batch, units] → Squeeze(1) for the next layer,
 *                                            or Y_h [1, batch, units] → Squeeze(0) after the last one
 *   Gemm(dense_w, dense_b), Sigmoid          probability float [batch, 1]
 * </pre>
 *
 * Weights are reordered from the checkpoint's layout into ONNX's: {@code W[q*u + j][k] = w[k][s*u + j]} for ONNX gate
 * block {@code q} taken from checkpoint block {@code s = cell.onnxGateSource(q)}, likewise {@code R} from
 * {@code rw}; {@code B} is the input bias blocks then the recurrent bias blocks (zero where the checkpoint has a
 * single bias). See docs/EXPORT.md for the table per cell. Stateless.
 */
public final class OnnxModelBuilder {
    /** ONNX operator set written (LSTM/GRU/RNN-14, Squeeze-13 with axes as an input). */
    public static final int OPSET = 17;
    /** The IR version that goes with operator set 17. */
    public static final int IR_VERSION = 8;
    public static final String INPUT = OnnxSequenceModel.INPUT;
    public static final String OUTPUT = OnnxSequenceModel.OUTPUT;
    public static final String BATCH = "batch";

    private OnnxModelBuilder() {
    }

    /**
     * The model for {@code graph} reading {@code maxlen} ids per review; {@code metadata} goes into the model's
     * {@code metadata_props}.
     */
    public static ModelProto build(InferenceGraph graph, int maxlen, String name, String producerVersion,
            Map<String, String> metadata) {
        if (maxlen <= 0) {
            throw new IllegalArgumentException("maxlen must be > 0, was " + maxlen);
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName(name);
        g.addInput(valueInfo(INPUT, TensorProto.DataType.INT64, maxlen));
        g.addOutput(valueInfo(OUTPUT, TensorProto.DataType.FLOAT, 1));

        g.addNode(node("Transpose", "ids_time_major", List.of(INPUT), List.of("ids_time_major"),
                ints("perm", 1, 0)));
        String x = "x0";
        if (graph.input() instanceof InferenceGraph.Embedding e) {
            g.addInitializer(floats("embedding", flatten(e.table()), e.vocabulary(), e.width()));
            g.addNode(node("Gather", "embedding_lookup", List.of("embedding", "ids_time_major"), List.of(x),
                    intAttr("axis", 0)));
        } else {
            InferenceGraph.OneHot o = (InferenceGraph.OneHot) graph.input();
            g.addInitializer(int64s("one_hot_depth", new long[] {o.depth()}, 1));
            g.addInitializer(floats("one_hot_values", new float[] {0f, 1f}, 2));
            g.addNode(node("OneHot", "one_hot", List.of("ids_time_major", "one_hot_depth", "one_hot_values"),
                    List.of(x), intAttr("axis", -1)));
        }
        g.addInitializer(int64s("axis_0", new long[] {0}, 1));
        // Only a layer feeding another squeezes its Y; ONNX Runtime warns about an unused initializer.
        if (graph.recurrent().stream().anyMatch(InferenceGraph.Recurrent::returnSequences)) {
            g.addInitializer(int64s("axis_1", new long[] {1}, 1));
        }
        int k = 0;
        for (InferenceGraph.Recurrent r : graph.recurrent()) {
            String p = "rnn" + k;
            int units = r.units();
            int gates = r.cell().gates();
            g.addInitializer(floats(p + "_W", kernel(r.cell(), r.w(), units), 1, gates * units, r.nIn()));
            g.addInitializer(floats(p + "_R", kernel(r.cell(), r.rw(), units), 1, gates * units, units));
            g.addInitializer(floats(p + "_B", bias(r.cell(), r.b(), r.rb(), units), 1, 2 * gates * units));
            List<AttributeProto> attrs = new ArrayList<>();
            attrs.add(intAttr("hidden_size", units));
            attrs.add(strings("activations", activations(r)));
            if (r.cell() == InferenceGraph.Cell.GRU) {
                attrs.add(intAttr("linear_before_reset", 1));
            }
            List<String> in = List.of(x, p + "_W", p + "_R", p + "_B");
            String next;
            if (r.returnSequences()) {
                g.addNode(node(r.cell().onnxOperator(), p, in, List.of(p + "_Y"), attrs.toArray(AttributeProto[]::new)));
                next = "x" + (k + 1);
                g.addNode(node("Squeeze", p + "_squeeze", List.of(p + "_Y", "axis_1"), List.of(next)));
            } else {
                g.addNode(node(r.cell().onnxOperator(), p, in, List.of("", p + "_Y_h"),
                        attrs.toArray(AttributeProto[]::new)));
                next = "last_hidden";
                g.addNode(node("Squeeze", p + "_squeeze", List.of(p + "_Y_h", "axis_0"), List.of(next)));
            }
            x = next;
            k++;
        }
        InferenceGraph.Dense d = graph.output();
        g.addInitializer(floats("dense_w", d.w(), d.w().length, 1));
        g.addInitializer(floats("dense_b", new float[] {d.b()}, 1));
        g.addNode(node("Gemm", "dense", List.of(x, "dense_w", "dense_b"), List.of("logit")));
        g.addNode(node("Sigmoid", "sigmoid", List.of("logit"), List.of(OUTPUT)));

        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("review-rnn")
                .setProducerVersion(producerVersion)
                .setDomain("io.reviewrnn")
                .setModelVersion(1)
                .setDocString("Review sentiment classifier: token ids [batch, " + maxlen + "] (encode text with "
                        + "text_spec.json and vocabulary.tsv) to the probability of a positive review [batch, 1].")
                .setGraph(g);
        metadata.forEach((key, value) -> m.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return m.build();
    }

    /** The ONNX operator types a model for {@code graph} uses, in graph order. */
    public static Set<String> operators(InferenceGraph graph) {
        Set<String> ops = new LinkedHashSet<>();
        ops.add("Transpose");
        ops.add(graph.input() instanceof InferenceGraph.Embedding ? "Gather" : "OneHot");
        for (InferenceGraph.Recurrent r : graph.recurrent()) {
            ops.add(r.cell().onnxOperator());
        }
        ops.add("Squeeze");
        ops.add("Gemm");
        ops.add("Sigmoid");
        return ops;
    }

    /**
     * An ONNX {@code W} or {@code R} tensor {@code [gates*units, n]}, row-major, from a checkpoint kernel
     * {@code [n][gates*units]}: transposed, gate blocks in ONNX order.
     */
    static float[] kernel(InferenceGraph.Cell cell, float[][] src, int units) {
        int n = src.length;
        int gates = cell.gates();
        float[] out = new float[gates * units * n];
        for (int q = 0; q < gates; q++) {
            int s = cell.onnxGateSource(q);
            for (int j = 0; j < units; j++) {
                int row = (q * units + j) * n;
                for (int i = 0; i < n; i++) {
                    out[row + i] = src[i][s * units + j];
                }
            }
        }
        return out;
    }

    /** An ONNX {@code B} tensor {@code [2*gates*units]}: input bias blocks, then recurrent bias blocks (or zeros). */
    static float[] bias(InferenceGraph.Cell cell, float[] b, float[] rb, int units) {
        int gates = cell.gates();
        float[] out = new float[2 * gates * units];
        for (int q = 0; q < gates; q++) {
            int s = cell.onnxGateSource(q);
            for (int j = 0; j < units; j++) {
                out[q * units + j] = b[s * units + j];
                out[(gates + q) * units + j] = rb == null ? 0f : rb[s * units + j];
            }
        }
        return out;
    }

    private static String[] activations(InferenceGraph.Recurrent r) {
        return switch (r.cell()) {
            case SIMPLE_RNN -> new String[] {r.activation()};
            // f (gates), g (cell input), h (cell output): DL4J uses the layer activation for both g and h
            case LSTM -> new String[] {r.gateActivation(), r.activation(), r.activation()};
            case GRU -> new String[] {r.gateActivation(), r.activation()};
        };
    }

    private static float[] flatten(float[][] m) {
        int cols = m[0].length;
        float[] out = new float[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * cols, cols);
        }
        return out;
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, long fixedDim) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(fixedDim))
                .build();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    private static NodeProto node(String op, String name, List<String> inputs, List<String> outputs,
            AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        return n.build();
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber());
        checkSize(name, values.length, dims);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private static TensorProto int64s(String name, long[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64.getNumber());
        checkSize(name, values.length, dims);
        for (long d : dims) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    private static void checkSize(String name, int length, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalStateException("tensor " + name + " has " + length + " values for " + n + " elements");
        }
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value)
                .build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto strings(String name, String... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            a.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8));
        }
        return a.build();
    }
}
