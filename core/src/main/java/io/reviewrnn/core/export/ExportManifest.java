package io.reviewrnn.core.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.reviewrnn.core.model.ModelSpec;
import java.util.List;
import java.util.Map;

/**
 * {@code export.json}: where an export came from and what it holds. Immutable.
 *
 * @param formatVersion version of the export directory layout
 * @param format {@code onnx}
 * @param createdAt ISO-8601 UTC time of the export
 * @param producer the program that wrote it
 * @param checkpoint the checkpoint directory it was exported from
 * @param checkpointSha256 that checkpoint's content hash (what {@code score} reports as {@code model_sha256})
 * @param modelName the model's name
 * @param modelSpec the model spec of the checkpoint
 * @param epoch epochs the checkpoint had trained
 * @param onnx ONNX operator set, IR version and the operators used
 * @param input the model input
 * @param output the model output
 * @param verification the check of the written model in ONNX Runtime against the checkpoint's network
 * @param files SHA-256 of every other file of the export, by name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format_version", "format", "created_at", "producer", "checkpoint", "checkpoint_sha256",
        "model_name", "model_spec", "epoch", "onnx", "input", "output", "verification", "files"})
public record ExportManifest(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("format") String format,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("producer") String producer,
        @JsonProperty("checkpoint") String checkpoint,
        @JsonProperty("checkpoint_sha256") String checkpointSha256,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("model_spec") ModelSpec modelSpec,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("onnx") Onnx onnx,
        @JsonProperty("input") Tensor input,
        @JsonProperty("output") Tensor output,
        @JsonProperty("verification") Verification verification,
        @JsonProperty("files") Map<String, String> files) {

    public static final int FORMAT_VERSION = 1;

    /** The ONNX flavour written. */
    @JsonPropertyOrder({"opset", "ir_version", "operators"})
    public record Onnx(
            @JsonProperty("opset") int opset,
            @JsonProperty("ir_version") int irVersion,
            @JsonProperty("operators") List<String> operators) {
    }

    /** A model input or output: name, element type and shape ({@code "batch"} is the free dimension). */
    @JsonPropertyOrder({"name", "type", "shape"})
    public record Tensor(
            @JsonProperty("name") String name,
            @JsonProperty("type") String type,
            @JsonProperty("shape") List<Object> shape) {
    }

    /**
     * The exporter's own check before it publishes: {@code reviews} id sequences through the checkpoint's DL4J
     * network and through the written model in ONNX Runtime {@code runtime}; the largest absolute difference of the
     * probabilities and the tolerance it had to stay within.
     */
    @JsonPropertyOrder({"runtime", "reviews", "max_abs_diff", "tolerance"})
    public record Verification(
            @JsonProperty("runtime") String runtime,
            @JsonProperty("reviews") int reviews,
            @JsonProperty("max_abs_diff") double maxAbsDiff,
            @JsonProperty("tolerance") double tolerance) {
    }
}
