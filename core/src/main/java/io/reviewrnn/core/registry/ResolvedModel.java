package io.reviewrnn.core.registry;

/**
 * A model reference turned into a checkpoint directory.
 *
 * @param reference what was asked for: {@code champion}, {@code previous}, {@code vN} or a path
 * @param checkpoint the checkpoint directory to load
 * @param version the registry version, or null for a plain path
 * @param checkpointSha256 the registry's content hash of the checkpoint, or null for a plain path
 */
public record ResolvedModel(String reference, String checkpoint, Integer version, String checkpointSha256) {
}
