package io.reviewrnn.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ModelRegistry#register} copies into a new version.
 *
 * @param checkpoint directory of a complete checkpoint (any Hadoop FileSystem); copied byte for byte
 * @param metrics evaluation metrics by name (e.g. {@code accuracy}, {@code loss}); may be empty
 * @param config the effective config that produced the model (any JSON), or null
 * @param lineage data and parent; a null parent is filled in with the champion at registration time
 * @param note free text shown by {@code registry show}, or null
 */
public record RegisterRequest(String checkpoint, Map<String, Double> metrics, JsonNode config, Lineage lineage,
                              String note) {
    public RegisterRequest {
        Objects.requireNonNull(checkpoint, "checkpoint");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        lineage = lineage == null ? Lineage.none() : lineage;
    }

    /** A checkpoint with metrics only. */
    public static RegisterRequest of(String checkpoint, Map<String, Double> metrics) {
        return new RegisterRequest(checkpoint, metrics, null, Lineage.none(), null);
    }
}
