package io.reviewrnn.core.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One generation of the champion pointer, {@code champion/pointer-<generation>.json}. The highest generation is the
 * current champion; older generations are the history. Each generation is written in full under a temporary name
 * and published with an exclusive rename, so a reader sees a whole pointer or none, and two writers cannot both
 * publish the same generation.
 *
 * @param generation 1, 2, ... in publication order
 * @param version the champion version number
 * @param previous former champions, most recent first: the rollback stack
 * @param action {@code promote} or {@code rollback}
 * @param replaced the champion this generation replaced, or null for the first
 * @param reason why (policy decision, operator's words)
 * @param updatedAt ISO-8601 UTC time
 * @param updatedBy {@code user@host}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChampionPointer(
        @JsonProperty("generation") long generation,
        @JsonProperty("version") int version,
        @JsonProperty("previous") List<Integer> previous,
        @JsonProperty("action") String action,
        @JsonProperty("replaced") Integer replaced,
        @JsonProperty("reason") String reason,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("updated_by") String updatedBy) {

    public static final String PROMOTE = "promote";
    public static final String ROLLBACK = "rollback";

    public ChampionPointer {
        previous = previous == null ? List.of() : List.copyOf(previous);
    }
}
