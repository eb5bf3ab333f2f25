package io.reviewrnn.core.registry;

import java.util.List;

/**
 * What {@link ModelRegistry#prune} did.
 *
 * @param deleted versions deleted
 * @param kept versions kept, ascending
 * @param protectedVersions versions kept although outside the last N: the champion and the rollback target
 * @param sweptTemporaries abandoned temporary entries removed (left by crashed writers)
 */
public record PruneResult(List<Integer> deleted, List<Integer> kept, List<Integer> protectedVersions,
                          List<String> sweptTemporaries) {
}
