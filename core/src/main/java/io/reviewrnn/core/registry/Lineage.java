package io.reviewrnn.core.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a version came from.
 *
 * @param dataManifest path of the prepared corpus' {@code manifest.json} the model was trained on
 * @param dataSha256 SHA-256 of that manifest (or of the prepared corpus), so a later run can tell same from new data
 * @param parentVersion the champion when the version was registered (null for the first model)
 * @param runId the retrain run (or user action) that produced it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lineage(
        @JsonProperty("data_manifest") String dataManifest,
        @JsonProperty("data_sha256") String dataSha256,
        @JsonProperty("parent_version") Integer parentVersion,
        @JsonProperty("run_id") String runId) {

    /** No lineage known (a model registered by hand). */
    public static Lineage none() {
        return new Lineage(null, null, null, null);
    }

    Lineage withParent(Integer parent) {
        return new Lineage(dataManifest, dataSha256, parent, runId);
    }
}
