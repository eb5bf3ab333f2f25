package io.reviewrnn.core.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code rejected/vN.json}: a version that must not become champion, and why. Written once.
 *
 * @param version the rejected version
 * @param reason the policy's or operator's reason, e.g. {@code accuracy 0.801 < champion v3 0.812 + min_delta 0.002}
 * @param champion the champion at the time of the decision, or null
 * @param rejectedAt ISO-8601 UTC time
 * @param rejectedBy {@code user@host}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rejection(
        @JsonProperty("version") int version,
        @JsonProperty("reason") String reason,
        @JsonProperty("champion") Integer champion,
        @JsonProperty("rejected_at") String rejectedAt,
        @JsonProperty("rejected_by") String rejectedBy) {
}
