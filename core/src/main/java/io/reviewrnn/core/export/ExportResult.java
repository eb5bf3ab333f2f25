package io.reviewrnn.core.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What {@link OnnxExporter#export} wrote.
 *
 * @param output the export directory (fully qualified)
 * @param checkpoint the checkpoint it came from
 * @param checkpointSha256 that checkpoint's content hash
 * @param modelName the model's name
 * @param bytes size of every file written, by name
 * @param verification the check in ONNX Runtime against the checkpoint's network
 * @param seconds wall time of the export
 */
public record ExportResult(
        @JsonProperty("output") String output,
        @JsonProperty("checkpoint") String checkpoint,
        @JsonProperty("checkpoint_sha256") String checkpointSha256,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("bytes") Map<String, Long> bytes,
        @JsonProperty("verification") ExportManifest.Verification verification,
        @JsonProperty("seconds") double seconds) {
}
