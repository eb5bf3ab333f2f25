package io.reviewrnn.core.inference;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.reviewrnn.core.base.ConfigException;
import java.util.Locale;

/**
 * What runs a model's inference in {@code score} and {@code predict}: {@code dl4j} (the default) reads a checkpoint
 * and runs its DL4J network; {@code onnx} reads a directory written by {@code review-rnn export --format onnx} and
 * runs its {@code model.onnx} in ONNX Runtime (CPU). Both encode text with the model's own vocabulary and text spec,
 * so the same reviews give the same ids and, to float precision, the same probabilities.
 */
public enum InferenceEngine {
    DL4J, ONNX;

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code dl4j} or {@code onnx} (any case); errors name {@code key}. */
    public static InferenceEngine parse(String key, String value) {
        try {
            return fromJson(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, "must be dl4j or onnx");
        }
    }

    /** As {@link #parse}, for YAML/JSON binding (which names the key in its error). */
    @JsonCreator
    static InferenceEngine fromJson(String value) {
        for (InferenceEngine e : values()) {
            if (value != null && e.key().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("must be dl4j or onnx, was '" + value + "'");
    }
}
