package io.reviewrnn.core.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * An exported {@code model.onnx} in ONNX Runtime (CPU) as a {@link SequenceModel}: int64 ids
 * {@code [b, maxlen]} in, float probabilities {@code [b, 1]} out. One session per instance, with
 * {@code threads} intra-op threads (1 where Spark gives each task a core). Not thread-safe by contract (ONNX
 * Runtime sessions are, but one instance serves one task); {@link #close} releases the native session.
 */
public final class OnnxSequenceModel implements SequenceModel {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
            "review-rnn");

    /** Name of the model input: int64 token ids {@code [batch, maxlen]}. */
    public static final String INPUT = "token_ids";
    /** Name of the model output: float probabilities {@code [batch, 1]}. */
    public static final String OUTPUT = "probability";

    private final OrtSession session;

    /** A session for the serialized ONNX model {@code model}. */
    public OnnxSequenceModel(byte[] model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            this.session = ENV.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    @Override
    public InferenceEngine engine() {
        return InferenceEngine.ONNX;
    }

    /** The version of the ONNX Runtime library in use. */
    public static String runtimeVersion() {
        return ENV.getVersion();
    }

    /** The model's {@code metadata_props}. */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public double[] predict(List<int[]> batch, int maxlen) {
        SequenceModel.checkLengths(batch, maxlen);
        int b = batch.size();
        if (b == 0) {
            return new double[0];
        }
        long[] ids = new long[b * maxlen];
        for (int i = 0; i < b; i++) {
            int[] row = batch.get(i);
            for (int t = 0; t < maxlen; t++) {
                ids[i * maxlen + t] = row[t];
            }
        }
        float[] p = run(ids, b, maxlen);
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            out[i] = p[i];
        }
        return out;
    }

    /** Runs the model on row-major ids {@code [batch, maxlen]}; returns the {@code batch} probabilities. */
    public float[] run(long[] ids, int batch, int maxlen) {
        try (OnnxTensor in = OnnxTensor.createTensor(ENV, LongBuffer.wrap(ids), new long[] {batch, maxlen});
                OrtSession.Result result = session.run(Map.of(INPUT, in))) {
            float[][] p = (float[][]) result.get(OUTPUT).orElseThrow(() -> new IllegalStateException(
                    "the model has no output named " + OUTPUT)).getValue();
            if (p.length != batch || (batch > 0 && p[0].length != 1)) {
                throw new IllegalStateException("model returned " + p.length + " rows for " + batch + " reviews");
            }
            float[] out = new float[batch];
            for (int i = 0; i < batch; i++) {
                out[i] = p[i][0];
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
