package io.reviewrnn.core.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code versions/vN/version.json}: what was registered. Written once, inside the version directory, before the
 * directory is published; never changed afterwards (status lives elsewhere, see {@link VersionStatus}).
 *
 * @param formatVersion layout version of the registry that wrote it
 * @param version the number N of {@code vN}
 * @param createdAt ISO-8601 UTC time of registration
 * @param checkpointSha256 {@link ContentHash} of {@code checkpoint/}, checked against the source after copying and
 *                         by every consumer of the version
 * @param checkpointFiles files in {@code checkpoint/}
 * @param checkpointBytes bytes in {@code checkpoint/}
 * @param source where the checkpoint was copied from
 * @param metrics evaluation metrics by name
 * @param config the effective config that produced the model, or null
 * @param lineage data manifest, parent version, run id
 * @param registeredBy {@code user@host}
 * @param note free text, or null
 * @param contentSha256 the checkpoint's own content hash ({@code content.sha256}) as verified at registration, or
 *                      null for versions registered before it was recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionRecord(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("version") int version,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("checkpoint_sha256") String checkpointSha256,
        @JsonProperty("checkpoint_files") int checkpointFiles,
        @JsonProperty("checkpoint_bytes") long checkpointBytes,
        @JsonProperty("source") String source,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("lineage") Lineage lineage,
        @JsonProperty("registered_by") String registeredBy,
        @JsonProperty("note") String note,
        @JsonProperty("content_sha256") String contentSha256) {

    public VersionRecord {
        metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
        lineage = lineage == null ? Lineage.none() : lineage;
    }

    /** {@code vN}. */
    public String name() {
        return "v" + version;
    }
}
